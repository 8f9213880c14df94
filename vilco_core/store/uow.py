"""The unit of work (cosmicpython's pattern) over a SQLAlchemy session.

A service opens `with uow:`, uses the repositories, and calls `uow.commit()`; leaving the block
without committing rolls everything back, so a failure never leaves a half-written row.
Repositories (one module each in this package) speak in domain values, never in rows; their
types are the Protocols of `vilco_core.unit_of_work`.

`SqlUnitOfWork(engine, readonly=True)` is for pure reads (results, the projector, the map, the
vote page loading a ballot, a receipt): on SQLite it never takes the write lock, so a long write
elsewhere does not queue it; on PostgreSQL the transaction is `READ ONLY`. It cannot commit.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from vilco_core.errors import VilcoError
from vilco_core.store.audit import AuditRepository
from vilco_core.store.ballots import BallotRepository
from vilco_core.store.draws import DrawRepository
from vilco_core.store.engine import READ_ONLY
from vilco_core.store.onsite import (
    AttemptRepository,
    CodeRepository,
    PaperEntryRepository,
    SignatureRepository,
)
from vilco_core.store.outage import database_unreachable
from vilco_core.store.panels import PanelRepository
from vilco_core.store.processes import (
    CommuneRepository,
    ProcessRepository,
    ProjectRepository,
    SiteRepository,
)
from vilco_core.store.resources import BookingRepository, ResourceRepository
from vilco_core.store.staff import StaffRepository
from vilco_core.unit_of_work import UnitOfWork


class SqlUnitOfWork:
    """`with uow: ...; uow.commit()` — one transaction over every repository."""

    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self.engine = engine
        self.readonly = readonly

    def __enter__(self) -> Self:
        options: dict[str, bool] = {READ_ONLY: True} if self.readonly else {}
        self.session = Session(self.engine, expire_on_commit=False, execution_options=options)
        self.communes = CommuneRepository(self.session)
        self.processes = ProcessRepository(self.session)
        self.projects = ProjectRepository(self.session)
        self.sites = SiteRepository(self.session)
        self.staff = StaffRepository(self.session)
        self.codes = CodeRepository(self.session)
        self.signatures = SignatureRepository(self.session)
        self.attempts = AttemptRepository(self.session)
        self.paper_entries = PaperEntryRepository(self.session)
        self.panels = PanelRepository(self.session)
        self.draws = DrawRepository(self.session)
        self.ballots = BallotRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.resources = ResourceRepository(self.session)
        self.bookings = BookingRepository(self.session)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
        if database_unreachable(exc):  # rolled back: the caller may simply try again
            raise VilcoError("errors.database_unavailable") from exc

    def commit(self) -> None:
        if self.readonly:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def _satisfies_protocol(engine: Engine) -> UnitOfWork:
    """Never called: mypy checks here that `SqlUnitOfWork` is a `UnitOfWork`."""
    return SqlUnitOfWork(engine)
