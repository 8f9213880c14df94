"""LEXIMIN over the LP relaxation of the panel polytope: cheap targets for the exact method.

The expected counts of any lottery lie in the polytope `Q` of fractional panels (quotas, panel
size, group sizes, households, with counts allowed to be fractional), so LEXIMIN over `Q` is
an upper bound, in the leximin order, on every lottery. It takes one small LP per stage over
counts per group, no column generation: maximise the smallest probability among unsettled
groups, settle every group with a positive dual at that value (complementary slackness), repeat.
When a lottery over real panels reaches these targets (see `leximin.py`), it is LEXIMIN-optimal.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy import sparse

from vilco_core.errors import VilcoError
from vilco_core.sortition.profiles import PanelSpace
from vilco_core.sortition.solver import FloatArray, constraint_rows, new_highs

SETTLE_THRESHOLD = 1e-9
INF = highspy.kHighsInf


def relaxed_levels(space: PanelSpace, *, stages: int | None = None) -> FloatArray:
    """Each group's LEXIMIN probability over `Q`; NaN for groups not settled (after `stages`)."""
    groups = space.sizes.size
    rows, lower, upper = constraint_rows(space)
    rows = sparse.csr_matrix(rows)
    highs = new_highs()
    highs.addVars(groups, np.zeros(groups), space.sizes.astype(float))
    highs.addVars(1, np.array([-INF]), np.array([INF]))
    highs.changeColCost(groups, 1.0)
    highs.setMaximize()
    starts = rows.indptr[:-1].astype(np.int32)
    highs.addRows(rows.shape[0], lower, upper, rows.nnz, starts, rows.indices, rows.data)
    first = rows.shape[0]
    for g in range(groups):
        index = np.array([g, groups], dtype=np.int32)
        highs.addRow(0.0, INF, 2, index, np.array([1.0 / space.sizes[g], -1.0]))
    levels = np.full(groups, np.nan)
    stage = 0
    while np.isnan(levels).any() and (stages is None or stage < stages):
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            status = highs.modelStatusToString(highs.getModelStatus())
            raise VilcoError("sortition.solver_failed", status=status)
        level = max(float(highs.getInfo().objective_function_value), 0.0)
        duals = np.abs(np.asarray(highs.getSolution().row_dual)[first:])
        newly = np.flatnonzero(np.isnan(levels) & (duals > SETTLE_THRESHOLD))
        if newly.size == 0:  # numerically stuck: leave the rest unsettled (callers go exact)
            break
        levels[newly] = level
        for row in (first + newly).tolist():
            highs.changeCoeff(row, groups, 0.0)
            highs.changeRowBounds(row, level, INF)
        stage += 1
    return levels
