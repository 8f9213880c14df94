"""AppTest fixtures: each test gets its own SQLite file with the demo loaded. Shared helpers for
junk URL parameters: `open_link` runs a page as a link with query parameters opens it, and
`snapshot` captures every table so a test can check that nothing was written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from streamlit.testing.v1 import AppTest

from vilco_core.demo import load_demo
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    for name, value in {
        "VILCO_DATABASE_URL": url,
        "VILCO_DEMO": "1",
        "VILCO_LOGIN_SLEEP": "0",
        "VILCO_BASEMAP": "none",
    }.items():
        monkeypatch.setenv(name, value)
    engine = make_engine(url)
    upgrade_database(engine)
    load_demo(SqlUnitOfWork(engine), dt.date.today())
    engine.dispose()
    yield url


@pytest.fixture
def open_page(demo_db: str) -> Callable[..., AppTest]:
    """`open_page("pages/map.py", user="admin", lang="nl")` runs a page as that user."""

    def _open(script: str, user: str | None = None, lang: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / script), default_timeout=60)
        if user is not None:
            at.session_state["authentication_status"] = True
            at.session_state["username"] = user
        if lang is not None:
            at.session_state["vilco_language"] = lang
        return at.run()

    return _open


def texts(at: AppTest) -> list[str]:
    """Every piece of text on the page (element protos), to look for untranslated keys."""
    found: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def open_link(script: str, lang: str | None = None, **params: str) -> AppTest:
    """Run a page as a link carrying `params` (`?c=...&site=...`) opens it, as anonymous."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if lang:
        at.session_state["vilco_language"] = lang
    return at.run()


def snapshot(url: str) -> list[list[str]]:
    """Every row of every table, to compare before and after a refused input."""
    engine = make_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as connection:
            return [sorted(map(repr, connection.execute(select(t)))) for t in meta.sorted_tables]
    finally:
        engine.dispose()
