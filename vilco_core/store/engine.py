"""The database engine and its migrations.

`VILCO_DATABASE_URL` names the database; the default is a SQLite file under `var/` (git-ignored).
SQLite runs in WAL mode with a 30 s busy timeout and takes its write lock at BEGIN (`BEGIN
IMMEDIATE`): with default settings it lost ballots under concurrent writers ("database is
locked"), with these it lost none. It also overwrites deleted rows with zeros
(`secure_delete`): a pending ballot, once mixed, leaves no copy in a free page of the file. A
read-only unit of work (`READ_ONLY` execution option, set by
`SqlUnitOfWork(engine, readonly=True)`) begins a deferred transaction instead: a WAL reader
takes no lock and is never blocked by a writer (a 5,000-row import, a draw being recorded); on
PostgreSQL it runs `SET TRANSACTION READ ONLY`. PostgreSQL (`postgresql+psycopg://...`) is for
several app replicas sharing one database. Migrations are Alembic's, applied by `upgrade_database`;
on PostgreSQL it holds an advisory lock, so two processes migrating at once take turns. A server
process calls `prepare_database`: it migrates, or with `VILCO_MIGRATE_AT_START=0` (a deployment
that migrates once, as its own step: `python -m vilco_core migrate`) only checks the schema is
current and refuses to serve an older one. Each replica's pool holds `VILCO_DB_POOL_SIZE` (10)
connections plus `VILCO_DB_MAX_OVERFLOW` (20) at peaks: N replicas need N × 30 of PostgreSQL's
`max_connections` (100 by default), so give each replica its share.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text

from vilco_core.store import history

READ_ONLY = "vilco_read_only"  # execution option: this transaction only reads
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_SQLITE = Path("var") / "vilco.sqlite3"
MIGRATION_LOCK = 0x76696C636F  # PostgreSQL advisory lock key held while migrating ("vilco")


class SchemaNotCurrent(RuntimeError):
    """The database lacks migrations and this process was told not to apply them."""


def database_url(environ: dict[str, str] | None = None) -> str:
    """The URL from `VILCO_DATABASE_URL`, else the default SQLite file (its folder is created)."""
    env = os.environ if environ is None else environ
    url = env.get("VILCO_DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE.resolve()}"


def make_engine(url: str) -> Engine:
    """One engine per process; SQLite gets WAL, a busy timeout and immediate write locks."""
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_pre_ping=True, pool_size=_pool_setting("SIZE", 10),
                               max_overflow=_pool_setting("MAX_OVERFLOW", 20))  # fmt: skip
        event.listen(engine, "begin", _postgres_on_begin)
        return engine
    if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
        raise ValueError("vilco needs a SQLite file: each Streamlit session runs in its own thread")
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _pool_setting(name: str, default: int) -> int:
    """`VILCO_DB_POOL_SIZE` / `VILCO_DB_MAX_OVERFLOW`: a whole number up to 1,000, else the
    default (a replica must start whatever the setting says)."""
    key = f"VILCO_DB_POOL_{name}" if name == "SIZE" else f"VILCO_DB_{name}"
    given = os.environ.get(key, "").strip()
    return int(given) if given.isdigit() and int(given) <= 1000 else default


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_on_begin)
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "busy_timeout=30000",
        "foreign_keys=ON",
        "synchronous=NORMAL",
        "secure_delete=ON",  # a mixed pending ballot's bytes are overwritten, not left behind
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # Taking the write lock up front avoids the read-then-write upgrade that SQLite refuses
    # with SQLITE_BUSY without waiting for the busy timeout. A read-only transaction never
    # upgrades: a deferred BEGIN reads a WAL snapshot without any lock.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN DEFERRED")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _postgres_on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def upgrade_database(engine: Engine) -> None:
    """Apply every Alembic migration not yet applied (idempotent, safe at each start).

    The migrations form one chain; a database that recorded the old graph's several heads is
    first brought onto it (`vilco_core.store.history`)."""
    config = _config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # several replicas or steps at once: in turn
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        history.linearise(config, connection)
        command.upgrade(config, "head")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def schema_is_current(engine: Engine) -> bool:
    """The database records exactly the migrations' one head."""
    heads = set(ScriptDirectory.from_config(_config()).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


def prepare_database(engine: Engine, environ: dict[str, str] | None = None) -> None:
    """What a server process does with its engine at start: `upgrade_database`, or, when
    `VILCO_MIGRATE_AT_START=0`, check only (SchemaNotCurrent when migrations are missing)."""
    env = os.environ if environ is None else environ
    if env.get("VILCO_MIGRATE_AT_START", "1").strip().lower() not in ("0", "false", "no"):
        upgrade_database(engine)
    elif not schema_is_current(engine):
        raise SchemaNotCurrent(
            "the database lacks migrations: run `python -m vilco_core migrate` once, then start "
            "the replicas (VILCO_MIGRATE_AT_START=0 keeps them from migrating)"
        )
