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


def uow() -> SqlUnitOfWork:
    return SqlUnitOfWork(_engine(database_url()))


def reading() -> SqlUnitOfWork:
    """A read-only unit of work for pure reads (results, projector, map, the vote page loading
    its ballot, receipts): on SQLite it takes no write lock, so voters never queue behind an
    import or a draw being recorded; on PostgreSQL its transaction is `READ ONLY`."""
    return SqlUnitOfWork(_engine(database_url()), readonly=True)
