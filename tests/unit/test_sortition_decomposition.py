"""Face walk: target counts as a convex combination of quota-satisfying panels, exactly."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import vilco_core.sortition.leximin as leximin_module
from tests.unit.sortition_helpers import SORTITION, load, lottery
from tests.unit.test_sortition_leximin import small_instances
from vilco_core.errors import ValidationErrors
from vilco_core.sortition import compute_lottery, load_instance, person_probabilities
from vilco_core.sortition.decomposition import face_space, walk_face
from vilco_core.sortition.leximin import decompose_targets, realize_targets
from vilco_core.sortition.lottery import lottery_space, panel_counts
from vilco_core.sortition.pool import project_pool
from vilco_core.sortition.profiles import PanelSpace, group_people, is_panel, panel_space
from vilco_core.sortition.relaxation import relaxed_levels

pytestmark = pytest.mark.skipif(not SORTITION.is_dir(), reason="shared data not beside checkout")

SYNTHETIC_MINIMUM = 0.0335861322


def space_of(name: str) -> PanelSpace:
    instance = load(name)
    pool = project_pool(instance.pool, instance.pool.features, households=False)
    return panel_space(
        group_people(pool, one_per_household=False), pool.features, instance.quotas, instance.size
    )


def household_space() -> PanelSpace:
    people = "id,g,home\n" + "".join(f"{i},{'f' if i % 2 else 'm'},h{i // 3}\n" for i in range(9))
    instance = load_instance(
        people, "feature,value,min,max\ng,f,1,3\ng,m,1,3\n", 3, household_columns=["home"]
    )
    groups = group_people(instance.pool, one_per_household=True)
    return panel_space(groups, instance.pool.features, instance.quotas, instance.size)


@pytest.mark.parametrize(
    "space",
    [space_of("sa_fixture_22"), space_of("opendlp_monitoring_30"), household_space()],
    ids=["sa_fixture_22", "opendlp_monitoring_30", "households"],
)
def test_walk_weights_and_last_point_rebuild_the_targets(space: PanelSpace) -> None:
    counts = relaxed_levels(space) * space.sizes
    walk = walk_face(space, counts, progress=None, cancelled=None)
    assert all(is_panel(space, panel) for panel in walk.panels)
    last = 0.0 if walk.complete else walk.points[-1].mass
    rebuilt = np.array(walk.weights) @ np.array(walk.panels)
    if not walk.complete:
        rebuilt = rebuilt + last * walk.points[-1].counts
    assert np.abs(rebuilt - counts).max() < 1e-9
    assert sum(walk.weights) + last == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(
    "space",
    [space_of("sa_fixture_22"), space_of("opendlp_monitoring_30"), household_space()],
    ids=["sa_fixture_22", "opendlp_monitoring_30", "households"],
)
def test_decomposed_lottery_gives_every_group_its_relaxation_target(space: PanelSpace) -> None:
    targets = relaxed_levels(space)
    distribution = decompose_targets(space, targets, progress=None, cancelled=None)
    assert distribution is not None
    assert all(is_panel(space, panel) for panel in distribution.panels)
    probabilities = distribution.weights @ distribution.panels / space.sizes
    assert np.abs(probabilities - targets).max() < 1e-9


def test_face_of_a_walk_point_holds_its_later_panels() -> None:
    space = space_of("sa_fixture_22")
    walk = walk_face(space, relaxed_levels(space) * space.sizes, progress=None, cancelled=None)
    start = len(walk.panels) // 2
    face, free = face_space(space, walk.points[start])
    assert all(is_panel(face, panel[free]) for panel in walk.panels[start:])
    targets = walk.points[start].counts[free] / space.sizes[free]
    panels = [panel[free] for panel in walk.panels[start:]]
    weights = realize_targets(face, targets, panels, progress=None, cancelled=None)
    assert weights is not None
    assert np.abs(weights @ np.array(panels) - targets * face.sizes).max() < 1e-6


@pytest.mark.slow
def test_synthetic_leximin_reaches_every_relaxation_target() -> None:
    lot = lottery("synthetic_sfe_like_110_loose")
    space = lottery_space(lot)
    assert all(is_panel(space, panel_counts(lot, p)) for p in lot.panels)
    probabilities = person_probabilities(lot)
    assert float(min(probabilities.values())) == pytest.approx(SYNTHETIC_MINIMUM, abs=1e-6)
    targets = relaxed_levels(space)
    tickets = np.array([p.tickets for p in lot.panels], dtype=float) / lot.tickets
    counts = tickets @ np.array([panel_counts(lot, p) for p in lot.panels])
    # tickets round each panel's weight to 1e-12, so counts move by at most ~1e-8
    assert np.abs(counts / space.sizes - targets).max() < 1e-8


def test_decomposition_is_deterministic() -> None:
    space = space_of("opendlp_monitoring_30")
    targets = relaxed_levels(space)
    first = decompose_targets(space, targets, progress=None, cancelled=None)
    second = decompose_targets(space, targets, progress=None, cancelled=None)
    assert first is not None and second is not None
    assert np.array_equal(first.panels, second.panels)
    assert np.array_equal(first.weights, second.weights)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_walk_path_gives_the_same_leximin_as_column_generation(case: tuple[str, str, int]) -> None:
    people, quotas, k = case
    try:
        instance = load_instance(people, quotas, k)
    except ValidationErrors:
        return
    plain = sorted(person_probabilities(compute_lottery(instance, "leximin")).values())
    with patch.object(leximin_module, "WALK_MIN_GROUPS", 0):
        lot = compute_lottery(instance, "leximin")
    space = lottery_space(lot)
    assert all(is_panel(space, panel_counts(lot, p)) for p in lot.panels)
    walked = sorted(person_probabilities(lot).values())
    assert sum(walked) == k
    assert max(abs(float(a - b)) for a, b in zip(plain, walked, strict=True)) < 1e-6
