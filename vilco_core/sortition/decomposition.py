"""Face walk: write target expected counts as a convex combination of panels, Carathéodory-style.

Any lottery reaching target counts `x*` only uses panels in the smallest face of the polytope of
fractional panels that contains `x*`: a group at 0 or at its size stays there, a tight quota or
household stays tight. `walk_face` picks a panel `y` in the current point's face (a feasibility
MIP with a fixed pseudo-random objective, stopped at its first solution), moves the point away
from `y` as far as the polytope allows (a ratio test), so that `x = (x' + t y) / (1 + t)` with
`x'` on a smaller face, and repeats from `x'`. Each step fixes one more group or tightens one
more row, so it takes at most one step per group and row, and the weights it records are exact
up to rounding. When the current face holds no panel (the walk left the integer hull; the
targets may still be reachable) it stops early; `face_space` then gives the face of an earlier
point, where `leximin.py` finishes exactly by column generation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

from vilco_core.sortition.profiles import IntArray, PanelSpace
from vilco_core.sortition.progress import CancelCheck, Progress, ProgressCallback, report
from vilco_core.sortition.solver import FloatArray, constraint_rows, new_highs, panel_lp

FACE_TOLERANCE = 1e-9
WALK_SEED = 0
FOUND = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit)
BoolArray = np.ndarray[tuple[int], np.dtype[np.bool_]]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Point:
    """A point of the walk: counts per group, its remaining weight and its face."""

    counts: FloatArray
    mass: float
    fixed: BoolArray
    tight: BoolArray


@dataclass(slots=True, kw_only=True, eq=False)
class Walk:
    """Panels and weights so far; `points[i]` is the point before step `i`."""

    panels: list[IntArray] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    complete: bool = False


class _FaceWalk:
    """The walk's state: current point, its face (fixed groups, tight rows) and the face MIP."""

    def __init__(self, space: PanelSpace, counts: FloatArray) -> None:
        rows, self.lower, self.upper = constraint_rows(space)
        self.rows = rows.tocsr()
        self.sizes = space.sizes.astype(float)
        self.point = np.clip(counts.astype(float), 0.0, self.sizes)
        self.mass = 1.0
        self.fixed = np.zeros(self.sizes.size, dtype=bool)
        self.tight = np.zeros(self.lower.size, dtype=bool)
        self.highs = new_highs()
        self.highs.setOptionValue("mip_max_improving_sols", 1)  # any panel in the face will do
        self.highs.setOptionValue("mip_detect_symmetry", False)  # costly, and no search to prune
        self.highs.passModel(panel_lp(space, space.sizes))

    def fix_group(self, group: int, value: float) -> None:
        self.point[group] = value
        self.fixed[group] = True
        self.highs.changeColBounds(group, value, value)

    def tighten_row(self, row: int, value: float) -> None:
        self.tight[row] = True
        self.highs.changeRowBounds(row, value, value)

    def update_face(self) -> Point:
        """Fix every group at a bound and tighten every row at a bound (within tolerance)."""
        x = self.point
        for group in np.flatnonzero(~self.fixed & (x <= FACE_TOLERANCE)):
            self.fix_group(int(group), 0.0)
        for group in np.flatnonzero(~self.fixed & (x >= self.sizes - FACE_TOLERANCE)):
            self.fix_group(int(group), float(self.sizes[group]))
        values = self.rows @ x
        for bound in (self.lower, self.upper):
            for row in np.flatnonzero(~self.tight & (np.abs(values - bound) <= FACE_TOLERANCE)):
                self.tighten_row(int(row), float(bound[row]))
        return Point(
            counts=self.point.copy(),
            mass=self.mass,
            fixed=self.fixed.copy(),
            tight=self.tight.copy(),
        )

    def panel_in_face(self, objective: FloatArray) -> IntArray | None:
        indices = np.arange(objective.size, dtype=np.int32)
        self.highs.changeColsCost(objective.size, indices, objective)
        self.highs.run()
        if self.highs.getModelStatus() not in FOUND:
            return None
        panel: IntArray = np.rint(np.asarray(self.highs.getSolution().col_value)).astype(np.int64)
        return panel

    def step_away(self, panel: IntArray) -> float:
        """Move the point away from `panel` to the face's boundary; the panel's weight."""
        x, away = self.point, self.point - panel
        free = ~self.fixed & (np.abs(away) > FACE_TOLERANCE)
        if not free.any():  # the point is this panel: it takes the remaining mass
            weight, self.mass = self.mass, 0.0
            return weight
        change = self.rows @ away
        open_rows = ~self.tight & (np.abs(change) > FACE_TOLERANCE)
        values = self.rows @ x
        limits = np.concatenate(
            [
                np.where(away[free] < 0, x[free], self.sizes[free] - x[free]) / np.abs(away[free]),
                np.where(
                    change[open_rows] < 0,
                    values[open_rows] - self.lower[open_rows],
                    self.upper[open_rows] - values[open_rows],
                )
                / np.abs(change[open_rows]),
            ]
        )
        first = int(np.argmin(limits))
        step = max(float(limits[first]), 0.0)
        self.point = np.clip(x + step * away, 0.0, self.sizes)
        # mark the blocking bound exactly, so every step shrinks the face even when t is ~0
        if first < int(free.sum()):
            group = int(np.flatnonzero(free)[first])
            self.fix_group(group, 0.0 if away[group] < 0 else float(self.sizes[group]))
        else:
            row = int(np.flatnonzero(open_rows)[first - int(free.sum())])
            self.tighten_row(row, float(self.lower[row] if change[row] < 0 else self.upper[row]))
        weight = self.mass * step / (1.0 + step)
        self.mass /= 1.0 + step
        return weight


def walk_face(
    space: PanelSpace,
    counts: FloatArray,
    *,
    progress: ProgressCallback | None,
    cancelled: CancelCheck | None,
) -> Walk:
    """Panels and weights whose combination plus the last point's mass gives `counts`."""
    state = _FaceWalk(space, counts)
    rng = np.random.default_rng(WALK_SEED)
    walk = Walk()
    for _ in range(state.sizes.size + state.lower.size + 1):
        walk.points.append(state.update_face())
        done = int(state.fixed.sum())
        report(
            progress,
            cancelled,
            Progress(stage="leximin", done=done, total=state.sizes.size, panels=len(walk.panels)),
        )
        panel = state.panel_in_face(rng.standard_normal(state.sizes.size))
        if panel is None:
            return walk
        walk.panels.append(panel)
        walk.weights.append(state.step_away(panel))
        if state.mass <= 0.0:
            walk.complete = True
            return walk
    return walk


def face_space(space: PanelSpace, point: Point) -> tuple[PanelSpace, IntArray]:
    """The panels of `space` in `point`'s face, over its free groups only (returned too).

    Fixed groups move into the quota bounds and the panel size; tight quotas and households
    become equalities (households as matrix rows, since `households` only caps at one).
    """
    free = np.flatnonzero(~point.fixed)
    fixed = np.rint(np.where(point.fixed, point.counts, 0.0)).astype(np.int64)
    quotas = space.lower.size
    taken = space.matrix @ fixed
    reached = np.rint(space.matrix @ point.counts).astype(np.int64)
    lower = np.where(point.tight[:quotas], reached, space.lower) - taken
    upper = np.where(point.tight[:quotas], reached, space.upper) - taken
    position = {int(g): i for i, g in enumerate(free)}
    households, equal = [], []
    for members, tight in zip(space.households, point.tight[quotas + 1 :], strict=True):
        left = tuple(position[m] for m in members if m in position)
        if tight and left and not fixed[list(members)].any():
            equal.append(left)
        elif len(left) > 1:
            households.append(left)
    rows = np.zeros((len(equal), free.size), dtype=np.int64)
    for row, members in enumerate(equal):
        rows[row, list(members)] = 1
    reduced = PanelSpace(
        sizes=space.sizes[free],
        matrix=np.vstack([space.matrix[:, free], rows]),
        lower=np.concatenate([lower, np.ones(len(equal), dtype=np.int64)]),
        upper=np.concatenate([upper, np.ones(len(equal), dtype=np.int64)]),
        size=space.size - int(fixed.sum()),
        households=tuple(households),
    )
    return reduced, free
