"""When the database is out of reach: which driver errors mean "try again".

A server restart, a dropped connection, a refused connection or SQLite's busy timeout surface as
`OperationalError`/`InterfaceError` or as a `DBAPIError` that invalidated its connection. The unit
of work rolls back and turns them into `VilcoError("errors.database_unavailable")`: pages show a
translated "try again", and since the transaction did not commit, nothing is half-written.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError


def database_unreachable(exc: BaseException | None) -> bool:
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
