"""LEXIMIN and MAXIMIN distributions over quota-satisfying panels, by column generation.

After Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting citizens'
assemblies", Nature 596 (2021). Stage by stage, a restricted dual LP over the panels found so far
gives weights per group; a pricing MIP (`PanelSolver`) looks for a panel the dual has not priced
in; when none exists the stage's value is the best achievable smallest probability among the
groups not yet settled, and the groups with positive dual weight are settled at that value
(complementary slackness: every optimal distribution gives them exactly that). MAXIMIN is the
first stage alone. Invariants: every panel in the result meets the quotas; a final primal LP over
the generated panels gives each group at least its settled probability. Everything runs over
feature profiles (groups of interchangeable people), never over individuals.

Fast path: the LEXIMIN levels over the LP relaxation (`relaxation.relaxed_levels`) bound every
lottery from above in the leximin order, so a lottery whose groups all reach them is optimal.
`realize_targets` looks for one by column generation on the total shortfall in expected
counts, with swap-search pricing (`pricing.SwapSearch`) and the MIP only when the swaps find
nothing; it stops as soon as the shortfall is zero, with no proof MIP needed. On large pools
(`WALK_MIN_GROUPS` groups or more) `decompose_targets` first writes the targets as a convex
combination of panels by a face walk (`decomposition.py`), one feasibility MIP per group and no
master LP, and runs `realize_targets` only on the small face where the walk got stuck (exact
there, backing off to larger faces and finally the whole problem if that face is unreachable).
MAXIMIN uses the same LEXIMIN lottery there, which is MAXIMIN-optimal too. If the targets turn
out unreachable (the relaxation is not tight), the staged method above runs, seeded with every
panel found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from vilco_core.errors import VilcoError
from vilco_core.sortition.decomposition import face_space, walk_face
from vilco_core.sortition.pricing import SwapSearch
from vilco_core.sortition.profiles import IntArray, PanelSpace
from vilco_core.sortition.progress import CancelCheck, Progress, ProgressCallback, report
from vilco_core.sortition.relaxation import relaxed_levels
from vilco_core.sortition.solver import FloatArray, PanelSolver, new_highs

PRICING_TOLERANCE = 1e-9
SETTLE_THRESHOLD = 1e-7
SHORTFALL_TOLERANCE = 1e-9
SEARCH_STARTS = 5
SMOOTHING = 0.5
BACKTRACK = 32
WALK_MIN_GROUPS = 200  # below this, column generation alone takes well under a second
INF = highspy.kHighsInf


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Distribution:
    """Panels as counts per group (one row each) and their probabilities."""

    panels: IntArray
    weights: FloatArray


def covering_panels(solver: PanelSolver, cancelled: CancelCheck | None) -> list[IntArray]:
    """Panels that together contain every group that any quota-satisfying panel can contain."""
    sizes = solver.space.sizes
    covered = np.zeros(sizes.size, dtype=bool)
    panels: list[IntArray] = []
    while True:
        report(
            None,
            cancelled,
            Progress(stage="covering", done=0, total=sizes.size, panels=len(panels)),
        )
        panel = solver.best_panel(np.where(covered, 0.0, 1.0 / sizes))
        if panel is None:
            raise VilcoError("sortition.quotas_infeasible", features="*")
        if not np.any(panel[~covered] > 0):
            return panels
        panels.append(panel)
        covered |= panel > 0


class _Dual:
    """The restricted dual LP: min cap - sum(settled * y) s.t. per panel y·(x/s) <= cap."""

    def __init__(self, sizes: IntArray, reachable: Any) -> None:
        self.sizes = sizes.astype(float)
        self.groups = sizes.size
        self.highs = new_highs()
        self.highs.setOptionValue("presolve", "off")
        upper = np.where(reachable, INF, 0.0)
        self.highs.addVars(self.groups, np.zeros(self.groups), upper)
        self.highs.addVars(1, np.array([-INF]), np.array([INF]))
        self.highs.changeColCost(self.groups, 1.0)
        self.highs.setMinimize()
        index = np.flatnonzero(reachable).astype(np.int32)
        self.highs.addRow(1.0, 1.0, index.size, index, np.ones(index.size))

    def add_panel(self, panel: IntArray) -> None:
        index = np.flatnonzero(panel).astype(np.int32)
        values = panel[index] / self.sizes[index]
        self.highs.addRow(
            -INF, 0.0, index.size + 1, np.append(index, self.groups), np.append(values, -1.0)
        )

    def settle(self, group: int, level: float) -> None:
        self.highs.changeCoeff(0, group, 0.0)
        self.highs.changeColCost(group, -level)

    def solve(self) -> tuple[float, FloatArray, float]:
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            status = self.highs.modelStatusToString(self.highs.getModelStatus())
            raise VilcoError("sortition.solver_failed", status=status)
        values = np.asarray(self.highs.getSolution().col_value)
        objective = float(self.highs.getInfo().objective_function_value)
        return objective, np.maximum(values[: self.groups], 0.0), float(values[self.groups])


def _run_stage(
    dual: _Dual, solver: PanelSolver, panels: list[IntArray], on_step: Any
) -> tuple[float, FloatArray]:
    """Generate panels until the dual is exact; return the stage value and the dual weights."""
    sizes = solver.space.sizes
    while True:
        level, weights, cap = dual.solve()
        on_step(level, len(panels))
        panel = solver.best_panel(weights / sizes)
        if panel is None:
            raise VilcoError("sortition.quotas_infeasible", features="*")
        if float((weights / sizes) @ panel) <= cap + PRICING_TOLERANCE:
            return level, weights
        panels.append(panel)
        dual.add_panel(panel)


def settle_levels(
    space: PanelSpace,
    *,
    stages: int | None,
    progress: ProgressCallback | None,
    cancelled: CancelCheck | None,
    seeds: list[IntArray] | None = None,
) -> tuple[FloatArray, list[IntArray]]:
    """Each group's leximin probability (NaN if unsettled after `stages`) and the panels found."""
    solver = PanelSolver(space)
    panels = covering_panels(solver, cancelled) + list(seeds or [])
    reachable = np.zeros(space.sizes.size, dtype=bool)
    for panel in panels:
        reachable |= panel > 0
    levels = np.where(reachable, np.nan, 0.0)
    dual = _Dual(space.sizes, reachable)
    for panel in panels:
        dual.add_panel(panel)
    stage = 0
    while np.isnan(levels).any() and (stages is None or stage < stages):
        done = int((~np.isnan(levels)).sum())

        def on_step(level: float, count: int, done: int = done) -> None:
            state = Progress(
                stage="leximin", done=done, total=levels.size, panels=count, level=level
            )
            report(progress, cancelled, state)

        level, weights = _run_stage(dual, solver, panels, on_step)
        newly = np.flatnonzero(np.isnan(levels) & (weights > SETTLE_THRESHOLD))
        for group in newly:
            levels[group] = max(level, 0.0)
            dual.settle(int(group), levels[group])
        stage += 1
    return levels, panels


class _Shortfall:
    """Restricted master: min sum(u) s.t. sum(lambda * x) + u >= target counts, sum(lambda) = 1.

    The total shortfall in expected counts (L1), not the worst one: every short group gets a dual
    weight in [0, 1], so pricing sees the whole gap instead of the few groups that tie for the
    worst, and the duals move far less between re-solves. It is zero exactly when a lottery over
    the panels reaches every target (panels and targets both sum to the panel size).
    """

    def __init__(self, targets: FloatArray) -> None:
        self.groups = targets.size
        self.highs = new_highs()
        self.highs.addVars(self.groups, np.zeros(self.groups), np.full(self.groups, INF))
        index = np.arange(self.groups, dtype=np.int32)
        self.highs.changeColsCost(self.groups, index, np.ones(self.groups))
        self.highs.setMinimize()
        starts = np.arange(self.groups, dtype=np.int32)
        self.highs.addRows(
            self.groups,
            targets,
            np.full(self.groups, INF),
            self.groups,
            starts,
            index,
            np.ones(self.groups),
        )
        self.highs.addRow(1.0, 1.0, 0, np.zeros(0, dtype=np.int32), np.zeros(0))

    def add_panel(self, panel: IntArray) -> None:
        index = np.flatnonzero(panel)
        values = np.append(panel[index].astype(float), 1.0)
        rows = np.append(index, self.groups).astype(np.int32)
        self.highs.addCol(0.0, 0.0, INF, rows.size, rows, values)

    def solve(self) -> tuple[float, FloatArray, float, FloatArray]:
        """Total shortfall, group duals, the dual cap on panels, and each group's expected count."""
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            status = self.highs.modelStatusToString(self.highs.getModelStatus())
            raise VilcoError("sortition.solver_failed", status=status)
        solution = self.highs.getSolution()
        duals = np.asarray(solution.row_dual)
        shortfall = max(float(self.highs.getInfo().objective_function_value), 0.0)
        counts = np.asarray(solution.row_value)[: self.groups]
        counts = counts - np.asarray(solution.col_value)[: self.groups]
        return shortfall, np.maximum(duals[: self.groups], 0.0), -float(duals[-1]), counts

    def panel_weights(self) -> FloatArray:
        """The last solution's probability per panel, in the order the panels were added."""
        values = np.asarray(self.highs.getSolution().col_value)[self.groups :]
        return np.asarray(np.maximum(values, 0.0), dtype=np.float64)


def _improving_panels(
    search: SwapSearch, panels: list[IntArray], guide: FloatArray, weights: FloatArray, cap: float
) -> list[IntArray]:
    """Distinct panels above `cap` for `weights`, climbing for `guide` from the best known ones."""
    values = np.array([float(guide @ p) for p in panels])
    found: dict[bytes, IntArray] = {}
    for start in np.argsort(-values, kind="stable")[:SEARCH_STARTS]:
        panel = search.improve_panel(panels[int(start)], guide)
        if float(weights @ panel) > cap + PRICING_TOLERANCE:
            found.setdefault(panel.tobytes(), panel)
    return list(found.values())


def realize_targets(
    space: PanelSpace,
    targets: FloatArray,
    panels: list[IntArray],
    *,
    progress: ProgressCallback | None,
    cancelled: CancelCheck | None,
) -> FloatArray | None:
    """Add panels to `panels` until a lottery over them gives every group its target (return
    its weights, one per panel), or the MIP proves no lottery does (None)."""
    solver = PanelSolver(space)
    search = None if space.households else SwapSearch(space)
    goal = targets * space.sizes
    master = _Shortfall(goal)
    for panel in panels:
        master.add_panel(panel)
    center: FloatArray | None = None
    while True:
        shortfall, weights, cap, counts = master.solve()
        done = int(np.sum(counts >= goal - SHORTFALL_TOLERANCE))
        state = Progress(
            stage="leximin", done=done, total=targets.size, panels=len(panels), level=shortfall
        )
        report(progress, cancelled, state)
        if shortfall <= SHORTFALL_TOLERANCE:
            return master.panel_weights()
        new: list[IntArray] = []
        if search is not None:
            center = weights if center is None else SMOOTHING * center + (1 - SMOOTHING) * weights
            # climb for the duals and for their running average (Wentges-style smoothing):
            # the average moves less between re-solves and often prices in a better column
            climbed = _improving_panels(search, panels, weights, weights, cap)
            climbed += _improving_panels(search, panels, center, weights, cap)
            new = list({panel.tobytes(): panel for panel in climbed}.values())
        if not new:
            best = solver.best_panel(weights)
            if best is None or float(weights @ best) <= cap + PRICING_TOLERANCE:
                return None
            new = [best]
        for panel in new:
            panels.append(panel)
            master.add_panel(panel)


def decompose_targets(
    space: PanelSpace,
    targets: FloatArray,
    *,
    progress: ProgressCallback | None,
    cancelled: CancelCheck | None,
) -> Distribution | None:
    """A lottery giving every group exactly its target, or None if none exists.

    The face walk (`decomposition.walk_face`) writes the target counts as a convex combination
    of panels, one MIP feasibility step per group. If it gets stuck, the point `BACKTRACK`
    steps earlier is decomposed exactly by column generation over its face, seeded with the
    walk's later panels (all in that face); if that point is not reachable either, the walk
    backs off four times further, and at the start the column generation is exact for the
    targets themselves.
    """
    walk = walk_face(space, targets * space.sizes, progress=progress, cancelled=cancelled)
    if walk.complete:
        return _merged(walk.panels, walk.weights)
    stuck, back = len(walk.panels), BACKTRACK
    while True:
        start = max(stuck - back, 0)
        point = walk.points[start]
        face, free = face_space(space, point)
        panels = [panel[free] for panel in walk.panels[start:]]
        if not panels:  # stuck at the targets themselves: any panel of their face, if one exists
            first = PanelSolver(face).best_panel(np.zeros(free.size))
            if first is None:
                return None
            panels.append(first)
        targets = point.counts[free] / space.sizes[free]
        weights = realize_targets(face, targets, panels, progress=progress, cancelled=cancelled)
        if weights is not None:
            rest = np.rint(np.where(point.fixed, point.counts, 0.0)).astype(np.int64)
            whole = [rest.copy() for _ in panels]
            for panel, reduced in zip(whole, panels, strict=True):
                panel[free] = reduced
            return _merged(
                walk.panels[:start] + whole, walk.weights[:start] + list(point.mass * weights)
            )
        if start == 0:
            return None
        back *= 4


def _merged(panels: list[IntArray], weights: list[float]) -> Distribution:
    """Distinct panels (sorted) with their summed weights, dropping negligible ones."""
    unique, inverse = np.unique(np.array(panels, dtype=np.int64), axis=0, return_inverse=True)
    summed = np.bincount(inverse.reshape(-1), weights=np.array(weights), minlength=len(unique))
    keep = summed > 1e-12
    return Distribution(panels=unique[keep], weights=summed[keep] / summed[keep].sum())


def _primal_weights(panels: IntArray, sizes: IntArray, levels: FloatArray) -> FloatArray:
    """Panel probabilities giving each group at least its level (minimising the worst shortfall)."""
    count = panels.shape[0]
    highs = new_highs()
    highs.addVars(count, np.zeros(count), np.full(count, INF))
    highs.addVars(1, np.array([-INF]), np.array([INF]))
    highs.changeColCost(count, 1.0)
    highs.setMinimize()
    highs.addRow(1.0, 1.0, count, np.arange(count, dtype=np.int32), np.ones(count))
    share = panels / sizes
    for group in np.flatnonzero(levels > 0):
        index = np.flatnonzero(share[:, group]).astype(np.int32)
        highs.addRow(
            float(levels[group]),
            INF,
            index.size + 1,
            np.append(index, count),
            np.append(share[index, group], 1.0),
        )
    highs.run()
    weights = np.maximum(np.asarray(highs.getSolution().col_value)[:count], 0.0)
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def leximin_distribution(
    space: PanelSpace,
    *,
    maximin: bool = False,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Distribution:
    """The LEXIMIN distribution (or MAXIMIN with `maximin=True`) over quota-satisfying panels."""
    stages = 1 if maximin else None
    levels = relaxed_levels(space, stages=stages)
    reachable = True
    if space.sizes.size >= WALK_MIN_GROUPS:
        # a lottery reaching the LEXIMIN targets is also MAXIMIN-optimal
        full = relaxed_levels(space) if maximin else levels
        if not np.isnan(full).any():
            exact = decompose_targets(space, full, progress=progress, cancelled=cancelled)
            if exact is not None:
                return exact
            reachable = maximin  # the LEXIMIN targets are proven out of reach
    found: list[IntArray] = []
    if not np.all(np.isnan(levels)):
        levels = np.full(levels.size, np.nanmin(levels)) if maximin else levels
        first = PanelSolver(space).best_panel(np.zeros(space.sizes.size))
        if first is None:
            raise VilcoError("sortition.quotas_infeasible", features="*")
        found.append(first)
    reached = (
        reachable
        and not np.isnan(levels).any()
        and (
            realize_targets(space, levels, found, progress=progress, cancelled=cancelled)
            is not None
        )
    )
    if not reached:
        levels, found = settle_levels(
            space, stages=stages, progress=progress, cancelled=cancelled, seeds=found
        )
        if maximin:
            levels = np.where(levels == 0.0, 0.0, np.nanmin(levels))
    panels = np.unique(np.array(found, dtype=np.int64), axis=0)
    weights = _primal_weights(panels, space.sizes, levels)
    keep = weights > 1e-12
    return Distribution(panels=panels[keep], weights=weights[keep] / weights[keep].sum())
