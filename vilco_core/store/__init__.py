"""Persistence: SQLAlchemy 2 tables, the engine (SQLite file with WAL, or PostgreSQL), Alembic
migrations and the unit of work that services use. Nothing outside this package builds SQL."""

from vilco_core.store.engine import (
    SchemaNotCurrent,
    database_url,
    make_engine,
    prepare_database,
    schema_is_current,
    upgrade_database,
)
from vilco_core.store.uow import SqlUnitOfWork

__all__ = [
    "SchemaNotCurrent",
    "SqlUnitOfWork",
    "database_url",
    "make_engine",
    "prepare_database",
    "schema_is_current",
    "upgrade_database",
]
