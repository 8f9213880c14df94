"""Heuristic pricing: improve a quota-satisfying panel by single swaps before asking the MIP.

Column generation needs, for per-group weights `w`, some panel `x` with `w @ x` above the dual
cap; only the last call of a stage has to prove that none exists. `improve_panel` climbs from
a known panel by steepest-ascent swaps (one member of group `i` out, one of group `j` in) that
keep every quota met, many disjoint swaps per round, so most columns cost a few NumPy products
instead of a MIP. It is exact in what it returns (every panel meets the quotas) and
deterministic (ties go to lower indices); it never proves optimality, which stays the job of
`PanelSolver`. Shared households are not modelled here: callers use the MIP alone when the
space has any.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vilco_core.sortition.profiles import IntArray, PanelSpace
from vilco_core.sortition.solver import FloatArray

MAX_SWAPS = 400
GAIN_TOLERANCE = 1e-12


class SwapSearch:
    """Steepest-ascent swap search over the panels of one `PanelSpace`."""

    def __init__(self, space: PanelSpace) -> None:
        self.matrix = space.matrix.astype(np.float64)
        self.lower = space.lower
        self.upper = space.upper
        self.sizes = space.sizes

    def _swap_gains(self, counts: IntArray, per_quota: FloatArray, weights: FloatArray) -> Any:
        """Gain of moving one seat from each occupied group (rows) to each group (columns)."""
        occupied = np.flatnonzero(counts > 0)
        full = self.matrix[per_quota >= self.upper]
        empty = self.matrix[per_quota <= self.lower]
        # a swap is blocked by a full quota that j adds to and i does not leave, or an empty one
        # that i leaves and j does not refill
        blocked = (full.sum(axis=0)[None, :] - full[:, occupied].T @ full) > 0.5
        blocked |= (empty[:, occupied].sum(axis=0)[:, None] - empty[:, occupied].T @ empty) > 0.5
        gains = weights[None, :] - weights[occupied][:, None]
        gains[blocked] = -np.inf
        gains[:, counts >= self.sizes] = -np.inf
        return occupied, gains

    def improve_panel(self, counts: IntArray, weights: FloatArray) -> IntArray:
        """A panel at least as good as `counts` for `weights`, with no improving swap left.

        Each round takes, for every occupied group, its best swap, and applies them best first
        while each still keeps the quotas: a climb takes a few rounds instead of one per swap.
        """
        counts = counts.copy()
        per_quota = self.matrix @ counts
        for _ in range(MAX_SWAPS):
            occupied, gains = self._swap_gains(counts, per_quota, weights)
            targets = np.argmax(gains, axis=1)
            best = gains[np.arange(occupied.size), targets]
            if not best.max(initial=-np.inf) > GAIN_TOLERANCE:
                break
            for row in np.argsort(-best, kind="stable"):
                if not best[row] > GAIN_TOLERANCE:
                    break
                self._try_swap(counts, per_quota, int(occupied[row]), int(targets[row]))
        return counts

    def _try_swap(self, counts: IntArray, per_quota: FloatArray, i: int, j: int) -> None:
        """Move one seat from group `i` to group `j` if that keeps every bound."""
        moved = per_quota + self.matrix[:, j] - self.matrix[:, i]
        if (
            counts[i] > 0
            and counts[j] < self.sizes[j]
            and np.all(moved >= self.lower)
            and np.all(moved <= self.upper)
        ):
            counts[i] -= 1
            counts[j] += 1
            per_quota[:] = moved
