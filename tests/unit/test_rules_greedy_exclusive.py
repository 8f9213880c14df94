"""`greedy-exclusive` (Pabulib META rule of Warsaw's districts): greedy where projects declared
mutually exclusive cannot all be funded. Mokotów 2024's declared winners, the exclusions (either
side, threshold, reasons), their `.pb` column and the invariants."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vilco_core.__main__ import main
from vilco_core.errors import VilcoError
from vilco_core.pabulib import parse_pabulib, read_pabulib, write_pabulib
from vilco_core.rules import RULES, compute_outcome, rule_from_meta
from vilco_core.rules.greedy_exclusive import conflicts
from vilco_core.rules.instance import Instance, Profile, Project

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"
MOKOTOW = DATA / "Poland_Warszawa_2024_Mokotow.pb"


def test_greedy_exclusive_is_registered_and_read_from_meta() -> None:
    assert "greedy-exclusive" in RULES
    assert RULES["greedy-exclusive"].label == "rule.greedy-exclusive"
    spec = rule_from_meta(" Greedy-Exclusive ")
    assert spec is not None and spec.rule == "greedy-exclusive"


def test_greedy_exclusive_reproduces_mokotow_2024_declared_winners() -> None:
    parsed = read_pabulib(MOKOTOW)
    assert parsed.instance.meta["rule"] == "greedy-exclusive"
    spec = rule_from_meta(parsed.instance.meta["rule"])
    assert spec is not None
    outcome = compute_outcome(parsed.instance, parsed.profile, rule=spec.rule)
    declared = parsed.declared_winners()
    assert declared is not None and len(declared) == 23
    assert sorted(outcome.selected) == sorted(declared)
    # the order of selection is the order of votes; 1236 (350,950 zł) no longer fitted
    assert outcome.selected[:3] == ("286", "1720", "1238")
    assert outcome.explanation("1236").reason == "over_budget"


def test_greedy_exclusive_every_shared_file_declaring_it_is_reproduced() -> None:
    files = [p for p in sorted(DATA.rglob("*.pb")) if "rule;greedy-exclusive" in p.read_text()]
    assert MOKOTOW in files
    for path in files:
        parsed = read_pabulib(path)
        outcome = compute_outcome(parsed.instance, parsed.profile, rule="greedy-exclusive")
        assert sorted(outcome.selected) == sorted(parsed.declared_winners() or ()), path.name


def _election(excludes: dict[str, tuple[str, ...]], **instance: int) -> tuple[Instance, Profile]:
    """Four projects: A (3 votes, 40), B (2 votes, 30, same place as A), C (2 votes, 30), D (1)."""
    costs = {"A": 40, "B": 30, "C": 30, "D": 20}
    projects = tuple(
        Project(project_id=p, cost=c, excludes=excludes.get(p, ())) for p, c in costs.items()
    )
    ballots = [[0, 1, 2], [0, 1, 2, 3], [0]]
    return Instance(projects=projects, budget=100, **instance), Profile.from_ballots(ballots)


@pytest.mark.parametrize("declared", [{"A": ("B",)}, {"B": ("A",)}, {"A": ("B",), "B": ("A",)}])
def test_greedy_exclusive_the_higher_ranked_of_two_conflicting_projects_goes_ahead(
    declared: dict[str, tuple[str, ...]],
) -> None:
    instance, profile = _election(declared)
    outcome = compute_outcome(instance, profile, rule="greedy-exclusive")
    assert outcome.selected == ("A", "C", "D")  # B fits (30 of 60 left) but is excluded
    record = outcome.explanation("B")
    assert (record.reason, record.selected, record.budget_left) == ("excluded", False, 60)
    plain = compute_outcome(instance, profile, rule="greedy")
    assert plain.selected == ("A", "B", "C")


def test_greedy_exclusive_an_unfunded_project_excludes_nothing() -> None:
    instance, profile = _election({"A": ("B",)})
    instance = replace(instance, budget=35)  # A (40) never fits: B may go ahead
    outcome = compute_outcome(instance, profile, rule="greedy-exclusive")
    assert outcome.selected == ("B",)
    assert outcome.explanation("A").reason == "over_budget"


def test_greedy_exclusive_reads_the_threshold() -> None:
    instance, profile = _election({}, min_project_score=2)
    outcome = compute_outcome(instance, profile, rule="greedy-exclusive")
    assert outcome.selected == ("A", "B", "C")
    assert outcome.explanation("D").reason == "below_threshold"


def test_greedy_exclusive_conflicts_are_symmetric_and_ignore_unknown_ids() -> None:
    instance, _ = _election({"A": ("B", "C", "zz")})
    found = conflicts(instance)
    assert found[0] == {1, 2} and found[1] == {0} and found[2] == {0} and found[3] == set()


def test_greedy_exclusive_excludes_column_round_trips_through_pb() -> None:
    instance, profile = _election({"A": ("B",), "C": ("B", "D")})
    text = write_pabulib(instance, profile, selected=("A", "C"))
    assert "project_id;cost;votes;name;selected;excludes" in text
    back = parse_pabulib(text)
    assert [p.excludes for p in back.instance.projects] == [("B",), (), ("B", "D"), ()]
    ours = compute_outcome(back.instance, back.profile, rule="greedy-exclusive")
    assert ours.selected == ("A", "C")  # B conflicts with A, D with C: 30 left unspent
    plain, _ = _election({})
    assert "excludes" not in write_pabulib(plain, profile)  # Pabulib's own columns only


@pytest.mark.parametrize("cell", ["Q", "A"])
def test_greedy_exclusive_excludes_column_naming_no_other_project_is_refused(cell: str) -> None:
    text = write_pabulib(*_election({"A": ("B",)})).replace("A;40;3;;0;B", f"A;40;3;;0;{cell}")
    with pytest.raises(VilcoError) as caught:
        parse_pabulib(text)
    assert caught.value.code == "rule.excludes_unknown_project"
    assert caught.value.params["project"] == cell


def test_greedy_exclusive_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", str(MOKOTOW), "--rule", "greedy-exclusive", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rule"] == "greedy-exclusive" and result["cost"] == 8714851
    declared = read_pabulib(MOKOTOW).declared_winners() or ()
    assert sorted(result["selected"]) == sorted(declared)


@st.composite
def exclusive_elections(draw: st.DrawFn) -> tuple[Instance, Profile]:
    costs = draw(st.lists(st.integers(1, 50), min_size=1, max_size=7))
    n = len(costs)
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=5))
    excludes: dict[int, list[str]] = {}
    for i, j in pairs:
        if i != j:
            excludes.setdefault(i, []).append(f"p{j}")
    projects = tuple(
        Project(project_id=f"p{i}", cost=c, excludes=tuple(excludes.get(i, ())))
        for i, c in enumerate(costs)
    )
    ballots = draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1), min_size=1, max_size=12))
    budget = draw(st.integers(1, 150))
    profile = Profile.from_ballots([sorted(b) for b in ballots])
    return Instance(projects=projects, budget=budget), profile


@settings(max_examples=80, deadline=None)
@given(exclusive_elections())
def test_greedy_exclusive_invariants(election: tuple[Instance, Profile]) -> None:
    """Within budget; no two funded projects conflict; every project left out either no longer
    fits or conflicts with a funded one; without conflicts it is `greedy`."""
    instance, profile = election
    outcome = compute_outcome(instance, profile, rule="greedy-exclusive")
    assert outcome.cost <= outcome.budget
    index, found = instance.index(), conflicts(instance)
    funded = {index[p] for p in outcome.selected}
    assert all(not (found[i] & funded) for i in funded)
    left = outcome.budget - outcome.cost
    for i, project in enumerate(instance.projects):
        if i not in funded:
            assert project.cost > left or found[i] & funded
            reason = outcome.explanation(project.project_id).reason
            assert reason == "over_budget" or (reason == "excluded" and found[i] & funded)
    free = replace(instance, projects=tuple(replace(p, excludes=()) for p in instance.projects))
    alone = compute_outcome(free, profile, rule="greedy-exclusive")
    assert alone.selected == compute_outcome(free, profile, rule="greedy").selected
