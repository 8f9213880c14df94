"""CLI commands, one module each; see `vilco_core.__main__`. Here: the database a command opens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from vilco_core.store import SqlUnitOfWork, database_url, make_engine, upgrade_database


@contextmanager
def store() -> Iterator[SqlUnitOfWork]:
    """A migrated database for one command, its connections closed afterwards."""
    engine = make_engine(database_url())
    try:
        upgrade_database(engine)
        yield SqlUnitOfWork(engine)
    finally:
        engine.dispose()
