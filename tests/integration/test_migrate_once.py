"""Migrations once per deployment: `python -m vilco_core migrate` applies them and `--check`
says whether any is missing; a server started with `VILCO_MIGRATE_AT_START=0` refuses a
database that lacks them instead of migrating; processes that do migrate at the same moment
take turns on PostgreSQL (an advisory lock) and all succeed — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect

from vilco_core.__main__ import main
from vilco_core.store import (
    SchemaNotCurrent,
    make_engine,
    prepare_database,
    schema_is_current,
)

NO_MIGRATION = {"VILCO_MIGRATE_AT_START": "0"}


def test_migrate_command_then_replicas_only_check(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VILCO_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    try:
        assert main(["migrate", "--check"]) == 1
        assert "lacks migrations" in capsys.readouterr().out
        with pytest.raises(SchemaNotCurrent, match="vilco_core migrate"):
            prepare_database(engine, NO_MIGRATION)
        assert "vote_codes" not in inspect(engine).get_table_names()  # it checked, nothing more

        assert main(["migrate"]) == 0
        assert main(["migrate", "--check"]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == "database up to date"
        prepare_database(engine, NO_MIGRATION)  # current: the replica starts
        assert schema_is_current(engine)
    finally:
        engine.dispose()


def test_servers_migrating_at_once_take_turns(database_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def server_start() -> None:
        engine = make_engine(database_url)
        try:
            start.wait()
            prepare_database(engine, {})
        except BaseException as error:
            errors.append(error)
        finally:
            engine.dispose()

    # Without the lock, three PostgreSQL migrators deadlock on each other's DDL: they hang.
    threads = [threading.Thread(target=server_start, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "migrators still waiting"
    assert errors == []
    engine = make_engine(database_url)
    try:
        assert schema_is_current(engine)
    finally:
        engine.dispose()
