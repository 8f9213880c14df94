"""Persistence: SQLAlchemy 2 tables, the engine (SQLite file with WAL, or PostgreSQL), Alembic
migrations and the unit of work that services use. Nothing outside this package builds SQL."""

from vilco_core.store.engine import database_url, make_engine, upgrade_database
from vilco_core.store.uow import SqlUnitOfWork

__all__ = ["SqlUnitOfWork", "database_url", "make_engine", "upgrade_database"]
