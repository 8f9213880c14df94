"""One engine per process (migrated once), and a fresh unit of work per use."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from vilco_core.store import SqlUnitOfWork, database_url, make_engine, prepare_database


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    prepare_database(engine)
    return engine


def prepare_at_start() -> None:
    """Once, when the server starts (`serve.py`): migrate, or with `VILCO_MIGRATE_AT_START=0`
    check the schema is current — a replica of a deployment that migrates as its own step
    exits (SchemaNotCurrent) rather than serve pages that fail."""
    engine = make_engine(database_url())
    try:
        prepare_database(engine)
    finally:
        engine.dispose()


def uow() -> SqlUnitOfWork:
    return SqlUnitOfWork(_engine(database_url()))


def reading() -> SqlUnitOfWork:
    """A read-only unit of work for pure reads (results, projector, map, the vote page loading
    its ballot, receipts): on SQLite it takes no write lock, so voters never queue behind an
    import or a draw being recorded; on PostgreSQL its transaction is `READ ONLY`."""
    return SqlUnitOfWork(_engine(database_url()), readonly=True)
