"""District and theme envelopes (`vilco_core.envelopes`): which envelope a project belongs to,
one outcome per envelope on its projects and the ballots' parts naming them, the leftover flow
to the city-wide part, a rolling call's quarters with carry-over, the checks of a ballot per
envelope, and the minimum number of supporters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from vilco_core.ballots import Ballot, BallotRules
from vilco_core.envelopes import (
    CITY,
    EnvelopeResults,
    check_envelope_ballot,
    envelope_labels,
    merged_ballot,
    project_envelope,
    site_district,
    tally_envelopes,
    vote_sections,
)
from vilco_core.errors import VilcoError
from vilco_core.model import (
    BudgetKind,
    LocalText,
    Process,
    ProcessKind,
    Project,
    ProjectStatus,
    StoredBallot,
    SubBudget,
)
from vilco_core.validation import validate_process

DAY = dt.date(2027, 3, 10)


def _project(ref: str, euros: int, district: str = "", theme: str = "") -> Project:
    return Project(id=int(ref[1:]) if ref[1:].isdigit() else None, process_id=1, ref=ref,
                   title=LocalText(fr=ref, nl=ref), description=LocalText(fr="d", nl="d"),
                   cost_cents=euros * 100, lat=50.8, lon=4.3, district=district, theme=theme,
                   status=ProjectStatus.ELIGIBLE)  # fmt: skip


def _district(key: str, name: str, euros: int, minimum: int | None = None) -> SubBudget:
    return SubBudget(key=key, kind=BudgetKind.DISTRICT, name=LocalText(fr=name, nl=name),
                     amount_cents=euros * 100, min_supporters=minimum)  # fmt: skip


PROCESS = Process(
    id=1,
    name=LocalText(fr="Budget", nl="Begroting"),
    kind=ProcessKind.BUDGET,
    commune_codes=("21013",),
    envelope_cents=1000_00,
    year=2027,
    rule="greedy",
    sub_budgets=(_district("north", "Nord", 300), _district("south", "Sud", 300)),
)
PROJECTS = (
    _project("N1", 200, district="north"),
    _project("N2", 150, district="Nord"),  # a district's name works as well as its key
    _project("S1", 250, district="SOUTH"),  # case does not matter
    _project("S2", 100, district="south"),
    _project("C1", 300),  # in no sub-budget: city-wide
    _project("C2", 200, district="elsewhere"),
)


def _ballots(*votes: tuple[str, ...] | tuple[tuple[str, ...], str]) -> list[StoredBallot]:
    found = []
    for i, vote in enumerate(votes):
        refs, district = (vote[0], vote[1]) if isinstance(vote[0], tuple) else (vote, "")
        ballot = Ballot(kind="approval", project_ids=tuple(refs), district=str(district))
        found.append(StoredBallot(receipt=f"r{i}", process_id=1, ballot=ballot, channel="phone",
                                  site_id=None, cast_on=DAY))  # fmt: skip
    return found


def _by_key(process: Process, ballots: list[StoredBallot]) -> dict[str, EnvelopeResults]:
    return {e.key: e for e in tally_envelopes(process, PROJECTS, ballots, provisional=False)}


def test_envelopes_a_project_belongs_to_its_district_by_key_or_name_else_city() -> None:
    where = {p.ref: project_envelope(PROCESS, p) for p in PROJECTS}
    assert where == {"N1": "north", "N2": "north", "S1": "south", "S2": "south",
                     "C1": CITY, "C2": CITY}  # fmt: skip


def test_envelopes_a_theme_envelope_reads_the_theme() -> None:
    themed = replace(PROCESS, sub_budgets=(SubBudget(key="green", kind=BudgetKind.THEME,
                     name=LocalText(fr="Vert", nl="Groen"), amount_cents=100_00),))  # fmt: skip
    assert project_envelope(themed, _project("T1", 10, district="north", theme="Groen")) == "green"
    assert project_envelope(themed, _project("T2", 10, district="green")) == CITY


def test_envelopes_each_envelope_runs_on_its_projects_and_the_ballots_naming_them() -> None:
    ballots = _ballots(("N1", "C1"), ("N1", "N2"), ("S1", "C2"), ("S2",), ("C1",))
    found = _by_key(PROCESS, ballots)
    assert list(found) == ["north", "south", CITY]
    north, south, city = found["north"], found["south"], found["city"]
    assert {r.project.ref for r in north.results.projects} == {"N1", "N2"}
    assert north.results.ballot_count == 2
    assert north.results.announced.selected == ("N1",)
    assert south.results.ballot_count == 2
    assert south.results.announced.selected == ("S1",)
    assert city.budget_cents == 400_00  # 1000 - 300 - 300
    assert city.results.ballot_count == 3
    assert city.results.announced.selected == ("C1",)
    meta = north.results.instance.meta
    assert (meta["district"], meta["subunit"]) == ("Nord", "Nord")
    assert north.results.instance.budget == 300_00


def test_envelopes_leftovers_flow_to_the_city_only_when_the_process_says_so() -> None:
    ballots = _ballots(("N1", "C1", "C2"), ("S1", "C2"), ("C1",), ("C2",))
    closed = _by_key(PROCESS, ballots)
    assert closed["city"].carried_in_cents == 0
    assert closed["city"].results.announced.selected == ("C2",)
    flowing = _by_key(replace(PROCESS, leftover_to_city=True), ballots)
    # north spends 200 of 300, south 250 of 300: 150 more for the city, 550 in all
    assert flowing["city"].carried_in_cents == 150_00
    assert flowing["city"].budget_cents == 550_00
    assert flowing["city"].results.announced.budget == 550
    assert set(flowing["city"].results.announced.selected) == {"C1", "C2"}


def test_envelopes_a_ballot_that_chose_a_district_counts_only_there() -> None:
    ballots = _ballots((("S2",), "south"), (("C1",), "north"))
    found = _by_key(PROCESS, ballots)
    assert found["north"].results.ballot_count == 0
    assert found["south"].results.ballot_count == 1
    assert found["city"].results.ballot_count == 1


def test_envelopes_a_process_without_sub_budgets_is_one_envelope() -> None:
    whole = replace(PROCESS, sub_budgets=())
    [only] = tally_envelopes(whole, PROJECTS, _ballots(("N1",)), provisional=True)
    assert (only.key, only.kind, only.budget_cents) == ("", "whole", 1000_00)
    assert only.results.announced.selected == ("N1",)
    assert envelope_labels(whole) == ()


def test_envelopes_greedy_funds_no_project_nobody_voted_for_by_default() -> None:
    whole = replace(PROCESS, sub_budgets=())
    [only] = tally_envelopes(whole, PROJECTS, _ballots(("N1",)), provisional=False)
    assert only.results.announced.selected == ("N1",)  # pabutools' greedy would add others
    record = only.results.announced.explanation("C1")
    assert (record.selected, record.reason, record.supporters) == (False, "below_threshold", 0)
    assert only.min_supporters == 1
    unthresholded = replace(whole, min_supporters=0)
    [plain] = tally_envelopes(unthresholded, PROJECTS, _ballots(("N1",)), provisional=False)
    assert len(plain.results.announced.selected) > 1  # no threshold: greedy fills the envelope


def test_envelopes_a_district_threshold_overrides_the_process_one() -> None:
    process = replace(PROCESS, sub_budgets=(_district("north", "Nord", 300, minimum=3),
                                            _district("south", "Sud", 300)))  # fmt: skip
    ballots = _ballots(("N1", "S1"), ("N1", "S1"), ("N2",), ("N2",), ("N2",))
    found = _by_key(process, ballots)
    north = found["north"].results
    assert north.announced.selected == ("N2",)  # N1 has 2 supporters, below 3
    assert north.announced.explanation("N1").reason == "below_threshold"
    assert north.mes.explanation("N1").reason == "below_threshold"  # every rule
    assert found["south"].results.announced.selected == ("S1",)
    assert found["north"].min_supporters == 3


def test_envelopes_a_rolling_call_carries_an_unspent_quarter_into_the_next() -> None:
    call = replace(PROCESS, sub_budgets=(), rolling=True, envelope_cents=1200_00)
    projects = [_project("A1", 250), _project("A2", 300), _project("A3", 500)]
    votes = [
        (("A1",), dt.date(2027, 2, 1)),  # Q1: 300 €, A1 (250) funded, 50 € left
        (("A1", "A3"), dt.date(2027, 5, 1)),  # Q2: 300 + 50; A1 already funded, A3 too dear
        (("A3",), dt.date(2027, 8, 1)),  # Q3: 300 + 350 = 650: A3 (500)
    ]
    ballots = [
        StoredBallot(
            receipt=f"r{i}",
            process_id=1,
            site_id=None,
            channel="phone",
            ballot=Ballot(kind="approval", project_ids=refs),
            cast_on=day,
        )
        for i, (refs, day) in enumerate(votes)
    ]
    q1, q2, q3, q4 = tally_envelopes(call, projects, ballots, provisional=False)
    assert [q.key for q in (q1, q2, q3, q4)] == ["q1", "q2", "q3", "q4"]
    assert q1.results.announced.selected == ("A1",)
    assert (q2.carried_in_cents, q2.results.announced.selected) == (50_00, ())
    assert "A1" not in {r.project.ref for r in q2.results.projects}
    assert (q3.carried_in_cents, q3.results.announced.selected) == (350_00, ("A3",))
    assert q4.carried_in_cents == 150_00
    assert [k for k, _ in envelope_labels(call)] == ["q1", "q2", "q3", "q4"]


# -- the ballot per envelope -------------------------------------------------------------------


def test_envelopes_a_ballot_gets_the_district_of_its_projects() -> None:
    ballot = Ballot(kind="approval", project_ids=("N1", "C1"))
    assert check_envelope_ballot(PROCESS, PROJECTS, ballot).district == "north"
    city_only = Ballot(kind="approval", project_ids=("C1",))
    assert check_envelope_ballot(PROCESS, PROJECTS, city_only).district == ""


@pytest.mark.parametrize(
    ("refs", "district", "fixed", "code"),
    [
        (("N1", "S1"), "", "", "envelope.several_districts"),
        (("S1",), "north", "", "envelope.other_district"),
        (("N1",), "", "south", "envelope.other_district"),
        (("C1",), "east", "", "envelope.unknown_district"),
        (("C1",), "north", "south", "envelope.site_district"),
        (("X9",), "", "", "ballot.unknown_project"),
        ((), "", "", "ballot.empty"),
    ],
)
def test_envelopes_a_ballot_across_districts_or_against_its_site_is_refused(
    refs: tuple[str, ...], district: str, fixed: str, code: str
) -> None:
    ballot = Ballot(kind="approval", project_ids=refs, district=district)
    with pytest.raises(VilcoError) as caught:
        check_envelope_ballot(PROCESS, PROJECTS, ballot, fixed)
    assert caught.value.code == code


def test_envelopes_the_ballot_settings_apply_to_each_envelope() -> None:
    capped = replace(PROCESS, ballot=BallotRules(kind="approval", max_projects=2))
    ok = Ballot(kind="approval", project_ids=("N1", "N2", "C1", "C2"))  # 2 + 2
    assert check_envelope_ballot(capped, PROJECTS, ok).district == "north"
    knapsack = replace(PROCESS, ballot=BallotRules(kind="knapsack"))
    within = Ballot(kind="knapsack", project_ids=("N1", "C1"))  # 200 of 300, 300 of 400
    assert check_envelope_ballot(knapsack, PROJECTS, within).district == "north"
    over = Ballot(kind="knapsack", project_ids=("N1", "N2"))  # 350 > north's 300
    with pytest.raises(VilcoError) as caught:
        check_envelope_ballot(knapsack, PROJECTS, over)
    assert caught.value.code == "ballot.over_budget"


def test_envelopes_a_poster_site_fixes_the_district_of_its_project() -> None:
    assert site_district(PROCESS, PROJECTS, 1) == "north"  # N1 has id 1
    assert site_district(PROCESS, [_project("C7", 10)], 7) == ""
    assert site_district(PROCESS, PROJECTS, None) == ""


def test_envelopes_vote_sections_show_one_district_and_the_city() -> None:
    sections = vote_sections(PROCESS, PROJECTS, "south")
    assert [(s.key, [p.ref for p in s.projects]) for s in sections] == [
        ("south", ["S1", "S2"]), (CITY, ["C1", "C2"])]  # fmt: skip
    assert [s.key for s in vote_sections(PROCESS, PROJECTS, "")] == [CITY]
    parts = [Ballot(kind="approval", project_ids=("S1",)), Ballot(kind="approval", project_ids=())]
    assert merged_ballot(parts, "approval", "south") == Ballot(
        kind="approval", project_ids=("S1",), district="south"
    )


def test_envelopes_validation_refuses_a_reserved_key_and_a_negative_threshold() -> None:
    bad = replace(PROCESS, sub_budgets=(_district("city", "Ville", 10),), min_supporters=-1)
    codes = {p.code for p in validate_process(bad)}
    assert {"envelope.reserved_key", "minsup.invalid"} <= codes
