"""The greedy sequential draw the Sortition Foundation used before 2021, for comparison.

One run: while seats remain, take the quota category with the highest ratio (people still needed
over people still available), seat a random remaining person of that category, drop everyone
whose category is now full (and the new member's housemates); a run that strands a minimum is
retried. Its selection probabilities have no closed form: `legacy_distribution` estimates them
by repeating the run and returns the empirical distribution, so they are labelled *estimated*.
"""

from __future__ import annotations

import numpy as np

from vilco_core.errors import VilcoError
from vilco_core.sortition.leximin import Distribution
from vilco_core.sortition.profiles import IntArray, PanelSpace, is_panel
from vilco_core.sortition.progress import CancelCheck, Progress, ProgressCallback, report

LEGACY_RUNS = 1000
MAX_ATTEMPTS = 100


def _housemates(space: PanelSpace) -> dict[int, list[int]]:
    return {g: [h for h in house if h != g] for house in space.households for g in house}


def _pick_category(space: PanelSpace, remaining: IntArray, selected: IntArray) -> int | None:
    available = space.matrix @ remaining
    need = space.lower - selected
    if np.any(need > available):
        return None
    open_ = (available > 0) & (space.upper > 0)
    if not open_.any():
        return None
    ratio = np.where(open_, need / np.maximum(available, 1), -np.inf)
    return int(np.argmax(ratio))


def legacy_panel(space: PanelSpace, rng: np.random.Generator) -> IntArray | None:
    """One greedy run's counts per group, or None when it strands a minimum."""
    remaining, counts = space.sizes.copy(), np.zeros_like(space.sizes)
    selected, housemates = np.zeros_like(space.lower), _housemates(space)
    for _ in range(space.size):
        category = _pick_category(space, remaining, selected)
        if category is None:
            return None
        weights = np.cumsum(space.matrix[category] * remaining)
        group = int(np.searchsorted(weights, rng.integers(int(weights[-1])), side="right"))
        counts[group] += 1
        remaining[group] -= 1
        selected += space.matrix[:, group]
        remaining[housemates.get(group, [])] = 0
        full = (selected >= space.upper) & (space.matrix[:, group] > 0)
        remaining[space.matrix[full].any(axis=0)] = 0
    return counts if is_panel(space, counts) else None


def legacy_distribution(
    space: PanelSpace,
    rng: np.random.Generator,
    *,
    runs: int = LEGACY_RUNS,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Distribution:
    """The empirical distribution of `runs` legacy draws (each retried up to MAX_ATTEMPTS times)."""
    panels: list[IntArray] = []
    for run in range(runs):
        if run % 50 == 0:
            report(progress, cancelled, Progress(stage="legacy", done=run, total=runs, panels=run))
        panel = next(
            (p for _ in range(MAX_ATTEMPTS) if (p := legacy_panel(space, rng)) is not None), None
        )
        if panel is None:
            raise VilcoError("sortition.legacy_failed", attempts=MAX_ATTEMPTS)
        panels.append(panel)
    rows = np.array(panels, dtype=np.int64)
    return Distribution(panels=rows, weights=np.full(runs, 1.0 / runs))
