"""Shared fixtures: databases (a SQLite file, a PostgreSQL schema), the demo, paths."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.smtp_sink import smtp_sink  # noqa: F401  (the fixture of the e-mail tests)
from vilco_core.demo import load_demo
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

# Cheap password hashes for the suite (the CLI and browser servers inherit it); production uses 12.
os.environ.setdefault("VILCO_BCRYPT_ROUNDS", "4")
ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str | None:
    """The PostgreSQL to test against, or None when none answers (an error in CI)."""
    url = os.environ.get("VILCO_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL must answer in CI ({url}): {error}") from error
        return None
    return url


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under pytest-xdist (`make test`: `-n auto --dist loadgroup`), the browser tests run one
    at a time on one worker, as they did serially: each starts a server and a browser, and
    their timeouts assume a core each. Every other test goes to whichever worker is free.

    Grouped here by path, on the controller: with pytest 9.2 an `xdist_group` mark no longer
    groups anything (pytest-xdist issue #1386: loadgroup rewrites the node id, which pytest
    now ignores)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class BrowserTestsOnOneWorker(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/e2e/"):
                return "tests/e2e"
            return str(super()._split_scope(nodeid))

    return BrowserTestsOnOneWorker(config, log)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url = postgres_server_url()
    if url is None:
        pytest.skip("no PostgreSQL server answers (set VILCO_TEST_POSTGRES_URL)")
    return url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh schema on the test server, dropped afterwards; the URL selects it."""
    schema = f"vilco_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_server).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'vilco.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each integration test runs on a SQLite file and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def uow(database_url: str) -> Iterator[SqlUnitOfWork]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield SqlUnitOfWork(engine)
    engine.dispose()


@pytest.fixture
def demo_uow(uow: SqlUnitOfWork) -> SqlUnitOfWork:
    load_demo(uow, dt.date.today())
    return uow
