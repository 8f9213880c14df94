"""The lock on SQLite and PostgreSQL: the demo's vote is open (today-7), so its rule, envelope,
ballot and list are locked; the attack of issue #13 is refused and changes no row; database
edits behind the application (a spent code flipped back to unused, the rule, the envelope, a
project taken off the list) make `audit verify` fail with a reason that names them."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import replace

import pytest
from sqlalchemy import MetaData, select, update

from vilco_core.__main__ import main as cli_main
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.locking import LOCKED
from vilco_core.model import ProjectStatus, Role, StaffUser
from vilco_core.services import audit, ballots, processes
from vilco_core.store import SqlUnitOfWork
from vilco_core.store.tables import ProcessRow, ProjectRow
from vilco_core.store.tables_onsite import VoteCodeRow

TODAY = dt.date.today()
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
FACILITATOR = StaffUser(username="facilitator", name="F", role=Role.FACILITATOR,
                        commune_codes=("21013",))  # fmt: skip


def _snapshot(uow: SqlUnitOfWork) -> list[list[str]]:
    meta = MetaData()
    meta.reflect(uow.engine)
    with uow.engine.connect() as connection:
        return [sorted(map(repr, connection.execute(select(t)))) for t in meta.sorted_tables]


def _sql(uow: SqlUnitOfWork, statement: object) -> None:
    with uow:
        uow.session.execute(statement)  # type: ignore[call-overload]
        uow.commit()


def _top(uow: SqlUnitOfWork) -> str:
    """The ref of the project with most votes in the demo."""
    return ballots.compute_results(uow, 1, TODAY).projects[0].project.ref


def test_locking_demo_is_locked_and_verified(demo_uow: SqlUnitOfWork) -> None:
    report = audit.verify_audit(demo_uow)
    assert report.ok and (report.settings_ok, report.codes_ok) == (True, True)
    with demo_uow:
        locks = [json.loads(e.payload) for e in demo_uow.audit.entries() if e.kind == LOCKED]
        digest = demo_uow.processes.locked_hash(1)
    assert [(x["process_id"], x["rule"]) for x in locks] == [(1, "mes"), (3, "mes")]
    assert digest == locks[0]["hash"] and len(locks[0]["projects"]) == 25
    assert processes.is_locked(demo_uow, 1, TODAY) and not processes.is_locked(demo_uow, 2, TODAY)


def test_locking_attack_rule_and_top_project_refused(demo_uow: SqlUnitOfWork) -> None:
    """Issue #13: during the vote a facilitator switched Equal Shares to greedy and set the top
    project to rejected. Both are refused, and not one row changes."""
    before = _snapshot(demo_uow)
    stored = processes.get_process(demo_uow, 1)
    with pytest.raises(ValidationErrors) as error:
        processes.save_process(demo_uow, FACILITATOR, replace(stored, rule="greedy"))
    assert [p.code for p in error.value.problems] == ["lock.rule"]
    top = next(p for p in processes.list_projects(demo_uow, 1) if p.ref == _top(demo_uow))
    with pytest.raises(ValidationErrors) as error:
        processes.save_project(demo_uow, FACILITATOR, replace(top, status=ProjectStatus.REJECTED))
    assert [p.code for p in error.value.problems] == ["lock.withdraw_by_action"]
    assert _snapshot(demo_uow) == before


def test_locking_withdrawal_logged_and_results_exclude_it(demo_uow: SqlUnitOfWork) -> None:
    ref = _top(demo_uow)
    top = next(p for p in processes.list_projects(demo_uow, 1) if p.ref == ref)
    with pytest.raises(VilcoError) as error:
        processes.withdraw_project(demo_uow, FACILITATOR, top.id or 0, "")
    assert [p.code for p in error.value.problems] == ["lock.reason_needed"]  # type: ignore[attr-defined]
    processes.withdraw_project(demo_uow, FACILITATOR, top.id or 0, "Permis refusé")
    with demo_uow:
        [entry] = [e for e in demo_uow.audit.entries() if e.kind == "staff.project_withdrawn"]
    logged = json.loads(entry.payload)
    assert logged["reason"] == "Permis refusé" and logged["actor"] == "facilitator"
    assert logged["changes"]["status"] == {"before": top.status.value, "after": "withdrawn"}
    results = ballots.compute_results(demo_uow, 1, TODAY)
    assert ref not in results.announced.selected and [p.ref for p in results.withdrawn] == [ref]
    audit.publish_tally(demo_uow, FACILITATOR, 1)
    assert audit.verify_audit(demo_uow).ok


def test_locking_staff_saves_log_before_and_after(demo_uow: SqlUnitOfWork) -> None:
    stored = processes.get_process(demo_uow, 1)
    processes.save_process(demo_uow, ADMIN, replace(stored, signature_threshold=7))
    project = processes.list_projects(demo_uow, 1)[0]
    processes.save_project(demo_uow, ADMIN, replace(project, theme="eau"))
    with demo_uow:
        entries = [json.loads(e.payload) for e in demo_uow.audit.entries()]
    saved = [e for e in entries if "changes" in e]
    assert saved[-2]["changes"] == {"signature_threshold": {"before": 0, "after": 7}}
    assert saved[-1]["changes"] == {"theme": {"before": project.theme, "after": "eau"}}


TAMPERS = {
    "code_unspent": (
        lambda: update(VoteCodeRow).where(VoteCodeRow.code_hash == _SPENT[0])
        .values(state="unused"),
        "process 1: 799 spent codes, 800 resident ballots",
    ),
    "rule": (
        lambda: update(ProcessRow).where(ProcessRow.id == 1).values(rule="greedy"),
        "process 1: rule differs from the locked settings",
    ),
    "envelope": (
        lambda: update(ProcessRow).where(ProcessRow.id == 1).values(envelope_cents=1_000_000_00),
        "process 1: envelope_cents differs from the locked settings",
    ),
    "project_off_list": (
        lambda: update(ProjectRow).where(ProjectRow.process_id == 1, ProjectRow.ref == "SG-04")
        .values(status="rejected"),
        "process 1: projects differs from the locked settings",
    ),
}  # fmt: skip
_SPENT: list[str] = []


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_locking_database_edits_are_detected(demo_uow: SqlUnitOfWork, tamper: str) -> None:
    with demo_uow:
        spent = select(VoteCodeRow.code_hash).where(VoteCodeRow.state == "spent").limit(1)
        _SPENT[:] = [demo_uow.session.scalars(spent).one()]
    statement, problem = TAMPERS[tamper]
    _sql(demo_uow, statement())
    report = audit.verify_audit(demo_uow)
    assert report.chain_ok and report.tallies_ok and not report.ok
    assert report.problems == (problem,)
    out = io.StringIO()
    url = demo_uow.engine.url.render_as_string(hide_password=False)
    with (
        pytest.MonkeyPatch.context() as patch,
        redirect_stdout(out),
        redirect_stderr(io.StringIO()),
    ):
        patch.setenv("VILCO_DATABASE_URL", url)
        code = cli_main(["audit", "verify", "--json"])
    found = json.loads(out.getvalue())
    assert code == 1 and problem in found["problems"]
    assert {"chain_ok", "tallies_ok", "ballots", "entries", "head", "problems"} < set(found)
    assert found["settings_ok"] is (tamper == "code_unspent")
    assert found["codes_ok"] is (tamper != "code_unspent")


def test_locking_tally_published_after_an_edit_is_flagged(demo_uow: SqlUnitOfWork) -> None:
    audit.publish_tally(demo_uow, ADMIN, 1)
    _sql(demo_uow, update(ProcessRow).where(ProcessRow.id == 1).values(rule="greedy"))
    seq = audit.publish_tally(demo_uow, ADMIN, 1)
    problems = audit.verify_audit(demo_uow).problems
    assert f"tally {seq}: rule differs from the locked settings" in problems
    assert f"tally {seq}: settings_hash differs from the locked settings" in problems
    assert not any(p.startswith(f"tally {seq - 1}:") for p in problems)  # the first one held
