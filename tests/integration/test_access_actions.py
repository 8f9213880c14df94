"""Every staff action (the services behind the staff pages and the CLI) as anonymous and as
each wrong role: `errors.forbidden` and not one row changed (a snapshot of every table); then
as each right role: done. On SQLite (the checks are above the store)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from vilco_core.demo import load_demo
from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import (
    audit,
    bookings,
    draws,
    handovers,
    mixing,
    premises,
    processes,
    resources,
    staff,
    support,
    voting,
)
from vilco_core.signatures import Signature
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)
USERS = {
    Role.ADMIN: StaffUser(username="admin", name="A", role=Role.ADMIN),
    Role.FACILITATOR: StaffUser(username="facilitator", name="F", role=Role.FACILITATOR,
                                commune_codes=("21013",)),
    Role.POLL_OFFICER: StaffUser(username="officer", name="O", role=Role.POLL_OFFICER,
                                 commune_codes=("21013", "21015")),
    Role.AGENT: StaffUser(username="agent", name="G", role=Role.AGENT, commune_codes=("21013",)),
}  # fmt: skip
AGENTS = frozenset({Role.ADMIN, Role.AGENT})  # demo resources: 1 library, 2 school (21013)
RESOURCES_CSV = (
    b"kind,commune,name_fr,name_nl,hours,address,lat,lon\n"
    b"space,21013,Salle,Zaal,mon-fri 09:00-17:00,Rue X 1,50.83,4.34\n"
)
ADMINS = frozenset({Role.ADMIN, Role.FACILITATOR})
ONLY_ADMIN = frozenset({Role.ADMIN})  # staff accounts
CSV = (
    b"id,title_fr,title_nl,description_fr,description_nl,cost,lat,lon,district,theme,"
    b"initiative,status\nZZ-{n},Banc,Bank,Un banc,Een bank,500,50.83,4.34,Parvis,social,X,"
    b"proposed\n"
)  # fmt: skip (proposed: the demo's vote is open, its ballot locked)

Extra = dict[str, Any]
Action = Callable[[SqlUnitOfWork, StaffUser | None, dict[str, Any]], object]
ACTIONS: dict[str, tuple[frozenset[Role], Action]] = {
    "save_process": (ADMINS, lambda u, a, x: processes.save_process(
        u, a, processes.get_process(u, 1))),
    "save_project": (ADMINS, lambda u, a, x: processes.save_project(
        u, a, processes.list_projects(u, 1)[0])),
    "import_projects": (ADMINS, lambda u, a, x: processes.import_projects(
        u, a, 1, CSV.replace(b"{n}", str(x.setdefault("n", 0) + len(x)).encode()))),
    "withdraw_project": (ADMINS, lambda u, a, x: processes.withdraw_project(
        u, a, next(p.id or 0 for p in processes.list_projects(u, 1) if p.status == "eligible"),
        "Le terrain n'est plus disponible")),
    "publish_lottery": (ADMINS, lambda u, a, x: draws.publish_lottery(
        u, a, 1, title="t", pool_csv="", quotas_csv="", lottery=b"{}")),
    "perform_draw": (ADMINS, lambda u, a, x: draws.perform_draw(
        u, a, 1, seed="s", witnesses=["w"])),
    "issue_codes": (ADMINS, lambda u, a, x: voting.issue_codes(u, a, 1, 2, TODAY)),
    "void_batch": (ADMINS, lambda u, a, x: voting.void_batch(u, a, x["batch"])),
    "void_code": (ADMINS, lambda u, a, x: voting.void_code(u, a, x["codes"].pop())),
    "export_signatures": (ADMINS, lambda u, a, x: support.export_signatures(u, a, 1)),
    "issue_support_codes": (ADMINS, lambda u, a, x: voting.issue_codes(
        u, a, 1, 2, TODAY, "", "support")),
    "review_signatures": (ADMINS, lambda u, a, x: support.review_signatures(u, a, 1)),
    "strike_signature": (ADMINS, lambda u, a, x: support.strike_signature(
        u, a, x["signature"], "fake name")),
    "publish_tally": (ADMINS, lambda u, a, x: audit.publish_tally(u, a, 1)),
    "flush_ballots": (ADMINS, lambda u, a, x: mixing.flush_ballots(u, a, 1)),
    "enter_paper_ballots": (ADMINS | {Role.POLL_OFFICER},
                            lambda u, a, x: voting.enter_paper_ballots(u, a, 1, [], NOW)),
    "record_recount": (ADMINS | {Role.POLL_OFFICER},
                       lambda u, a, x: voting.record_recount(u, a, 1, 3, NOW)),
    "save_resource": (AGENTS, lambda u, a, x: resources.save_resource(
        u, a, resources.get_managed_resource(u, USERS[Role.ADMIN], 1))),
    "import_resources": (AGENTS, lambda u, a, x: resources.import_resources_csv(
        u, a, RESOURCES_CSV)),
    "decide_request": (AGENTS, lambda u, a, x: bookings.decide_request(
        u, a, "BK-DEMO02", True, NOW)),
    "cancel_request": (AGENTS, lambda u, a, x: bookings.cancel_request(
        u, a, "BK-DEMO04", NOW)),
    "hand_over": (AGENTS, lambda u, a, x: handovers.hand_over(u, a, 1, NOW)),
    "take_back": (AGENTS, lambda u, a, x: handovers.take_back(u, a, 6, NOW)),
    "note_premises": (AGENTS, lambda u, a, x: premises.note_premises(
        u, a, 1, "check_in", "Clean", NOW)),
    "list_bookings": (AGENTS, lambda u, a, x: bookings.list_bookings(u, a)),
    "overdue_bookings": (AGENTS, lambda u, a, x: handovers.overdue_bookings(u, a, NOW)),
    "staff_calendar": (AGENTS, lambda u, a, x: resources.staff_calendar(u, a, 1, "fr")),
    "evaluations_csv": (AGENTS, lambda u, a, x: premises.evaluations_csv(u, a, "fr")),
    "staff_feed_signature": (AGENTS, lambda u, a, x: resources.staff_feed_signature(
        u, a, 1, b"k" * 32)),
    "evaluate_as_agent": (AGENTS, lambda u, a, x: premises.evaluate_as_agent(
        u, a, 6, (4, 4, 4), "", NOW)),
    "premises_notes": (AGENTS, lambda u, a, x: premises.premises_notes(u, a, 1)),
    "evaluation_summary": (AGENTS, lambda u, a, x: premises.evaluation_summary(u, a)),
    "disable_user": (ONLY_ADMIN, lambda u, a, x: staff.disable_user(u, a, "officer", NOW)),
    "enable_user": (ONLY_ADMIN, lambda u, a, x: staff.enable_user(u, a, "officer")),
    "list_staff_users": (ONLY_ADMIN, lambda u, a, x: staff.list_staff_users(u, a)),
}  # fmt: skip
# Refused before any input is read, so the arguments above need not be valid for these.
NEEDS_VALID_INPUT = {"publish_lottery", "perform_draw"}
REFUSALS = [
    (name, role) for name, (allowed, _f) in ACTIONS.items()
    for role in [None, *Role] if role not in allowed
]  # fmt: skip


def _demo(path: Path) -> tuple[SqlUnitOfWork, dict[str, Any]]:
    engine = make_engine(f"sqlite:///{path / 'access.sqlite3'}")
    upgrade_database(engine)
    uow = SqlUnitOfWork(engine)
    load_demo(uow, TODAY)
    batch = voting.issue_codes(uow, USERS[Role.ADMIN], 1, 6, TODAY)
    project = processes.list_projects(uow, 1)[0].id or 0
    with uow:  # a signature collected while process 1's support phase was open
        uow.signatures.add(1, Signature(project_id=project, name="Ann", postcode="1060"), "ann",
                           TODAY)  # fmt: skip
        uow.commit()
    [signed] = support.review_signatures(uow, USERS[Role.ADMIN], 1)
    return uow, {"batch": batch.batch_id, "codes": list(batch.codes), "signature": signed.id}


def _snapshot(uow: SqlUnitOfWork) -> list[list[str]]:
    meta = MetaData()
    meta.reflect(uow.engine)
    with uow.engine.connect() as connection:
        return [sorted(map(repr, connection.execute(select(t)))) for t in meta.sorted_tables]


@pytest.fixture(scope="module")
def shared(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SqlUnitOfWork, dict[str, Any]]]:
    uow, extra = _demo(tmp_path_factory.mktemp("access"))
    yield uow, extra
    uow.engine.dispose()


@pytest.mark.parametrize(("name", "role"), REFUSALS, ids=[f"{n}-{r}" for n, r in REFUSALS])
def test_access_action_refused_changes_nothing(shared: tuple[SqlUnitOfWork, Extra],
                                               name: str, role: Role | None) -> None:  # fmt: skip
    uow, extra = shared
    before = _snapshot(uow)
    with pytest.raises(VilcoError) as error:
        ACTIONS[name][1](
            uow, None if role is None else USERS[role], dict(extra, codes=list(extra["codes"]))
        )
    assert error.value.code == "errors.forbidden"
    assert _snapshot(uow) == before


@pytest.mark.parametrize("role", list(Role))
def test_access_action_allowed_for_the_right_role(tmp_path: Path, role: Role) -> None:
    uow, extra = _demo(tmp_path)
    done = []
    for name, (allowed, action) in ACTIONS.items():
        if role in allowed and name not in NEEDS_VALID_INPUT:
            action(uow, USERS[role], extra)
            done.append(name)
    assert done and audit.verify_audit(uow).ok  # chain, tallies, locked settings, codes
    uow.engine.dispose()


def test_access_lockout_after_five_failures_expires_and_is_audited(tmp_path: Path) -> None:
    uow, _extra = _demo(tmp_path)
    outcomes = [staff.log_in(uow, "facilitator", "wrong", NOW, demo=True) for _ in range(5)]
    assert outcomes == [staff.LoginOutcome.FAILED] * 4 + [staff.LoginOutcome.LOCKED]
    records = {r.user.username: r for r in staff.login_records(uow, NOW)}
    assert records["facilitator"].locked(NOW) and not records["admin"].locked(NOW)
    later = NOW + staff.LOCKOUT + dt.timedelta(seconds=1)
    assert not {r.user.username: r for r in staff.login_records(uow, later)}["facilitator"].locked(
        later
    )
    before = _snapshot(uow)
    assert staff.log_in(uow, "no-such-user", "x", NOW, demo=True) is staff.LoginOutcome.FAILED
    assert _snapshot(uow) == before  # an unknown name leaves no trace to enumerate
    with uow:
        kinds = [e.payload for e in uow.audit.entries() if e.kind == "staff.account_locked"]
    assert kinds == ['{"actor":null,"username":"facilitator"}']
    uow.engine.dispose()


def test_access_publish_tally_only_for_the_process_communes(
    shared: tuple[SqlUnitOfWork, Extra],
) -> None:
    """The Saint-Gilles facilitator may not publish the tally of a Schaerbeek-only process."""
    uow, _extra = shared
    assert processes.get_process(uow, 2).commune_codes == ("21015",)
    before = _snapshot(uow)
    with pytest.raises(VilcoError) as error:
        audit.publish_tally(uow, USERS[Role.FACILITATOR], 2)
    assert error.value.code == "errors.forbidden"
    assert _snapshot(uow) == before
