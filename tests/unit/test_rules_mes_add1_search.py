"""The `add1` completions search the per-voter budget instead of climbing it unit by unit: the
number of MES runs follows how often the outcome changes, not the size of the money unit."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.mes_shapes import BUDAPEST_PER_VOTER, budapest_shaped
from vilco_core.rules import compute_outcome, equal_shares, equal_shares_add1
from vilco_core.rules.instance import Instance, Profile, Project
from vilco_core.rules.mes_io import MesRun, whole_units_share
from vilco_core.rules.tiebreaking import tie_ranks


def _counted(
    monkeypatch: pytest.MonkeyPatch, instance: Instance, profile: Profile, completion: str
) -> tuple[int, tuple[str, ...], Fraction | None]:
    """MES runs (plain or guided) and certificates (each one MES run) an add1 completion makes;
    its outcome."""
    calls = [0]
    counted = {
        name: getattr(equal_shares_add1, name)
        for name in ("_run_float", "_rounds", "_same_outcome_at")
    }

    def counting(function: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object) -> object:
            calls[0] += 1
            return function(*args)

        return call

    with monkeypatch.context() as patch:
        for name, function in counted.items():
            patch.setattr(equal_shares_add1, name, counting(function))
        outcome = compute_outcome(instance, profile, rule="mes", completion=completion)
    return calls[0], outcome.selected, outcome.voter_budget


@pytest.mark.parametrize("completion", ["add1", "add1-pabutools"])
def test_add1_search_does_not_grow_with_a_smaller_money_unit(
    monkeypatch: pytest.MonkeyPatch, completion: str
) -> None:
    coarse = budapest_shaped(seed=2)
    fine = budapest_shaped(seed=2, scale=1000)  # costs and budget in thousandths of a forint
    runs, selected, level = _counted(monkeypatch, *coarse, completion)
    fine_runs, fine_selected, fine_level = _counted(monkeypatch, *fine, completion)
    assert fine_selected == selected
    assert level is not None and fine_level is not None
    climbed = int(level) - BUDAPEST_PER_VOTER  # forints climbed
    assert climbed > 90_000  # a unit-by-unit climb: 90,000 runs, 90 million on the fine one
    assert runs < climbed / 200
    # a finer unit lets the search meet outcomes the coarse levels step over, no more
    assert fine_runs < 2.5 * runs
    assert abs(fine_level / 1000 - level) < 1  # the same climb, within one coarse unit


def _climb(instance: Instance, profile: Profile, completion: str) -> MesRun:
    """The definitions, one currency unit at a time: `add1` from floor(B / n) while the outcome
    fits (stop when everything is bought), `add1-pabutools` from B / n until the outcome is
    exhaustive; over budget, the previous level's outcome."""
    ranks = tie_ranks(instance, profile.supporters(len(instance.projects)), "lexicographic")
    data = equal_shares.prepare(instance, profile, ranks)
    if completion == "add1":
        level = whole_units_share(data)
    else:
        level = Fraction(instance.budget, profile.num_voters)
    kept = None
    while True:
        run = equal_shares.run_mes(data, level)
        cost = equal_shares.total_cost(instance, run.selected)
        if cost > instance.budget:
            break
        kept = run
        left, taken = instance.budget - cost, set(run.selected)
        out = [i for i in data.eligible if i not in taken]
        if not out or (completion != "add1" and all(instance.projects[i].cost > left for i in out)):
            break
        level += instance.unit
    assert kept is not None
    return kept


@st.composite
def cents_elections(draw: st.DrawFn) -> tuple[Instance, Profile]:
    """Costs in cents (unit 100): the completions climb through many levels."""
    costs = draw(st.lists(st.integers(100, 6000), min_size=1, max_size=6))
    n = len(costs)
    ballots = draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1), min_size=1, max_size=10))
    budget = draw(st.integers(100, 12000))
    projects = tuple(Project(project_id=f"p{i}", cost=c) for i, c in enumerate(costs))
    instance = Instance(projects=projects, budget=budget, unit=100)
    return instance, Profile.from_ballots([sorted(b) for b in ballots])


@settings(max_examples=60, deadline=None)
@given(cents_elections(), st.sampled_from(["add1", "add1-pabutools"]))
def test_add1_search_equals_the_unit_by_unit_climb(
    election: tuple[Instance, Profile], completion: str
) -> None:
    instance, profile = election
    kept = _climb(instance, profile, completion)
    outcome = compute_outcome(instance, profile, rule="mes", completion=completion)
    ids = tuple(instance.projects[i].project_id for i in kept.selected)
    assert set(outcome.selected) == set(ids)
    assert outcome.voter_budget == kept.voter_budget / instance.unit


def _guided_chain(instance: Instance, profile: Profile, start: Fraction, levels: int) -> float:
    """Runs guided by the run one unit above them buy exactly what plain runs buy, at exactly
    the same prices. Returns how many project evaluations they made per plain run's one."""
    ranks = tie_ranks(instance, profile.supporters(len(instance.projects)), "lexicographic")
    data = equal_shares.prepare(instance, profile, ranks)
    guide = equal_shares._run_float(data, start + levels * instance.unit)
    guided_looks = plain_looks = 0
    for k in range(levels - 1, -1, -1):
        level = start + k * instance.unit
        guided = equal_shares._rounds(equal_shares._start(data, level), guide)
        plain = equal_shares._run_float(data, level)
        assert guided.selected == plain.selected
        exact = equal_shares._finish(guided, explain=False)
        assert exact.trace == equal_shares._finish(plain, explain=False).trace
        assert exact.total_remaining == equal_shares._finish(plain, explain=False).total_remaining
        guided_looks, plain_looks = guided_looks + len(guided.looks), plain_looks + len(plain.looks)
        guide = guided
    return guided_looks / plain_looks


def test_guided_runs_equal_plain_runs_on_the_budapest_shape() -> None:
    instance, profile = budapest_shaped(seed=3)
    assert _guided_chain(instance, profile, Fraction(BUDAPEST_PER_VOTER), 12) < 0.8


@settings(max_examples=60, deadline=None)
@given(cents_elections(), st.integers(0, 30))
def test_guided_runs_equal_plain_runs(election: tuple[Instance, Profile], offset: int) -> None:
    instance, profile = election
    share = instance.budget // (profile.num_voters * instance.unit) * instance.unit
    _guided_chain(instance, profile, Fraction(share + offset * instance.unit), 6)
