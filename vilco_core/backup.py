"""Backups of the whole database to one file, and restores from one.

SQLite uses its online backup API (a consistent copy while the app keeps writing); PostgreSQL
uses `pg_dump --format=custom` and `pg_restore --clean --single-transaction` (the client tools
must be installed). A URL whose `options` set a `search_path` (one schema, as the tests use)
dumps and restores that schema only. The password, if any, goes through `PGPASSWORD`, never
on a command line other users could read.

A backup writes the ballots in receipt order (receipts are random), never in the order they
were written, and the code table in hash order: a restored copy's physical order ties no
ballot to a code or a moment. SQLite: the copy's tables are rewritten in that order, then the
copy is vacuumed (no free page keeps an older layout). PostgreSQL: the live tables are first
`CLUSTER`ed on those keys (a brief exclusive lock each), so that `pg_dump` reads them in that
order; `pg_dump` sets no `xmin` in the restored copy.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from vilco_core.errors import VilcoError

REQUIRED_TABLES = ("alembic_version", "ballots", "audit_log", "audit_head")
# table -> its random key (the order it is written in) and, on PostgreSQL, that key's index
RANDOM_ORDER = {
    "ballots": ("receipt", "pk_ballots"),
    "pending_ballots": ("receipt", "pk_pending_ballots"),
    "vote_codes": ("code_hash", "uq_vote_codes_code_hash"),
}
# what the schema needs beyond the dump (a dump of one schema leaves extensions out): the
# bookings' no-overlap constraint (migration 0014)
EXTENSIONS = "CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public"
log = logging.getLogger(__name__)


def backup_database(url: str, target: Path) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with _sqlite(_sqlite_path(parsed)) as source, _sqlite(target) as copy:
            source.backup(copy)
        _reorder_sqlite_copy(target)
        return
    _cluster_pg(url)
    _run_pg("pg_dump", parsed, ["--format=custom", "--no-owner", f"--file={target}"])


def _reorder_sqlite_copy(target: Path) -> None:
    """Rewrite the copy's ballot and code tables in key order, then VACUUM it."""
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute("BEGIN")
        for table, (key, _index) in RANDOM_ORDER.items():
            if table in names:
                connection.execute(f"CREATE TEMP TABLE k AS SELECT * FROM {table} ORDER BY {key}")
                connection.execute(f"DELETE FROM {table}")
                connection.execute(f"INSERT INTO {table} SELECT * FROM k ORDER BY {key}")
                connection.execute("DROP TABLE k")
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()


def _cluster_pg(url: str) -> None:
    """Rewrite the live ballot and code tables in key order before `pg_dump` reads them. If a
    lock cannot be had within 10 s the backup goes on: mixed ballots are in shuffled batches
    anyway, only their batches' order shows."""
    engine = create_engine(url)
    try:
        for table, (_key, index) in RANDOM_ORDER.items():
            with engine.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                connection.execute(text(f"CLUSTER {table} USING {index}"))
    except SQLAlchemyError as error:
        log.warning("backup: tables not reordered before pg_dump: %s", error)
    finally:
        engine.dispose()


def restore_database(url: str, source: Path) -> None:
    """Replace the database's contents by the backup's (the backup is checked first)."""
    if not source.is_file():
        raise VilcoError("backup.file_missing", file=str(source))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_backup(source)
        with _sqlite(source) as backup, _sqlite(_sqlite_path(parsed)) as live:
            backup.backup(live)
        return
    engine = create_engine(url)  # a fresh database lacks the extensions a schema dump omits
    try:
        with engine.begin() as connection:
            connection.execute(text(EXTENSIONS))
    finally:
        engine.dispose()
    _run_pg("pg_restore", parsed, ["--clean", "--if-exists", "--no-owner",
                                   "--single-transaction", str(source)])  # fmt: skip


def _sqlite(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise VilcoError("backup.unsupported")
    return Path(url.database)


def _check_sqlite_backup(source: Path) -> None:
    try:
        with _sqlite(source) as connection:
            names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        raise VilcoError("backup.invalid_file", file=str(source)) from None
    if not set(REQUIRED_TABLES) <= names:
        raise VilcoError("backup.invalid_file", file=str(source))


def _schema(url: URL) -> str | None:
    options = str(url.query.get("options", ""))
    for part in options.split():
        name, _eq, value = part.removeprefix("-c").partition("=")
        if name == "search_path" and value:
            return value.split(",")[0].strip()
    return None


def _run_pg(tool: str, url: URL, arguments: list[str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise VilcoError("backup.tool_missing", tool=tool)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    schema = _schema(url)
    plain = url.set(drivername="postgresql", password=None, query={})
    command = [program, f"--dbname={plain.render_as_string(hide_password=False)}"]
    command += [f"--schema={schema}"] if schema else []
    done = subprocess.run(command + arguments, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise VilcoError("backup.tool_failed", tool=tool, detail=done.stderr.strip()[-400:])
