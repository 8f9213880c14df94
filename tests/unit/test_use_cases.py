"""Use cases on the in-memory unit of work (`fakes.FakeUnitOfWork`): access rules, validation,
lockout, one-time codes, paper ballots and the audit chain, without a database.

The same use cases run on SQLite and PostgreSQL in tests/integration; here each refusal also
checks that nothing was written (the fake's committed tables did not change).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import replace

import pytest

from tests.unit.fake_world import (
    ADMIN,
    FACILITATOR,
    NOW,
    OFFICER,
    PROCESS,
    SCHAERBEEK,
    TODAY,
    project,
    seeded_uow,
)
from tests.unit.fakes import FakeUnitOfWork, Tables
from vilco_core.ballots import Ballot
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import LocalText, Role, StaffUser
from vilco_core.services import audit, ballots, mixing, processes, staff, voting


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return seeded_uow()


def _tables(uow: FakeUnitOfWork) -> dict[str, object]:
    """The committed tables, to compare before and after a refused action."""
    tables: Tables = uow.committed
    return {f.name: repr(getattr(tables, f.name)) for f in dataclasses.fields(tables)}


def test_use_cases_fake_keeps_only_committed_changes() -> None:
    fake = FakeUnitOfWork()
    with fake:
        fake.processes.add(PROCESS)
    assert fake.processes.list() == []  # left without commit: discarded
    with fake:
        new = fake.processes.add(PROCESS)
        fake.rollback()
        assert fake.processes.get(new) is None
        again = fake.processes.add(PROCESS)
        fake.commit()
    assert [p.id for p in processes.list_processes(fake)] == [again]


def test_use_cases_save_process_refuses_facilitator_outside_communes(uow: FakeUnitOfWork) -> None:
    before = _tables(uow)
    elsewhere = replace(PROCESS, name=LocalText(fr="Autre", nl="Ander"))
    for actor in (None, OFFICER, SCHAERBEEK):  # anonymous, wrong role, other commune
        with pytest.raises(VilcoError, match=r"errors\.forbidden"):
            processes.save_process(uow, actor, elsewhere)
    saved = processes.get_process(uow, 1)
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):  # an update, other commune
        processes.save_process(uow, SCHAERBEEK, replace(saved, envelope_cents=1))
    assert _tables(uow) == before
    assert processes.save_process(uow, FACILITATOR, elsewhere) == 2
    assert uow.audit.entries()[-1].kind == "staff.process_saved"


def test_use_cases_save_process_validation_writes_nothing(uow: FakeUnitOfWork) -> None:
    before = _tables(uow)
    bad = replace(PROCESS, name=LocalText(fr="", nl="B"), envelope_cents=-1)
    with pytest.raises(ValidationErrors) as caught:
        processes.save_process(uow, ADMIN, bad)
    assert {p.code for p in caught.value.problems} == {
        "errors.field_required",
        "errors.envelope_invalid",
    }
    assert _tables(uow) == before


def test_use_cases_save_project_access_and_duplicate_ref(uow: FakeUnitOfWork) -> None:
    before = _tables(uow)
    new = project(1, "D")
    for actor in (None, OFFICER, SCHAERBEEK):
        with pytest.raises(VilcoError, match=r"errors\.forbidden"):
            processes.save_project(uow, actor, new)
    with pytest.raises(ValidationErrors) as caught:
        processes.save_project(uow, FACILITATOR, replace(new, ref="A"))
    assert [p.code for p in caught.value.problems] == ["errors.duplicate_ref"]
    with pytest.raises(VilcoError, match=r"errors\.process_not_found"):
        processes.save_project(uow, ADMIN, replace(new, process_id=99))
    assert _tables(uow) == before
    project_id = processes.save_project(uow, FACILITATOR, new)
    assert [p.ref for p in processes.list_projects(uow, 1)] == ["A", "B", "C", "D"]
    processes.save_project(uow, FACILITATOR, replace(new, id=project_id, cost_cents=5_00))
    assert {p.ref: p.cost_cents for p in processes.list_projects(uow, 1)}["D"] == 5_00


@pytest.mark.parametrize(
    ("user", "password", "codes"),
    [
        (StaffUser(username="Bad Name", name="x", role=Role.ADMIN), "long-enough-1", {
            "errors.username_invalid"}),
        (StaffUser(username="ok", name="x", role=Role.ADMIN), "short", {
            "errors.password_too_short"}),
        (StaffUser(username="fac", name="x", role=Role.FACILITATOR), "long-enough-1", {
            "errors.facilitator_needs_commune"}),
        (StaffUser(username="fac", name="x", role=Role.FACILITATOR, commune_codes=("99999",)),
         "long-enough-1", {"errors.unknown_commune"}),
    ],
)  # fmt: skip
def test_use_cases_add_staff_user_validation(
    user: StaffUser, password: str, codes: set[str]
) -> None:
    fake = FakeUnitOfWork()
    with pytest.raises(ValidationErrors) as caught:
        staff.add_staff_user(fake, user, password)
    assert {p.code for p in caught.value.problems} == codes
    assert fake.staff.count() == 0 and fake.audit.count() == 0


def test_use_cases_add_staff_user_stores_a_hash_once() -> None:
    fake = FakeUnitOfWork()
    staff.add_staff_user(fake, FACILITATOR, "long-enough-1")
    [(user, password_hash, failed, locked)] = fake.staff.credentials()
    assert user == FACILITATOR and failed == 0 and locked is None
    assert password_hash.startswith("$2") and "long-enough-1" not in password_hash
    assert staff.get_staff_user(fake, "facilitator") == FACILITATOR
    with pytest.raises(VilcoError, match=r"errors\.username_taken"):
        staff.add_staff_user(fake, FACILITATOR, "another-password")
    assert fake.staff.count() == 1
    assert [e.kind for e in fake.audit.entries()] == ["staff.user_added"]


def test_use_cases_login_locks_after_five_failures() -> None:
    fake = FakeUnitOfWork()
    staff.add_staff_user(fake, ADMIN, "long-enough-1")
    outcomes = [staff.log_in(fake, "admin", "wrong", NOW, demo=True) for _ in range(5)]
    assert outcomes == [staff.LoginOutcome.FAILED] * 4 + [staff.LoginOutcome.LOCKED]
    [record] = staff.login_records(fake, NOW)
    assert record.locked(NOW) and record.failed_logins == 5
    assert fake.audit.entries()[-1].kind == "staff.account_locked"
    later = NOW + staff.LOCKOUT + dt.timedelta(seconds=1)
    assert staff.login_records(fake, later)[0].failed_logins == 0  # the lock expired
    wrong = staff.log_in(fake, "admin", "wrong", later, demo=True)
    assert wrong is staff.LoginOutcome.FAILED  # counting starts again
    assert staff.log_in(fake, "nobody", "x", NOW, demo=True) is staff.LoginOutcome.FAILED
    right = staff.log_in(fake, "admin", "long-enough-1", later, demo=True)
    assert right is staff.LoginOutcome.ACCEPTED
    assert staff.login_records(fake, later)[0].failed_logins == 0


def test_use_cases_cast_ballot_spends_a_code_once(uow: FakeUnitOfWork) -> None:
    batch = voting.issue_codes(uow, FACILITATOR, 1, 3, TODAY, "table 1")
    code = batch.codes[0]
    ballot = Ballot(kind="approval", project_ids=("A", "B"))
    sheet = voting.open_vote(uow, code, None, TODAY)
    assert [p.ref for p in sheet.projects] == ["A", "B", "C"]
    receipt = voting.cast_ballot(uow, code, ballot, "phone", None, TODAY)
    stored = uow.ballots.get(receipt)
    assert stored is not None and stored.ballot == ballot and stored.channel == "phone"
    assert uow.ballots.is_pending(receipt) and not uow.audit.has_ballot(receipt)
    assert audit.check_receipt(uow, receipt).pending  # counted at once, logged once mixed
    assert mixing.flush_ballots(uow, ADMIN) == {1: 1}
    assert uow.audit.has_ballot(receipt) and not audit.check_receipt(uow, receipt).pending
    with pytest.raises(VilcoError, match=r"vote\.code_spent"):
        voting.cast_ballot(uow, code, ballot, "phone", None, TODAY)
    with pytest.raises(VilcoError, match=r"vote\.code_unknown"):
        voting.cast_ballot(uow, "AAAA-AAAA-AAAA-AAAA", ballot, "phone", None, TODAY)
    [listed] = voting.list_code_batches(uow, 1)
    assert (listed.unused, listed.spent, listed.void) == (2, 1, 0)
    assert ballots.count_ballots(uow, 1) == 1


def test_use_cases_refused_ballot_leaves_the_code_unused(uow: FakeUnitOfWork) -> None:
    [code] = voting.issue_codes(uow, ADMIN, 1, 1, TODAY).codes
    before = _tables(uow)
    too_many = Ballot(kind="approval", project_ids=("A", "B", "C", "X"))
    with pytest.raises(VilcoError):
        voting.cast_ballot(uow, code, too_many, "phone", None, TODAY)
    closed = TODAY + dt.timedelta(days=30)
    with pytest.raises(VilcoError, match=r"vote\.closed"):
        voting.cast_ballot(uow, code, Ballot(kind="approval", project_ids=("A",)), "phone",
                           None, closed)  # fmt: skip
    assert _tables(uow) == before
    assert voting.cast_ballot(uow, code, Ballot(kind="approval", project_ids=("A",)), "phone",
                              None, TODAY)  # fmt: skip


def test_use_cases_void_code_then_refused(uow: FakeUnitOfWork) -> None:
    first, second = voting.issue_codes(uow, ADMIN, 1, 2, TODAY).codes
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        voting.void_code(uow, SCHAERBEEK, first)
    assert voting.void_code(uow, FACILITATOR, first) is True
    assert voting.void_code(uow, FACILITATOR, first) is False
    with pytest.raises(VilcoError, match=r"vote\.code_void"):
        voting.open_vote(uow, first, None, TODAY)
    assert voting.void_batch(uow, ADMIN, 1) == 1
    with pytest.raises(VilcoError, match=r"vote\.code_void"):
        voting.open_vote(uow, second, None, TODAY)


def test_use_cases_record_paper_ballots_and_recount(uow: FakeUnitOfWork) -> None:
    codes = voting.issue_codes(uow, ADMIN, 1, 3, TODAY).codes
    [site] = processes.list_sites(uow, 1)
    text = f"{codes[0]} ; A b\n{codes[1]} ; c\n{codes[0]} ; B\nnot a code ; A\n"  # any case
    lines, problems = voting.parse_paper_lines(text, "approval")
    assert [n for n, _e in problems] == [4]
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        voting.enter_paper_ballots(uow, SCHAERBEEK, site.id or 0, lines, NOW)
    outcome = voting.enter_paper_ballots(uow, OFFICER, site.id or 0, lines, NOW,
                                         already_refused=len(problems))  # fmt: skip
    assert outcome.stored == 2
    assert [(n, e.code) for n, e in outcome.refused] == [(3, "vote.code_spent")]
    assert uow.ballots.count_by_channel_site(1) == {("paper", site.id): 2}
    voting.record_recount(uow, OFFICER, site.id or 0, 2, NOW, note="  box 1  ")
    [entry, recount] = uow.paper_entries.list_for_process(1)
    assert (entry.kind, entry.ballots, entry.refused, entry.officer) == ("entry", 2, 2, "officer")
    assert (recount.kind, recount.ballots, recount.note) == ("recount", 2, "box 1")
    with pytest.raises(VilcoError, match=r"errors\.recount_invalid"):
        voting.record_recount(uow, OFFICER, site.id or 0, -1, NOW)


def test_use_cases_audit_log_appends_and_verifies(uow: FakeUnitOfWork) -> None:
    codes = voting.issue_codes(uow, ADMIN, 1, 2, TODAY).codes
    for code, refs in zip(codes, (("A",), ("A", "B")), strict=True):
        voting.cast_ballot(uow, code, Ballot(kind="approval", project_ids=refs), "phone", None,
                           TODAY)  # fmt: skip
    seq = audit.publish_tally(uow, FACILITATOR, 1)
    report = audit.verify_audit(uow)
    assert report.chain_ok and report.tallies_ok and report.problems == ()
    assert (report.ballots, report.entries) == (2, seq)
    kinds = [e.kind for e in uow.audit.entries()]
    assert kinds.count("ballot") == 2 and kinds[-1] == "tally.published"
    head = audit.chain_head(uow)
    assert head.seq == seq and audit.verify_head(uow, f"{head.hash}@{seq}") == []


def test_use_cases_audit_detects_a_forged_entry(uow: FakeUnitOfWork) -> None:
    [code] = voting.issue_codes(uow, ADMIN, 1, 1, TODAY).codes
    voting.cast_ballot(uow, code, Ballot(kind="approval", project_ids=("A",)), "phone", None,
                       TODAY)  # fmt: skip
    mixing.flush_ballots(uow, ADMIN, 1)
    entries = uow.committed.audit
    ballot = next(i for i, e in enumerate(entries) if e.kind == "ballot")
    forged = entries[ballot].payload.replace('"channel":"phone"', '"channel":"paper"')
    assert forged != entries[ballot].payload
    entries[ballot] = replace(entries[ballot], payload=forged)
    report = audit.verify_audit(uow)
    assert not report.chain_ok and not report.tallies_ok  # the hash, and the stored ballot
    assert report.problems[0] == f"entry {ballot + 1}: hash does not match"


def test_use_cases_late_paper_entry_needs_a_reason_and_logs_it(uow: FakeUnitOfWork) -> None:
    codes = voting.issue_codes(uow, ADMIN, 1, 2, TODAY).codes
    [site] = processes.list_sites(uow, 1)
    lines, _bad = voting.parse_paper_lines(f"{codes[0]} ; A\n{codes[1]} ; B\n", "approval")
    vote_end = max(w.ends_on for w in PROCESS.phases)
    on_end_day = dt.datetime.combine(vote_end, dt.time(20), dt.UTC)
    after = on_end_day + dt.timedelta(days=1)
    assert not voting.paper_entry_late(PROCESS, on_end_day) and voting.paper_entry_late(
        PROCESS, after
    )
    before = _tables(uow)
    for blank in ("", "   \t "):
        with pytest.raises(VilcoError) as caught:
            voting.enter_paper_ballots(uow, OFFICER, site.id or 0, lines, after, late_reason=blank)
        assert caught.value.code == "vote.late_reason_required"
        assert caught.value.params == {"end": vote_end.isoformat()}
    with pytest.raises(VilcoError, match=r"vote\.late_reason_too_long"):
        voting.enter_paper_ballots(uow, OFFICER, site.id or 0, lines, after, late_reason="x" * 201)
    assert _tables(uow) == before  # refused: no ballot, no spent code, no log line
    reason = "  box found\u202e in the  town hall "
    outcome = voting.enter_paper_ballots(uow, OFFICER, site.id or 0, lines[:1], after,
                                         late_reason=reason)  # fmt: skip
    assert outcome.stored == 1
    [entry] = uow.paper_entries.list_for_process(1)
    assert entry.note == "box found in the town hall"
    logged = [e for e in uow.audit.entries() if e.kind == "staff.paper_entered"]
    assert len(logged) == 1 and '"late_reason":"box found in the town hall"' in logged[0].payload
    # within the vote (its last day included) no reason is asked and none is logged
    voting.enter_paper_ballots(uow, OFFICER, site.id or 0, lines[1:], on_end_day)
    on_time = [e for e in uow.audit.entries() if e.kind == "staff.paper_entered"][-1]
    assert "late_reason" not in on_time.payload
