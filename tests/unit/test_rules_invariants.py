"""Hypothesis invariants: within budget, greedy exhaustive when skipping, MES never overcharges."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from vilco_core.rules import compute_outcome
from vilco_core.rules.equal_shares import prepare, run_mes
from vilco_core.rules.instance import Instance, Profile, Project
from vilco_core.rules.tiebreaking import tie_ranks


@st.composite
def elections(draw: st.DrawFn) -> tuple[Instance, Profile]:
    costs = draw(st.lists(st.integers(1, 50), min_size=1, max_size=6))
    budget = draw(st.integers(1, 120))
    n = len(costs)
    ballots = draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1), min_size=1, max_size=12))
    projects = tuple(Project(project_id=f"p{i}", cost=c) for i, c in enumerate(costs))
    instance = Instance(projects=projects, budget=budget)
    return instance, Profile.from_ballots([sorted(b) for b in ballots])


RULE_CASES = [
    {"rule": "greedy"},
    {"rule": "greedy-no-skip"},
    {"rule": "greedy-exclusive"},
    {"rule": "mes"},
    {"rule": "mes", "completion": "add1"},
    {"rule": "mes", "completion": "add1-pabutools"},
    {"rule": "mes", "utility": "cardinality", "completion": "add1-greedy"},
    {"rule": "phragmen"},
]


@settings(max_examples=60, deadline=None)
@given(elections())
def test_rules_selected_cost_never_exceeds_budget(election: tuple[Instance, Profile]) -> None:
    instance, profile = election
    for case in RULE_CASES:
        outcome = compute_outcome(instance, profile, **case)
        assert outcome.cost <= outcome.budget, case
        assert len(set(outcome.selected)) == len(outcome.selected)


@settings(max_examples=60, deadline=None)
@given(elections())
def test_rules_greedy_is_exhaustive_when_skipping(election: tuple[Instance, Profile]) -> None:
    instance, profile = election
    outcome = compute_outcome(instance, profile, rule="greedy")
    left = outcome.budget - outcome.cost
    assert all(p.project_id in outcome.selected or p.cost > left for p in instance.projects)


@settings(max_examples=60, deadline=None)
@given(elections(), st.integers(1, 40))
def test_rules_mes_never_charges_more_than_budget(
    election: tuple[Instance, Profile], per_voter: int
) -> None:
    instance, profile = election
    ranks = tie_ranks(instance, profile.supporters(len(instance.projects)), "lexicographic")
    run = run_mes(prepare(instance, profile, ranks), Fraction(per_voter))
    assert run.min_remaining >= 0
    spent = per_voter * profile.num_voters - run.total_remaining
    assert spent == sum(instance.projects[i].cost for i in run.selected)
