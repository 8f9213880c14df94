"""What decides a result, locked once the vote opens (`vilco_core.locking` and the use cases
on the in-memory unit of work): refusals change nothing, a withdrawal needs a reason and is
logged before/after, every staff save logs its changed fields, and the checks of the audit log
see a rule, an envelope or a list changed behind the application's back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import replace

import pytest

from tests.unit.fake_world import (
    ADMIN,
    FACILITATOR,
    PROCESS,
    SCHAERBEEK,
    TODAY,
    project,
    seeded_uow,
)
from tests.unit.fakes import FakeUnitOfWork, Tables
from vilco_core.ballots import Ballot, BallotRules
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.i18n import CATALOGUE
from vilco_core.locking import (
    LOCK_MESSAGES,
    LOCKED,
    SETTINGS,
    changes,
    lock_problems,
    locked_settings,
    process_lock_problems,
    project_lock_problems,
    vote_opened,
)
from vilco_core.model import (
    BudgetKind,
    LocalText,
    Phase,
    PhaseWindow,
    Project,
    ProjectStatus,
    SubBudget,
)
from vilco_core.services import audit, ballots, processes, voting
from vilco_core.services.support import SignRequest, sign_support
from vilco_core.signatures import Signature

BEFORE_VOTE = TODAY - dt.timedelta(days=10)  # the fake world's vote opens on TODAY - 5
REASON = "Le terrain n'est plus disponible"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return seeded_uow()


def _tables(uow: FakeUnitOfWork) -> dict[str, object]:
    tables: Tables = uow.committed
    return {f.name: repr(getattr(tables, f.name)) for f in dataclasses.fields(tables)}


def _codes(error: pytest.ExceptionInfo[VilcoError]) -> list[str]:
    found = error.value
    return [p.code for p in found.problems] if isinstance(found, ValidationErrors) else [found.code]


def _last(uow: FakeUnitOfWork, kind: str) -> dict[str, object]:
    with uow:
        entries = [e for e in uow.audit.entries() if e.kind == kind]
    payload: dict[str, object] = json.loads(entries[-1].payload)
    return payload


def _vote(uow: FakeUnitOfWork, *refs: str) -> str:
    return ballots.record_ballot(uow, 1, Ballot(kind="approval", project_ids=refs), "import",
                                 None, TODAY)  # fmt: skip


# -- pure ---------------------------------------------------------------------------------------


def test_locking_vote_opens_on_its_first_day_or_first_ballot() -> None:
    start = TODAY - dt.timedelta(days=5)
    assert not vote_opened(PROCESS, start - dt.timedelta(days=1), has_ballots=False)
    assert vote_opened(PROCESS, start, has_ballots=False)
    assert vote_opened(PROCESS, start - dt.timedelta(days=30), has_ballots=True)
    assert not vote_opened(replace(PROCESS, phases=()), TODAY, has_ballots=False)


EDITS = {
    "rule": {"rule": "mes"},
    "envelope_cents": {"envelope_cents": 99_999_00},
    "ballot": {"ballot": BallotRules(kind="approval", min_projects=1, max_projects=2)},
    "sub_budgets": {"sub_budgets": (SubBudget(key="n", kind=BudgetKind.DISTRICT,
                                              name=LocalText(fr="N", nl="N"), amount_cents=1),)},
    "vote_starts_on": {"phases": ()},
}  # fmt: skip


@pytest.mark.parametrize("key", list(EDITS))
def test_locking_each_locked_setting_is_refused_and_translated(key: str) -> None:
    stored = replace(PROCESS, id=1)
    assert [e.code for e in process_lock_problems(stored, replace(stored, **EDITS[key]))] == [
        f"lock.{key}"
    ]
    assert f"lock.{key}" in CATALOGUE


def test_locking_every_setting_has_its_refusal_text() -> None:
    envelopes = replace(PROCESS, id=1, min_supporters=30, leftover_to_city=True)
    keys = set(locked_settings(envelopes, ())) - {"hash", "process_id"}
    assert keys == set(SETTINGS)  # every setting is compared
    assert {LOCK_MESSAGES.get(k, f"lock.{k}") for k in keys} <= set(CATALOGUE)


def test_locking_envelope_settings_at_their_default_keep_the_older_hash() -> None:
    stored = replace(PROCESS, id=1)
    assert "min_supporters" not in locked_settings(stored, ())
    assert "leftover_to_city" not in locked_settings(stored, ())


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        ({"min_supporters": 150}, "minsup.locked"),
        ({"leftover_to_city": True}, "envelope.locked_flow"),
    ],
)
def test_locking_refuses_the_envelope_settings_once_open(
    edit: dict[str, object], code: str
) -> None:
    stored = replace(PROCESS, id=1)
    assert [e.code for e in process_lock_problems(stored, replace(stored, **edit))] == [code]


def test_locking_names_and_the_vote_end_stay_editable() -> None:
    stored = replace(PROCESS, id=1)
    [vote] = stored.phases
    later = replace(vote, ends_on=vote.ends_on + dt.timedelta(days=7))
    edited = replace(stored, name=LocalText(fr="Autre", nl="Ander"), phases=(later,))
    assert process_lock_problems(stored, edited) == []


def _project(status: ProjectStatus = ProjectStatus.ELIGIBLE, **given: object) -> Project:
    base = Project(id=1, process_id=1, ref="A", title=LocalText(fr="a", nl="a"),
                   description=LocalText(fr="d", nl="d"), cost_cents=100, lat=0.0, lon=0.0,
                   status=status)  # fmt: skip
    return replace(base, **given)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("before", "after", "code"),
    [
        (None, _project(), "lock.project_added"),
        (_project(ProjectStatus.PROPOSED), _project(), "lock.project_added"),
        (_project(), _project(ProjectStatus.REJECTED), "lock.withdraw_by_action"),
        (_project(), _project(ProjectStatus.WITHDRAWN), "lock.withdraw_by_action"),
        (_project(), _project(cost_cents=101), "lock.project_cost"),
        (_project(), _project(ref="B"), "lock.project_cost"),
        (_project(ProjectStatus.WITHDRAWN), _project(), "lock.project_withdrawn"),
        (None, _project(ProjectStatus.PROPOSED), None),
        (_project(), _project(ProjectStatus.SELECTED), None),
        (_project(), _project(title=LocalText(fr="b", nl="b")), None),
        (_project(ProjectStatus.REJECTED), _project(ProjectStatus.PROPOSED), None),
    ],
)
def test_locking_project_edits_during_the_vote(
    before: Project | None, after: Project, code: str | None
) -> None:
    assert [e.code for e in project_lock_problems(before, after)] == ([code] if code else [])


def test_locking_changes_lists_only_changed_fields() -> None:
    old = _project()
    new = replace(old, cost_cents=250, title=LocalText(fr="b", nl="a"))
    assert changes(old, new) == {
        "cost_cents": {"before": 100, "after": 250},
        "title": {"before": {"fr": "a", "nl": "a"}, "after": {"fr": "b", "nl": "a"}},
    }
    assert changes(old, old) == {}
    assert changes(None, old)["status"] == {"before": None, "after": "eligible"}


def test_locking_lock_problems_name_what_differs() -> None:
    settings = locked_settings(replace(PROCESS, id=1), ())
    greedy = locked_settings(replace(PROCESS, id=1, rule="mes"), ())
    forged = {**settings, "envelope_cents": 1}
    tally = {"process_id": 1, "ballots": 3, "rule": "mes", "envelope_cents": PROCESS.envelope_cents,
             "projects": [], "settings_hash": greedy["hash"]}  # fmt: skip
    assert lock_problems({1: settings}, [], {1: settings}, [1]) == []
    assert lock_problems({1: settings}, [(9, tally)], {1: greedy}, [1, 2]) == [
        "process 1: rule differs from the locked settings",
        "tally 9: rule differs from the locked settings",
        "tally 9: settings_hash differs from the locked settings",
        "process 2: ballots without locked settings",
    ]
    assert lock_problems({1: forged}, [], {1: settings}, []) == [
        "process 1: locked settings do not match their hash",
        "process 1: envelope_cents differs from the locked settings",
    ]


# -- use cases ----------------------------------------------------------------------------------


def test_locking_process_refused_during_the_vote_changes_nothing(uow: FakeUnitOfWork) -> None:
    """The attack of issue #13: a facilitator switches the rule during the vote."""
    stored = processes.get_process(uow, 1)
    before = _tables(uow)
    for edit in EDITS.values():
        with pytest.raises(VilcoError):
            processes.save_process(uow, FACILITATOR, replace(stored, **edit), TODAY)
    assert _tables(uow) == before


def test_locking_process_edits_before_the_vote_log_before_and_after(uow: FakeUnitOfWork) -> None:
    stored = processes.get_process(uow, 1)
    processes.save_process(uow, FACILITATOR, replace(stored, rule="mes"), BEFORE_VOTE)
    logged = _last(uow, "staff.process_saved")
    assert logged["changes"] == {"rule": {"before": "greedy", "after": "mes"}}
    assert logged["actor"] == "facilitator"
    with uow:
        assert uow.processes.locked_hash(1) is None  # not open yet: nothing locked


def test_locking_first_write_after_opening_records_the_settings(uow: FakeUnitOfWork) -> None:
    stored = processes.get_process(uow, 1)
    renamed = replace(stored, name=LocalText(fr="Nouveau", nl="Nieuw"))
    processes.save_process(uow, ADMIN, renamed, TODAY)
    locked = _last(uow, LOCKED)
    assert locked["rule"] == "greedy" and locked["envelope_cents"] == PROCESS.envelope_cents
    assert [p["ref"] for p in locked["projects"]] == ["A", "B", "C"]  # type: ignore[index, union-attr]
    with uow:
        assert uow.processes.locked_hash(1) == locked["hash"]
    processes.save_process(uow, ADMIN, replace(renamed, name=stored.name), TODAY)
    with uow:
        assert [e.kind for e in uow.audit.entries()].count(LOCKED) == 1  # once


def test_locking_a_first_ballot_locks_before_the_vote_date(uow: FakeUnitOfWork) -> None:
    _vote(uow, "A")
    with uow:
        kinds = [e.kind for e in uow.audit.entries()]
    assert kinds[-1] == LOCKED  # the ballot waits for its mixing batch, after the lock
    with uow:
        assert uow.ballots.count(1) == 1
    stored = processes.get_process(uow, 1)
    with pytest.raises(VilcoError) as error:
        processes.save_process(uow, ADMIN, replace(stored, rule="mes"), BEFORE_VOTE)
    assert _codes(error) == ["lock.rule"]


def test_locking_projects_during_the_vote(uow: FakeUnitOfWork) -> None:
    a, b, _c = processes.list_projects(uow, 1)
    before = _tables(uow)
    for edit, code in [
        (replace(a, status=ProjectStatus.REJECTED), "lock.withdraw_by_action"),
        (replace(a, cost_cents=1), "lock.project_cost"),
        (replace(a, id=None, ref="D"), "lock.project_added"),
    ]:
        with pytest.raises(VilcoError) as error:
            processes.save_project(uow, FACILITATOR, edit, TODAY)
        assert _codes(error) == [code]
    csv = (b"id,title_fr,title_nl,description_fr,description_nl,cost,lat,lon,status\n"
           b"D,T,T,D,D,500,50.8,4.3,eligible\n")  # fmt: skip
    with pytest.raises(VilcoError) as error:
        processes.import_projects(uow, FACILITATOR, 1, csv, TODAY)
    assert _codes(error) == ["lock.project_added"]
    assert _tables(uow) == before
    processes.save_project(uow, FACILITATOR, replace(b, title=LocalText(fr="x", nl="y")), TODAY)
    assert set(_last(uow, "staff.project_saved")["changes"]) == {"title"}  # type: ignore[arg-type]


def test_locking_withdrawal_needs_a_reason_and_is_logged(uow: FakeUnitOfWork) -> None:
    a = processes.list_projects(uow, 1)[0]
    before = _tables(uow)
    for who, reason, day, code in [
        (SCHAERBEEK, REASON, TODAY, "errors.forbidden"),
        (FACILITATOR, "  ", TODAY, "lock.reason_needed"),
        (FACILITATOR, REASON, BEFORE_VOTE, "lock.withdraw_before_vote"),
    ]:
        with pytest.raises(VilcoError) as error:
            processes.withdraw_project(uow, who, a.id or 0, reason, day)
        assert _codes(error) == [code]
    assert _tables(uow) == before
    gone = processes.withdraw_project(uow, FACILITATOR, a.id or 0, f" {REASON} ", TODAY)
    assert (gone.status, gone.withdrawn_reason) == (ProjectStatus.WITHDRAWN, REASON)
    logged = _last(uow, "staff.project_withdrawn")
    assert logged["reason"] == REASON and logged["changes"] == {
        "status": {"before": "eligible", "after": "withdrawn"},
        "withdrawn_reason": {"before": "", "after": REASON},
    }
    with pytest.raises(VilcoError) as error:  # no way back, and not twice
        processes.save_project(uow, FACILITATOR, replace(gone, status=ProjectStatus.ELIGIBLE),
                               TODAY)  # fmt: skip
    assert _codes(error) == ["lock.project_withdrawn"]
    with pytest.raises(VilcoError) as error:
        processes.withdraw_project(uow, FACILITATOR, a.id or 0, REASON, TODAY)
    assert _codes(error) == ["lock.not_on_ballot"]


def test_locking_a_withdrawn_project_wins_nothing_and_verify_holds(uow: FakeUnitOfWork) -> None:
    for _ in range(5):
        _vote(uow, "A", "B")
    _vote(uow, "C")
    top = processes.list_projects(uow, 1)[0]
    assert ballots.compute_results(uow, 1, TODAY).winners[0].project.ref == "A"
    processes.withdraw_project(uow, ADMIN, top.id or 0, REASON, TODAY)
    results = ballots.compute_results(uow, 1, TODAY)
    assert "A" not in results.announced.selected and [p.ref for p in results.withdrawn] == ["A"]
    assert results.ballot_count == 6 and results.dropped_entries == 5  # B still counts
    audit.publish_tally(uow, ADMIN, 1, TODAY)
    tally = _last(uow, "tally.published")
    assert tally["rule"] == "greedy" and [p["ref"] for p in tally["projects"]] == ["A", "B", "C"]  # type: ignore[index, union-attr]
    report = audit.verify_audit(uow)
    assert report.ok, report.problems


def test_locking_verify_sees_the_rule_changed_behind_the_services(uow: FakeUnitOfWork) -> None:
    _vote(uow, "A")
    audit.publish_tally(uow, ADMIN, 1, TODAY)
    with uow:
        stored = uow.processes.get(1)
        assert stored is not None
        uow.processes.update(replace(stored, rule="mes", envelope_cents=1_00))
        uow.commit()
    report = audit.verify_audit(uow)
    assert report.chain_ok and report.tallies_ok and not report.settings_ok
    assert report.problems == (
        "process 1: rule differs from the locked settings",
        "process 1: envelope_cents differs from the locked settings",
    )
    audit.publish_tally(uow, ADMIN, 1, TODAY)  # counted under the changed settings: seen too
    assert any(
        "rule differs" in p and p.startswith("tally") for p in audit.verify_audit(uow).problems
    )


def test_locking_verify_counts_spent_codes_against_resident_ballots(uow: FakeUnitOfWork) -> None:
    ballots.record_ballot(
        uow, 1, Ballot(kind="approval", project_ids=("A",)), "phone", None, TODAY
    )  # fmt: skip  (a phone ballot without its code)
    report = audit.verify_audit(uow)
    assert not report.codes_ok and report.problems == (
        "process 1: 0 spent codes, 1 resident ballots",
    )
    assert report.as_json()["codes_ok"] is False and report.as_json()["settings_ok"] is True


def test_locking_unused_phases_window_keeps_processes_unlocked() -> None:
    fake = FakeUnitOfWork()
    later = PhaseWindow(phase=Phase.VOTE, starts_on=TODAY + dt.timedelta(days=1),
                        ends_on=TODAY + dt.timedelta(days=9))  # fmt: skip
    process_id = processes.save_process(fake, ADMIN, replace(PROCESS, phases=(later,)), TODAY)
    stored = processes.get_process(fake, process_id)
    processes.save_process(fake, ADMIN, replace(stored, rule="mes"), TODAY)
    assert not processes.is_locked(fake, process_id, TODAY)
    assert processes.is_locked(fake, process_id, TODAY + dt.timedelta(days=1))


def test_locking_a_ballot_naming_a_withdrawn_project_is_kept_and_dropped(
    uow: FakeUnitOfWork,
) -> None:
    """A paper ballot filled before the withdrawal and typed after it is not lost: stored
    whole, and the tally drops only the withdrawn entry."""
    a = processes.list_projects(uow, 1)[0]
    _vote(uow, "B")
    processes.withdraw_project(uow, ADMIN, a.id or 0, REASON, TODAY)
    _vote(uow, "A", "C")
    results = ballots.compute_results(uow, 1, TODAY)
    assert results.ballot_count == 2 and results.dropped_entries == 1
    assert set(results.announced.selected) == {"B", "C"}
    assert audit.verify_audit(uow).ok


def test_locking_support_during_the_vote_adds_nothing_to_the_ballot() -> None:
    fake = FakeUnitOfWork()
    support = PhaseWindow(phase=Phase.SUPPORT, starts_on=TODAY - dt.timedelta(days=9),
                          ends_on=TODAY + dt.timedelta(days=9))  # fmt: skip
    process = replace(PROCESS, signature_threshold=1, phases=(*PROCESS.phases, support))
    process_id = processes.save_process(fake, ADMIN, process, BEFORE_VOTE)
    proposed = replace(project(process_id, "P"), status=ProjectStatus.PROPOSED)
    project_id = processes.save_project(fake, ADMIN, proposed, BEFORE_VOTE)
    [code] = voting.issue_codes(fake, ADMIN, process_id, 1, TODAY, purpose="support").codes
    signature = Signature(project_id=project_id, name="Ann Peeters", postcode="1060")
    now = dt.datetime.combine(TODAY, dt.time(12), dt.UTC)
    signed = sign_support(fake, SignRequest(signature=signature, code=code), now)
    assert signed.support.reached and not signed.became_eligible
    assert processes.list_projects(fake, process_id)[0].status is ProjectStatus.PROPOSED
