"""`python -m vilco_core sessions --json` on SQLite and PostgreSQL: every panel session with its
process id, title, and how many rounds and members it has; `--process` keeps one process's."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from vilco_core.__main__ import main
from vilco_core.model import Role, StaffUser
from vilco_core.services import panel_rounds, panel_sessions, processes
from vilco_core.store import SqlUnitOfWork

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
NOW = dt.datetime.now(dt.UTC)


def _sessions(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, *args: str
) -> list[dict[str, object]]:
    monkeypatch.setenv("VILCO_DATABASE_URL", url)
    capsys.readouterr()
    assert main(["sessions", "--json", *args]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert isinstance(listed, list)
    return listed


def test_cli_sessions_json_lists_sessions_with_rounds_and_members(
    database_url: str,
    demo_uow: SqlUnitOfWork,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _sessions(monkeypatch, capsys, database_url)
    first = panel_sessions.create_session(
        demo_uow, ADMIN, 1, "Soirée « budget »", ["P001", "P002", "P003"], NOW.date()
    )
    round_one = panel_rounds.open_round(
        demo_uow, ADMIN, first.session_id, "approval", ("SG-01", "SG-02"), "greedy", NOW
    )
    panel_rounds.close_round(demo_uow, ADMIN, round_one.id, NOW)
    panel_rounds.open_round(
        demo_uow, ADMIN, first.session_id, "approval", ("SG-01",), "greedy", NOW
    )
    second_process = max(
        s.process.id or 0 for s in processes.summarise_processes(demo_uow, NOW.date())
    )
    second = panel_sessions.create_session(
        demo_uow, ADMIN, second_process, "Atelier", ["Ana", "Jef"], NOW.date()
    )
    listed = _sessions(monkeypatch, capsys, database_url)
    assert listed[: len(before)] == before
    assert listed[len(before) :] == [
        {"id": first.session_id, "process": 1, "title": "Soirée « budget »", "rounds": 2,
         "members": 3},
        {"id": second.session_id, "process": second_process, "title": "Atelier", "rounds": 0,
         "members": 2},
    ]  # fmt: skip
    assert all(set(item) == {"id", "process", "title", "rounds", "members"} for item in listed)
    only = _sessions(monkeypatch, capsys, database_url, "--process", str(second_process))
    assert [item["id"] for item in only] == [
        item["id"] for item in listed if item["process"] == second_process
    ]
    assert second.session_id in [item["id"] for item in only]
    assert first.session_id not in [item["id"] for item in only]
