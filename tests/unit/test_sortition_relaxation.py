"""Fast-path pieces of LEXIMIN: relaxation targets bound the optimum, swap search keeps quotas."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.sortition_helpers import SORTITION, load
from vilco_core.sortition.pool import project_pool
from vilco_core.sortition.pricing import SwapSearch
from vilco_core.sortition.profiles import PanelSpace, group_people, is_panel, panel_space
from vilco_core.sortition.relaxation import relaxed_levels
from vilco_core.sortition.solver import PanelSolver

pytestmark = pytest.mark.skipif(not SORTITION.is_dir(), reason="shared data not beside checkout")

# maximin optima: sortition-algorithms (first two), vilco's exact staged method (the third)
MAXIMIN = {
    "opendlp_monitoring_30": 27 / 91,
    "sa_fixture_22": 1 / 11,
    "synthetic_sfe_like_110_loose": 0.0335861321776815,
}


def space_of(name: str) -> PanelSpace:
    instance = load(name)
    pool = project_pool(instance.pool, instance.pool.features, households=False)
    groups = group_people(pool, one_per_household=False)
    return panel_space(groups, pool.features, instance.quotas, instance.size)


@pytest.mark.parametrize("name", sorted(MAXIMIN))
def test_relaxed_levels_first_stage_is_the_maximin_optimum(name: str) -> None:
    levels = relaxed_levels(space_of(name), stages=1)
    assert float(np.nanmin(levels)) == pytest.approx(MAXIMIN[name], abs=1e-7)


def test_relaxed_levels_settle_every_group_and_never_fall() -> None:
    space = space_of("sa_fixture_22")
    levels = relaxed_levels(space)
    assert not np.isnan(levels).any()
    assert float((levels * space.sizes).sum()) <= space.size + 1e-6
    assert float(levels.min()) == pytest.approx(1 / 11, abs=1e-7)


@pytest.mark.parametrize("name", ["sa_fixture_22", "synthetic_sfe_like_110_loose"])
def test_swap_search_keeps_quotas_and_never_loses_value(name: str) -> None:
    space = space_of(name)
    start = PanelSolver(space).best_panel(np.zeros(space.sizes.size))
    assert start is not None
    rng = np.random.default_rng(7)
    search = SwapSearch(space)
    for _ in range(5):
        weights = rng.random(space.sizes.size)
        panel = search.improve_panel(start, weights)
        assert is_panel(space, panel)
        assert float(weights @ panel) >= float(weights @ start) - 1e-12
        assert search.improve_panel(panel, weights).tolist() == panel.tolist()
