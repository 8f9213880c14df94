"""HiGHS models for quota-satisfying panels: the pricing MIP and the feasibility check.

`PanelSolver` keeps one HiGHS MIP over group counts alive and only changes its objective, so
column generation pays the model construction once. Options are fixed (no time limit, zero
relative gap, one random seed) so that the same inputs and versions give the same panels.
"""

from __future__ import annotations

from typing import Any

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse

from vilco_core.errors import VilcoError
from vilco_core.sortition.profiles import IntArray, PanelSpace

FloatArray = npt.NDArray[np.float64]
OPTIONS: dict[str, Any] = {
    "output_flag": False,
    "random_seed": 0,
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 1e-10,
    "mip_feasibility_tolerance": 1e-9,
}


def new_highs() -> Any:
    """A silent HiGHS instance with vilco's fixed options."""
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    for name, value in OPTIONS.items():
        highs.setOptionValue(name, value)
    return highs


def constraint_rows(space: PanelSpace) -> tuple[Any, FloatArray, FloatArray]:
    groups = space.sizes.size
    household = sparse.lil_matrix((len(space.households), groups))
    for row, members in enumerate(space.households):
        household[row, list(members)] = 1
    rows = sparse.vstack([sparse.csr_matrix(space.matrix), np.ones((1, groups)), household])
    lower = np.concatenate([space.lower, [space.size], np.zeros(len(space.households))])
    upper = np.concatenate([space.upper, [space.size], np.ones(len(space.households))])
    return sparse.csc_matrix(rows), lower.astype(float), upper.astype(float)


def panel_lp(space: PanelSpace, upper_counts: IntArray) -> Any:
    matrix, row_lower, row_upper = constraint_rows(space)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = np.zeros(lp.num_col_)
    lp.col_lower_ = np.zeros(lp.num_col_)
    lp.col_upper_ = upper_counts.astype(float)
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data.astype(float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    lp.sense_ = highspy.ObjSense.kMaximize
    return lp


class PanelSolver:
    """Best panel for per-group weights: maximise `weights @ x` over quota-satisfying `x`."""

    def __init__(self, space: PanelSpace, *, upper_counts: IntArray | None = None) -> None:
        self.space = space
        self.highs = new_highs()
        bounds = space.sizes if upper_counts is None else upper_counts
        self.highs.passModel(panel_lp(space, bounds))
        self.indices = np.arange(space.sizes.size, dtype=np.int32)

    def best_panel(self, weights: FloatArray) -> IntArray | None:
        """An optimal panel's counts, or None when no panel meets the quotas."""
        self.highs.changeColsCost(self.indices.size, self.indices, weights.astype(float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise VilcoError(
                "sortition.solver_failed", status=self.highs.modelStatusToString(status)
            )
        values = np.asarray(self.highs.getSolution().col_value)
        counts: IntArray = np.rint(values).astype(np.int64)
        return counts


def find_panel(space: PanelSpace) -> IntArray | None:
    """Any quota-satisfying panel's counts, or None when the quotas cannot be met."""
    return PanelSolver(space).best_panel(np.zeros(space.sizes.size))
