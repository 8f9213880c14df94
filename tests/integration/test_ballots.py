"""Ballots and results on a real database (a SQLite file and PostgreSQL, every test)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from vilco_core.ballots import Ballot, BallotRules
from vilco_core.errors import VilcoError
from vilco_core.model import Phase, Process, Role, StaffUser
from vilco_core.pabulib import parse_pabulib
from vilco_core.results import build_profile, results_csv, results_pabulib
from vilco_core.rules import compute_outcome
from vilco_core.services import ballots, processes
from vilco_core.store import SqlUnitOfWork
from vilco_core.store.tables_ballots import BallotRow

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
TODAY = dt.date.today()


def _rows(uow: SqlUnitOfWork) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(BallotRow)) or 0)


def _demo(uow: SqlUnitOfWork) -> Process:
    return processes.list_processes(uow)[0]


def _approve(*refs: str) -> Ballot:
    return Ballot(kind="approval", project_ids=refs)


def test_ballots_demo_holds_800_anonymous_ballots(demo_uow: SqlUnitOfWork) -> None:
    process = _demo(demo_uow)
    assert process.rule == "mes" and process.ballot.max_projects == 5
    assert ballots.count_ballots(demo_uow, process.id or 0) == 800
    counts = ballots.count_ballots_by_channel_site(demo_uow, process.id or 0)
    assert sum(counts.values()) == 800 and {c for c, _ in counts} == {"phone", "paper"}
    assert all(site is not None for _, site in counts)
    with demo_uow:
        stored = demo_uow.ballots.list_for_process(process.id)
    assert all(s.cast_on <= TODAY for s in stored)
    assert len({s.receipt for s in stored}) == 800
    assert all(len(s.receipt) == 10 for s in stored)


def test_ballots_record_returns_a_receipt_and_stores_the_day(demo_uow: SqlUnitOfWork) -> None:
    process_id = _demo(demo_uow).id or 0
    receipt = ballots.record_ballot(
        demo_uow, process_id, _approve("SG-01", "SC-04"), "paper", None, TODAY
    )
    with demo_uow:
        stored = demo_uow.ballots.get(receipt)
    assert stored is not None and stored.cast_on == TODAY and stored.channel == "paper"
    assert stored.ballot.project_ids == ("SG-01", "SC-04")
    assert ballots.count_ballots(demo_uow, process_id) == 801


@pytest.mark.parametrize(
    ("ballot", "channel", "site", "code"),
    [
        (_approve(), "phone", None, "ballot.empty"),
        (
            _approve("SG-01", "SG-02", "SG-03", "SG-04", "SG-05", "SG-06"),
            "phone",
            None,
            "ballot.too_many",
        ),
        (_approve("SG-01", "SG-01"), "phone", None, "ballot.duplicate_project"),
        (_approve("XX-99"), "phone", None, "ballot.unknown_project"),
        (Ballot(kind="knapsack", project_ids=("SG-01",)), "phone", None, "ballot.wrong_kind"),
        (_approve("SG-01"), "carrier-pigeon", None, "ballot.unknown_channel"),
        (_approve("SG-01"), "phone", 999_999, "ballot.unknown_site"),
    ],
)
def test_ballots_bad_input_stores_nothing(
    demo_uow: SqlUnitOfWork, ballot: Ballot, channel: str, site: int | None, code: str
) -> None:
    before = _rows(demo_uow)
    with pytest.raises(VilcoError) as caught:
        ballots.record_ballot(demo_uow, _demo(demo_uow).id or 0, ballot, channel, site, TODAY)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert _rows(demo_uow) == before


def test_ballots_phone_votes_only_while_the_vote_runs(demo_uow: SqlUnitOfWork) -> None:
    process_id = _demo(demo_uow).id or 0
    later = TODAY + dt.timedelta(days=60)
    with pytest.raises(VilcoError, match=r"ballot\.vote_closed"):
        ballots.record_ballot(demo_uow, process_id, _approve("SG-01"), "phone", None, later)
    assert ballots.record_ballot(demo_uow, process_id, _approve("SG-01"), "paper", None, later)


def test_ballots_bulk_is_all_or_nothing(demo_uow: SqlUnitOfWork) -> None:
    process_id = _demo(demo_uow).id or 0
    good = ballots.BallotEntry(
        ballot=_approve("SG-01"), channel="import", site_id=None, cast_on=TODAY
    )
    bad = replace(good, ballot=_approve("nope"))
    before = _rows(demo_uow)
    with pytest.raises(VilcoError):
        ballots.record_ballots(demo_uow, process_id, [good, good, bad])
    assert _rows(demo_uow) == before
    assert len(ballots.record_ballots(demo_uow, process_id, [good, good])) == 2


def test_ballots_knapsack_settings_round_trip_and_apply(demo_uow: SqlUnitOfWork) -> None:
    from fractions import Fraction

    demo = _demo(demo_uow)
    knapsack = BallotRules(
        kind="knapsack", min_projects=1, max_projects=None, min_share=Fraction(1, 2)
    )
    with pytest.raises(VilcoError) as locked:  # the demo's vote is open: its ballot is locked
        processes.save_process(demo_uow, ADMIN, replace(demo, ballot=knapsack))
    assert [e.code for e in locked.value.problems] == ["lock.ballot"]
    later = tuple(replace(w, starts_on=TODAY + dt.timedelta(days=1)) for w in demo.phases
                  if w.phase is Phase.VOTE)  # fmt: skip
    new_id = processes.save_process(demo_uow, ADMIN, replace(demo, id=None, phases=later))
    for project in processes.list_projects(demo_uow, demo.id or 0):
        if project.ref in ("SG-11", "SG-05", "SG-06"):
            processes.save_project(demo_uow, ADMIN, replace(project, id=None, process_id=new_id))
    process = processes.get_process(demo_uow, new_id)
    processes.save_process(demo_uow, ADMIN, replace(process, ballot=knapsack))
    stored = processes.get_process(demo_uow, process.id or 0)
    assert stored.ballot == knapsack and stored.ballot_rules().budget == process.envelope_cents
    pick = Ballot(kind="knapsack", project_ids=("SG-11", "SG-05"))  # 83,000 € of 150,000 €
    assert ballots.record_ballot(demo_uow, process.id or 0, pick, "paper", None, TODAY)
    with pytest.raises(VilcoError, match=r"ballot\.under_min_spend"):
        ballots.record_ballot(
            demo_uow,
            process.id or 0,
            Ballot(kind="knapsack", project_ids=("SG-06",)),
            "paper",
            None,
            TODAY,
        )


def test_ballots_results_equal_compute_outcome_on_the_same_ballots(demo_uow: SqlUnitOfWork) -> None:
    process = _demo(demo_uow)
    results = ballots.compute_results(demo_uow, process.id or 0, TODAY)
    with demo_uow:
        projects = demo_uow.projects.list_for_process(process.id)
        stored = demo_uow.ballots.list_for_process(process.id)
    instance, profile, dropped = build_profile(process, projects, stored)
    mes = compute_outcome(instance, profile, rule="mes", utility="cost", completion="add1")
    greedy = compute_outcome(instance, profile, rule="greedy")
    assert dropped == 0 and results.ballot_count == 800 and results.provisional
    assert results.announced == mes == results.mes and results.greedy == greedy
    assert [w.project.ref for w in results.winners] == list(mes.selected)
    assert results.spent_cents <= process.envelope_cents
    # the demo is built so that Equal Shares visibly changes the outcome
    assert results.entering and results.leaving
    assert "SG-05" in {r.project.ref for r in results.leaving}


def test_ballots_results_are_final_once_the_vote_ended(demo_uow: SqlUnitOfWork) -> None:
    process_id = _demo(demo_uow).id or 0
    assert not ballots.compute_results(
        demo_uow, process_id, TODAY + dt.timedelta(days=30)
    ).provisional


def test_ballots_exports_parse_back_to_the_same_winners(demo_uow: SqlUnitOfWork) -> None:
    results = ballots.compute_results(demo_uow, _demo(demo_uow).id or 0, TODAY)
    parsed = parse_pabulib(results_pabulib(results))
    assert parsed.declared_winners() is not None
    assert set(parsed.declared_winners() or ()) == set(results.announced.selected)
    again = compute_outcome(parsed.instance, parsed.profile, rule="mes", completion="add1")
    assert again.selected == results.announced.selected
    assert parsed.instance.meta["rule"] == "equalshares/add1"
    lines = results_csv(results, "fr").splitlines()
    assert lines[0] == "project,title,votes,score,cost_eur,selected_mes,selected_greedy,explanation"
    assert len(lines) == 26 and lines[1].startswith(
        "SG-11,Jeux pour enfants square Jacques Franck,"
    )
