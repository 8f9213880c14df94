"""The NumPy fast path of MES (`equal_shares`) gives exactly what the plain `Fraction` reference
(`equal_shares_exact`) gives: same buying order, same exact prices, same explanations."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vilco_core.pabulib import read_pabulib
from vilco_core.rules import compute_outcome, equal_shares, equal_shares_add1, equal_shares_exact
from vilco_core.rules.instance import Instance, Profile, Project
from vilco_core.rules.mes_io import MesRun
from vilco_core.rules.tiebreaking import tie_ranks

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"


@st.composite
def elections(draw: st.DrawFn) -> tuple[Instance, Profile]:
    costs = draw(st.lists(st.integers(1, 60), min_size=1, max_size=7))
    budget = draw(st.integers(1, 150))
    n = len(costs)
    ballots = draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1), min_size=1, max_size=14))
    projects = tuple(Project(project_id=f"p{i}", cost=c) for i, c in enumerate(costs))
    return Instance(projects=projects, budget=budget), Profile.from_ballots(
        [sorted(b) for b in ballots]
    )


@settings(max_examples=150, deadline=None)
@given(
    elections(),
    st.fractions(Fraction(1, 3), Fraction(40)),
    st.sampled_from(["cost", "cardinality"]),
)
def test_rules_mes_fast_run_equals_exact_reference(
    election: tuple[Instance, Profile], per_voter: Fraction, utility: str
) -> None:
    instance, profile = election
    ranks = tie_ranks(instance, profile.supporters(len(instance.projects)), "lexicographic")
    fast = equal_shares.run_mes(equal_shares.prepare(instance, profile, ranks, utility), per_voter)
    exact = equal_shares_exact.run_mes(
        equal_shares_exact.prepare(instance, profile, ranks, utility), per_voter
    )
    assert fast.selected == exact.selected
    assert fast.trace == exact.trace
    assert fast.records == exact.records
    assert (fast.min_remaining, fast.total_remaining) == (
        exact.min_remaining,
        exact.total_remaining,
    )


@settings(max_examples=80, deadline=None)
@given(elections())
def test_rules_mes_fast_completions_equal_exact_reference(
    election: tuple[Instance, Profile],
) -> None:
    instance, profile = election
    ranks = tie_ranks(instance, profile.supporters(len(instance.projects)), "lexicographic")
    fast_data = equal_shares.prepare(instance, profile, ranks)
    exact_data = equal_shares_exact.prepare(instance, profile, ranks)
    for name in ("equal_shares_fixed", "equal_shares_add1", "equal_shares_add1_pabutools"):
        fast = getattr(equal_shares if name.endswith("fixed") else equal_shares_add1, name)(
            fast_data
        )
        exact = getattr(equal_shares_exact, name)(exact_data)
        assert (fast.selected, fast.voter_budget, fast.records) == (
            exact.selected,
            exact.voter_budget,
            exact.records,
        ), name


def _add1_one_unit_at_a_time(data: equal_shares.MesData, start: Fraction, stop: str) -> Fraction:
    """The completions' literal definition: the level whose outcome they keep."""
    instance, level = data.instance, start
    previous: Fraction | None = None
    while True:
        run = equal_shares.run_mes(data, level, explain=False)
        if equal_shares.total_cost(instance, run.selected) > instance.budget:
            assert previous is not None
            return previous
        if stop == "all" and len(run.selected) == len(data.eligible):
            return level
        if stop == "exhaustive" and equal_shares_exact_exhaustive(data, run):
            return level
        previous, level = level, level + instance.unit


@settings(max_examples=60, deadline=None)
@given(elections(), st.sampled_from([1, 3]))
def test_rules_mes_add1_equals_its_one_unit_at_a_time_definition(
    election: tuple[Instance, Profile], unit: int
) -> None:
    instance, profile = election
    instance = Instance(projects=instance.projects, budget=instance.budget * unit, unit=unit)
    ranks = tie_ranks(instance, profile.supporters(len(instance.projects)), "lexicographic")
    data = equal_shares.prepare(instance, profile, ranks)
    n = profile.num_voters
    origin = Fraction(instance.budget // (n * unit) * unit)
    cases = [
        (equal_shares_add1.equal_shares_add1, origin, "all"),
        (equal_shares_add1.equal_shares_add1_pabutools, Fraction(instance.budget, n), "exhaustive"),
    ]
    for completion, start, stop in cases:
        level = _add1_one_unit_at_a_time(data, start, stop)
        kept = completion(data)
        assert kept.voter_budget == level
        at_level = equal_shares.run_mes(data, level)
        assert (kept.selected, kept.records) == ((*data.free, *at_level.selected), at_level.records)


def test_rules_mes_fast_breaks_exact_ties_by_rank() -> None:
    # two projects with the same supporters count, all rich: rho = 1/3 for both in exact terms
    projects = (Project(project_id="b", cost=700), Project(project_id="a", cost=300))
    instance = Instance(projects=projects, budget=3000)
    profile = Profile.from_ballots([[0, 1], [0, 1], [0, 1]])
    outcome = compute_outcome(instance, profile, rule="mes")
    assert outcome.selected == ("a", "b")


@pytest.mark.parametrize("completion", ["add1", "add1-pabutools"])
def test_rules_mes_add1_on_warszawa_2026_is_the_last_level_within_budget(completion: str) -> None:
    # no recorded pabutools answer here (pabutools takes too long): check add1's definition
    parsed = read_pabulib(DATA / "Poland_Warszawa_2026.pb")
    instance, profile = parsed.instance, parsed.profile
    outcome = compute_outcome(instance, profile, rule="mes", completion=completion)
    assert outcome.cost <= outcome.budget
    ranks = tie_ranks(instance, profile.supporters(len(instance.projects)), "lexicographic")
    data = equal_shares.prepare(instance, profile, ranks)
    assert outcome.voter_budget is not None
    level = outcome.voter_budget * instance.unit
    at_level = equal_shares.run_mes(data, level, explain=False)
    ids = {instance.projects[i].project_id for i in at_level.selected}
    assert ids == set(outcome.selected)
    above = equal_shares.run_mes(data, level + instance.unit, explain=False)
    exhausted = completion == "add1-pabutools" and equal_shares_exact_exhaustive(data, at_level)
    assert exhausted or equal_shares.total_cost(instance, above.selected) > instance.budget


def equal_shares_exact_exhaustive(data: equal_shares.MesData, run: MesRun) -> bool:
    left = data.instance.budget - equal_shares.total_cost(data.instance, run.selected)
    return all(
        data.instance.projects[i].cost > left for i in data.eligible if i not in run.selected
    )
