"""One engine per process (migrated once), and a fresh unit of work per use."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from vilco_core.store import SqlUnitOfWork, database_url, make_engine, upgrade_database


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade_database(engine)
    return engine


def uow() -> SqlUnitOfWork:
    return SqlUnitOfWork(_engine(database_url()))
