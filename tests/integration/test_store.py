"""Store and services on a real database: a SQLite file and PostgreSQL (both, every test)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError

from vilco_core import worker
from vilco_core.demo import DEMO_PASSWORD, load_demo
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import LocalText, Phase, Process, ProcessKind, Project, Role, StaffUser
from vilco_core.services import processes, staff
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database
from vilco_core.store.tables import ProjectRow

ROOT = Path(__file__).resolve().parents[2]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
FACILITATOR = StaffUser(
    username="facilitator", name="F", role=Role.FACILITATOR, commune_codes=("21013",)
)
OFFICER = StaffUser(username="officer", name="O", role=Role.POLL_OFFICER, commune_codes=("21013",))


def _project_count(uow: SqlUnitOfWork) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(ProjectRow)) or 0)


def test_store_migrations_are_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    upgrade_database(engine)
    engine.dispose()


def test_store_demo_loads_once(demo_uow: SqlUnitOfWork) -> None:
    summaries = processes.summarise_processes(demo_uow, dt.date.today())
    assert [s.phase for s in summaries] == [Phase.VOTE, Phase.PROPOSALS, Phase.VOTE]
    assert summaries[0].project_count == 25
    assert len(processes.list_sites(demo_uow, summaries[0].process.id or 0)) == 4
    assert load_demo(demo_uow, dt.date.today()) is False
    # 25 in the budget, 3 in the call (signatures), 25 in the budget split by commune
    assert _project_count(demo_uow) == 53


def test_store_process_round_trip_and_update(demo_uow: SqlUnitOfWork) -> None:
    process = processes.list_processes(demo_uow)[0]
    assert process.sub_budgets == () and len(process.phases) == 6
    renamed = replace(process, name=LocalText(fr="Nouveau", nl="Nieuw", en="New"), rolling=True)
    processes.save_process(demo_uow, ADMIN, renamed)
    assert processes.get_process(demo_uow, process.id or 0) == renamed


def test_store_process_validation_and_roles(demo_uow: SqlUnitOfWork) -> None:
    new = Process(
        id=None,
        name=LocalText(fr="", nl="BB"),
        kind=ProcessKind.CALL,
        commune_codes=("21015",),
        envelope_cents=-1,
        year=2027,
    )
    with pytest.raises(ValidationErrors) as caught:
        processes.save_process(demo_uow, ADMIN, new)
    assert {p.code for p in caught.value.problems} == {
        "errors.field_required",
        "errors.envelope_invalid",
    }
    valid = replace(new, name=LocalText(fr="Appel", nl="Oproep"), envelope_cents=1000)
    for actor in (None, OFFICER, FACILITATOR):  # anonymous, wrong role, wrong commune
        with pytest.raises(VilcoError, match=r"errors\.forbidden"):
            processes.save_process(demo_uow, actor, valid)
    assert processes.save_process(demo_uow, ADMIN, valid) > 0


def test_store_project_create_edit_and_duplicate(demo_uow: SqlUnitOfWork) -> None:
    process = processes.list_processes(demo_uow)[0]
    project = Project(
        id=None,
        process_id=process.id or 0,
        ref="NEW-1",
        cost_cents=1234_00,
        title=LocalText(fr="<script>x</script>", nl="Nieuw"),
        description=LocalText(fr="d", nl="b"),
        lat=50.83,
        lon=4.345,
    )
    project_id = processes.save_project(demo_uow, FACILITATOR, project)
    stored = next(
        p for p in processes.list_projects(demo_uow, process.id or 0) if p.id == project_id
    )
    assert stored.title.exact("fr") == "<script>x</script>"
    processes.save_project(demo_uow, ADMIN, replace(stored, cost_cents=99_00))
    with pytest.raises(ValidationErrors):
        processes.save_project(demo_uow, ADMIN, replace(project, ref="SG-01"))
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        processes.save_project(demo_uow, OFFICER, replace(project, ref="NEW-2"))
    assert _project_count(demo_uow) == 54  # the demo's 53 (25 + 3 + 25), 1 added


def test_store_csv_import_is_all_or_nothing(demo_uow: SqlUnitOfWork) -> None:
    process_id = processes.list_processes(demo_uow)[0].id or 0
    header = "id,title_fr,title_nl,description_fr,description_nl,cost,lat,lon\n"
    good = "N1,A,B,C,D,100,50.83,4.35\nN2,A,B,C,D,200,50.86,4.38\n"
    with pytest.raises(ValidationErrors):
        processes.import_projects(
            demo_uow, ADMIN, process_id, (header + good + "N3,A,B,C,D,-1,50.8,4.3\n").encode()
        )
    # 25 in the budget, 3 in the call (signatures), 25 in the budget split by commune
    assert _project_count(demo_uow) == 53
    assert processes.import_projects(demo_uow, ADMIN, process_id, (header + good).encode()) == 2
    assert _project_count(demo_uow) == 55


def test_store_staff_lockout_after_five_failures(demo_uow: SqlUnitOfWork) -> None:
    now = dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC)
    outcomes = [staff.log_in(demo_uow, "admin", "wrong", now, demo=True) for _ in range(5)]
    assert outcomes == [staff.LoginOutcome.FAILED] * 4 + [staff.LoginOutcome.LOCKED]
    records = {r.user.username: r for r in staff.login_records(demo_uow, now)}
    assert records["admin"].locked(now) and records["admin"].failed_logins == 5
    right = staff.log_in(demo_uow, "admin", staff.DEMO_PASSWORD, now, demo=True)
    assert right is staff.LoginOutcome.LOCKED  # even the right password, until the lock ends
    later = now + staff.LOCKOUT + dt.timedelta(seconds=1)
    assert {r.user.username: r for r in staff.login_records(demo_uow, later)}[
        "admin"
    ].failed_logins == 0
    wrong = staff.log_in(demo_uow, "admin", "wrong", later, demo=True)
    assert wrong is staff.LoginOutcome.FAILED  # counting starts again
    right = staff.log_in(demo_uow, "admin", staff.DEMO_PASSWORD, later, demo=True)
    assert right is staff.LoginOutcome.ACCEPTED
    assert {r.user.username: r for r in staff.login_records(demo_uow, later)}[
        "admin"
    ].failed_logins == 0


def test_store_staff_passwords_are_bcrypt_hashes(demo_uow: SqlUnitOfWork) -> None:
    import bcrypt

    record = next(
        r
        for r in staff.login_records(demo_uow, dt.datetime.now(dt.UTC))
        if r.user.username == "admin"
    )
    assert record.password_hash.startswith("$2b$") and DEMO_PASSWORD not in record.password_hash
    assert bcrypt.checkpw(DEMO_PASSWORD.encode(), record.password_hash.encode())
    with pytest.raises(VilcoError, match=r"errors\.username_taken"):
        staff.add_staff_user(demo_uow, ADMIN, "another-long-password")
    with pytest.raises(ValidationErrors):
        staff.add_staff_user(demo_uow, replace(ADMIN, username="Bad Name"), "short")


def test_store_read_only_reads_pass_a_held_write_lock(demo_uow: SqlUnitOfWork) -> None:
    """While another connection holds the write lock (an open `BEGIN IMMEDIATE` on SQLite, an
    open write transaction on PostgreSQL), a read-only unit of work reads at once; a writing
    one waits for the lock (SQLite) — the difference the read-only path exists for."""
    engine = demo_uow.engine
    reader = SqlUnitOfWork(engine, readonly=True)
    sqlite = engine.dialect.name == "sqlite"
    with ThreadPoolExecutor(max_workers=2) as pool, engine.connect() as holder:
        holder.begin()  # SQLite: BEGIN IMMEDIATE, the write lock is held from here
        holder.execute(update(ProjectRow).where(ProjectRow.ref == "SG-01").values(cost_cents=1))
        read = pool.submit(lambda: [p.ref for p in processes.list_projects(reader, 1)][:2])
        writer = pool.submit(_project_count, demo_uow)
        assert read.result(timeout=10) == ["SC-01", "SC-02"]  # no wait for the lock
        if sqlite:
            with pytest.raises(FutureTimeout):
                writer.result(timeout=0.5)  # a writing unit of work queues behind the lock
        holder.rollback()
        assert writer.result(timeout=30) == 53


def test_store_read_only_unit_of_work_cannot_write(demo_uow: SqlUnitOfWork) -> None:
    reader = SqlUnitOfWork(demo_uow.engine, readonly=True)
    assert processes.get_process(reader, 1).id == 1
    with reader, pytest.raises(RuntimeError, match="read-only"):
        reader.commit()
    if demo_uow.engine.dialect.name == "postgresql":
        with reader, pytest.raises(DBAPIError, match="read-only transaction"):
            reader.session.execute(update(ProjectRow).values(cost_cents=1))
    assert processes.get_process(demo_uow, 1).id == 1


def _big_csv(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["id,title_fr,title_nl,description_fr,description_nl,cost,lat,lon"]
    for i in range(rows):
        cost = "-1" if i == bad_row else str(1000 + i)
        lines.append(f"B{i:05d},Projet {i},Project {i},Texte,Tekst,{cost},50.83,4.35")
    return ("\n".join(lines) + "\n").encode()


def test_store_large_import_checks_outside_the_write_transaction(
    demo_uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """5,000 rows: one bad row writes nothing; the file is checked while no write transaction
    is open (another writer gets through at once), and a reference taken meanwhile refuses the
    whole file."""
    with pytest.raises(ValidationErrors) as caught:
        processes.import_projects(demo_uow, ADMIN, 1, _big_csv(5_000, bad_row=4_990))
    assert [e.params.get("row") for e in caught.value.problems] == [4_992]
    assert _project_count(demo_uow) == 53
    real_parse = processes.parse_projects_csv
    other = SqlUnitOfWork(demo_uow.engine)

    def parse_while_someone_writes(
        data: bytes, process_id: int, existing: set[str], *more: object
    ) -> object:
        if "B00007" not in existing:  # first check: someone adds B00007 meanwhile
            new = Project(id=None, process_id=1, ref="B00007", title=LocalText(fr="X", nl="X"),
                          description=LocalText(fr="Y", nl="Y"), cost_cents=100, lat=50.83,
                          lon=4.35)  # fmt: skip
            with ThreadPoolExecutor(1) as pool:  # blocked for 30 s if the import held the lock
                pool.submit(processes.save_project, other, ADMIN, new).result(timeout=10)
        return real_parse(data, process_id, existing, *more)  # type: ignore[arg-type]

    monkeypatch.setattr(processes, "parse_projects_csv", parse_while_someone_writes)
    with pytest.raises(ValidationErrors) as caught:
        processes.import_projects(demo_uow, ADMIN, 1, _big_csv(5_000))
    assert [(e.code, e.params["ref"]) for e in caught.value.problems] == [
        ("errors.duplicate_ref", "B00007")
    ]
    assert _project_count(demo_uow) == 54  # the other writer's project only
    monkeypatch.setattr(processes, "parse_projects_csv", real_parse)
    assert processes.import_projects(demo_uow, ADMIN, 2, _big_csv(5_000)) == 5_000
    assert len(processes.list_projects(demo_uow, 2)) == 5_003


def test_store_import_through_a_worker_process(demo_uow: SqlUnitOfWork) -> None:
    """The projects page checks the file in a worker process: same refusals, same rows."""
    with pytest.raises(ValidationErrors) as caught:
        processes.import_projects(demo_uow, ADMIN, 2, _big_csv(40, bad_row=7), run=worker.run)
    assert [(e.code, e.params.get("row")) for e in caught.value.problems] == [
        ("errors.cost_invalid", 9)
    ]
    assert processes.import_projects(demo_uow, ADMIN, 2, _big_csv(40), run=worker.run) == 40
    refs = [p.ref for p in processes.list_projects(demo_uow, 2) if p.ref.startswith("B")]
    assert refs == [f"B{i:05d}" for i in range(40)]
