"""Unit of work and repositories (cosmicpython's pattern) over SQLAlchemy sessions.

A service opens `with uow:`, uses the repositories, and calls `uow.commit()`; leaving the block
without committing rolls everything back, so a failure never leaves a half-written row.
Repositories speak in domain values (`vilco_core.model`), never in rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from fractions import Fraction
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from vilco_core.ballots import BallotRules
from vilco_core.errors import VilcoError
from vilco_core.model import (
    BudgetKind,
    Commune,
    LocalText,
    PanelDraw,
    Phase,
    PhaseWindow,
    Process,
    ProcessKind,
    Project,
    ProjectStatus,
    Role,
    Site,
    StaffUser,
    SubBudget,
)
from vilco_core.store import onsite
from vilco_core.store.audit import AuditRepository
from vilco_core.store.ballots import BallotRepository, ballot_kind
from vilco_core.store.outage import database_unreachable
from vilco_core.store.panels import PanelRepository
from vilco_core.store.tables import (
    CommuneRow,
    DrawRow,
    PhaseRow,
    ProcessCommuneRow,
    ProcessRow,
    ProjectRow,
    SiteRow,
    StaffUserCommuneRow,
    StaffUserRow,
    SubBudgetRow,
)
from vilco_core.unit_of_work import UnitOfWork


class CommuneRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_missing(self, communes: tuple[Commune, ...]) -> None:
        known = set(self.session.scalars(select(CommuneRow.code)))
        for c in communes:
            if c.code not in known:
                self.session.add(
                    CommuneRow(
                        code=c.code,
                        name_fr=c.name.fr,
                        name_nl=c.name.nl,
                        postcodes=" ".join(c.postcodes),
                        lat=c.lat,
                        lon=c.lon,
                    )
                )

    def list(self) -> list[Commune]:
        rows = self.session.scalars(select(CommuneRow).order_by(CommuneRow.code))
        return [
            Commune(
                code=r.code,
                name=LocalText(fr=r.name_fr, nl=r.name_nl, en=r.name_fr),
                postcodes=tuple(r.postcodes.split()),
                lat=r.lat,
                lon=r.lon,
            )
            for r in rows
        ]


class ProcessRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, process: Process) -> int:
        row = ProcessRow()
        _fill_process_row(row, process)
        self.session.add(row)
        self.session.flush()
        self._replace_children(row.id, process)
        return row.id

    def update(self, process: Process) -> None:
        assert process.id is not None
        row = self.session.get(ProcessRow, process.id)
        if row is None:
            raise LookupError(process.id)
        _fill_process_row(row, process)
        self._replace_children(process.id, process)

    def _replace_children(self, process_id: int, process: Process) -> None:
        for table in (ProcessCommuneRow, SubBudgetRow, PhaseRow):
            self.session.execute(delete(table).where(table.process_id == process_id))
        self.session.add_all(
            ProcessCommuneRow(process_id=process_id, commune_code=c) for c in process.commune_codes
        )
        self.session.add_all(
            SubBudgetRow(
                process_id=process_id,
                key=b.key,
                kind=b.kind.value,
                name_fr=b.name.fr,
                name_nl=b.name.nl,
                name_en=b.name.en,
                amount_cents=b.amount_cents,
            )
            for b in process.sub_budgets
        )
        self.session.add_all(
            PhaseRow(
                process_id=process_id, phase=w.phase.value, starts_on=w.starts_on, ends_on=w.ends_on
            )
            for w in process.phases
        )
        self.session.flush()

    def get(self, process_id: int) -> Process | None:
        row = self.session.get(ProcessRow, process_id)
        return None if row is None else self._to_value(row)

    def list(self) -> list[Process]:
        rows = self.session.scalars(select(ProcessRow).order_by(ProcessRow.id))
        return [self._to_value(r) for r in rows]

    def _to_value(self, row: ProcessRow) -> Process:
        s = self.session
        codes = s.scalars(
            select(ProcessCommuneRow.commune_code)
            .where(ProcessCommuneRow.process_id == row.id)
            .order_by(ProcessCommuneRow.commune_code)
        )
        budgets = s.scalars(
            select(SubBudgetRow).where(SubBudgetRow.process_id == row.id).order_by(SubBudgetRow.id)
        )
        phases = s.scalars(
            select(PhaseRow).where(PhaseRow.process_id == row.id).order_by(PhaseRow.starts_on)
        )
        return Process(
            id=row.id,
            name=LocalText(fr=row.name_fr, nl=row.name_nl, en=row.name_en),
            kind=ProcessKind(row.kind),
            commune_codes=tuple(codes),
            year=row.year,
            envelope_cents=row.envelope_cents,
            rolling=row.rolling,
            rule=row.rule,
            signature_threshold=row.signature_threshold,
            ballot=_ballot_rules(row),
            sub_budgets=tuple(
                SubBudget(
                    key=b.key,
                    kind=BudgetKind(b.kind),
                    amount_cents=b.amount_cents,
                    name=LocalText(fr=b.name_fr, nl=b.name_nl, en=b.name_en),
                )
                for b in budgets
            ),
            phases=tuple(
                PhaseWindow(phase=Phase(p.phase), starts_on=p.starts_on, ends_on=p.ends_on)
                for p in phases
            ),
        )


def _fill_process_row(row: ProcessRow, p: Process) -> None:
    row.name_fr, row.name_nl, row.name_en = p.name.fr, p.name.nl, p.name.en
    row.kind, row.year, row.envelope_cents = p.kind.value, p.year, p.envelope_cents
    row.rolling, row.rule, row.signature_threshold = p.rolling, p.rule, p.signature_threshold
    b = p.ballot
    row.ballot_kind, row.ballot_min_projects = b.kind, b.min_projects
    row.ballot_max_projects, row.ballot_budget_cents = b.max_projects, b.budget
    row.ballot_min_share = None if b.min_share is None else str(b.min_share)
    row.ballot_total_points, row.ballot_max_points = b.total_points, b.max_points_per_project


def _ballot_rules(row: ProcessRow) -> BallotRules:
    return BallotRules(
        kind=ballot_kind(row.ballot_kind),
        min_projects=row.ballot_min_projects,
        max_projects=row.ballot_max_projects,
        budget=row.ballot_budget_cents,
        min_share=None if row.ballot_min_share is None else Fraction(row.ballot_min_share),
        total_points=row.ballot_total_points,
        max_points_per_project=row.ballot_max_points,
    )


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, project: Project) -> int:
        row = ProjectRow(process_id=project.process_id)
        _fill_project_row(row, project)
        self.session.add(row)
        self.session.flush()
        return row.id

    def update(self, project: Project) -> None:
        row = self.session.get(ProjectRow, project.id)
        if row is None or row.process_id != project.process_id:
            raise LookupError(project.id)
        _fill_project_row(row, project)
        self.session.flush()

    def get(self, project_id: int) -> Project | None:
        row = self.session.get(ProjectRow, project_id)
        return None if row is None else _project_value(row)

    def list_for_process(self, process_id: int) -> list[Project]:
        rows = self.session.scalars(
            select(ProjectRow).where(ProjectRow.process_id == process_id).order_by(ProjectRow.ref)
        )
        return [_project_value(r) for r in rows]

    def refs(self, process_id: int) -> set[str]:
        return set(
            self.session.scalars(select(ProjectRow.ref).where(ProjectRow.process_id == process_id))
        )


def _fill_project_row(row: ProjectRow, p: Project) -> None:
    row.ref, row.cost_cents, row.lat, row.lon = p.ref, p.cost_cents, p.lat, p.lon
    row.title_fr, row.title_nl, row.title_en = p.title.fr, p.title.nl, p.title.en
    row.description_fr, row.description_nl = p.description.fr, p.description.nl
    row.description_en = p.description.en
    row.district, row.theme, row.initiative = p.district, p.theme, p.initiative
    row.status = p.status.value


def _project_value(r: ProjectRow) -> Project:
    return Project(
        id=r.id,
        process_id=r.process_id,
        ref=r.ref,
        cost_cents=r.cost_cents,
        lat=r.lat,
        lon=r.lon,
        title=LocalText(fr=r.title_fr, nl=r.title_nl, en=r.title_en),
        description=LocalText(fr=r.description_fr, nl=r.description_nl, en=r.description_en),
        district=r.district,
        theme=r.theme,
        initiative=r.initiative,
        status=ProjectStatus(r.status),
    )


class SiteRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, site: Site) -> int:
        row = SiteRow(
            process_id=site.process_id,
            project_id=site.project_id,
            name=site.name,
            address=site.address,
            lat=site.lat,
            lon=site.lon,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def list_for_process(self, process_id: int) -> list[Site]:
        rows = self.session.scalars(
            select(SiteRow).where(SiteRow.process_id == process_id).order_by(SiteRow.id)
        )
        return [
            Site(
                id=r.id,
                process_id=r.process_id,
                project_id=r.project_id,
                name=r.name,
                address=r.address,
                lat=r.lat,
                lon=r.lon,
            )
            for r in rows
        ]

    def get(self, site_id: int) -> Site | None:
        row = self.session.get(SiteRow, site_id)
        if row is None:
            return None
        return Site(id=row.id, process_id=row.process_id, project_id=row.project_id,
                    name=row.name, address=row.address, lat=row.lat, lon=row.lon)  # fmt: skip


def _staff_user(row: StaffUserRow, commune_codes: Iterable[str]) -> StaffUser:
    return StaffUser(
        username=row.username,
        name=row.name,
        role=Role(row.role),
        commune_codes=tuple(sorted(commune_codes)),
    )


class StaffRepository:
    """Staff accounts. Password hashes and lockout state never leave this repository except
    through `credentials`, which feeds the login widget."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: StaffUser, password_hash: str) -> None:
        self.session.add(
            StaffUserRow(
                username=user.username,
                name=user.name,
                role=user.role.value,
                password_hash=password_hash,
            )
        )
        self.session.flush()
        self.session.add_all(
            StaffUserCommuneRow(username=user.username, commune_code=c) for c in user.commune_codes
        )

    def set_password(self, username: str, password_hash: str) -> None:
        self.session.execute(
            update(StaffUserRow)
            .where(StaffUserRow.username == username)
            .values(password_hash=password_hash, failed_logins=0, locked_until=None)
        )

    def get(self, username: str) -> StaffUser | None:
        row = self.session.get(StaffUserRow, username)
        if row is None:
            return None
        codes = self.session.scalars(
            select(StaffUserCommuneRow.commune_code).where(StaffUserCommuneRow.username == username)
        )
        return _staff_user(row, codes)

    def credentials(self) -> list[tuple[StaffUser, str, int, dt.datetime | None]]:
        """(user, password hash, failed logins, locked until) for every account."""
        rows = list(self.session.scalars(select(StaffUserRow).order_by(StaffUserRow.username)))
        communes: dict[str, list[str]] = {}
        for username, code in self.session.execute(
            select(StaffUserCommuneRow.username, StaffUserCommuneRow.commune_code)
        ):
            communes.setdefault(username, []).append(code)
        return [
            (
                _staff_user(r, communes.get(r.username, ())),
                r.password_hash,
                r.failed_logins,
                r.locked_until,
            )
            for r in rows
        ]

    def record_failure(self, username: str, limit: int, lock_until: dt.datetime) -> int:
        """Count one failed login; at `limit` failures the account locks until `lock_until`."""
        row = self.session.get(StaffUserRow, username)
        if row is None:
            return 0
        row.failed_logins += 1
        if row.failed_logins >= limit:
            row.locked_until = lock_until
        self.session.flush()
        return row.failed_logins

    def reset_failures(self, username: str) -> None:
        self.session.execute(
            update(StaffUserRow)
            .where(StaffUserRow.username == username)
            .values(failed_logins=0, locked_until=None)
        )

    def count(self) -> int:
        return len(list(self.session.scalars(select(StaffUserRow.username))))


class DrawRepository:
    """Draws by lot. The seed is written once: `record_draw` only updates a draw without one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, draw: PanelDraw) -> int:
        row = DrawRow(
            process_id=draw.process_id,
            title=draw.title,
            method=draw.method,
            size=draw.size,
            alternates_count=draw.alternates_count,
            pool_csv=draw.pool_csv,
            quotas_csv=draw.quotas_csv,
            lottery=draw.lottery,
            lottery_sha256=draw.lottery_sha256,
            pool_sha256=draw.pool_sha256,
            quotas_sha256=draw.quotas_sha256,
            vilco_version=draw.vilco_version,
            published_at=draw.published_at,
            published_by=draw.published_by,
            panel="[]",
            alternates="[]",
            witnesses="[]",
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def get(self, draw_id: int) -> PanelDraw | None:
        row = self.session.get(DrawRow, draw_id)
        return None if row is None else _draw_value(row)

    def list(self, process_id: int | None = None) -> list[PanelDraw]:
        query = select(DrawRow).order_by(DrawRow.published_at.desc(), DrawRow.id.desc())
        if process_id is not None:
            query = query.where(DrawRow.process_id == process_id)
        return [_draw_value(r) for r in self.session.scalars(query)]

    def record_draw(self, draw: PanelDraw) -> bool:
        """Store the seed and its panel; False when the draw already had a seed (or is gone)."""
        result = self.session.execute(
            update(DrawRow)
            .where(DrawRow.id == draw.id, DrawRow.seed.is_(None))
            .values(
                seed=draw.seed,
                panel=json.dumps(list(draw.panel)),
                alternates=json.dumps(list(draw.alternates)),
                witnesses=json.dumps(list(draw.witnesses), ensure_ascii=False),
                drawn_at=draw.drawn_at,
                drawn_by=draw.drawn_by,
            )
        )
        return bool(getattr(result, "rowcount", 0) == 1)


def _draw_value(r: DrawRow) -> PanelDraw:
    return PanelDraw(
        id=r.id,
        process_id=r.process_id,
        title=r.title,
        method=r.method,
        size=r.size,
        alternates_count=r.alternates_count,
        pool_csv=r.pool_csv,
        quotas_csv=r.quotas_csv,
        lottery=bytes(r.lottery),
        lottery_sha256=r.lottery_sha256,
        pool_sha256=r.pool_sha256,
        quotas_sha256=r.quotas_sha256,
        vilco_version=r.vilco_version,
        published_at=_utc(r.published_at),
        published_by=r.published_by,
        seed=r.seed,
        panel=tuple(json.loads(r.panel)),
        alternates=tuple(json.loads(r.alternates)),
        witnesses=tuple(json.loads(r.witnesses)),
        drawn_at=None if r.drawn_at is None else _utc(r.drawn_at),
        drawn_by=r.drawn_by,
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class SqlUnitOfWork:
    """`with uow: ...; uow.commit()` — one transaction over every repository."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Self:
        self.session = Session(self.engine, expire_on_commit=False)
        self.communes = CommuneRepository(self.session)
        self.processes = ProcessRepository(self.session)
        self.projects = ProjectRepository(self.session)
        self.sites = SiteRepository(self.session)
        self.staff = StaffRepository(self.session)
        self.codes = onsite.CodeRepository(self.session)
        self.signatures = onsite.SignatureRepository(self.session)
        self.paper_entries = onsite.PaperEntryRepository(self.session)
        self.panels = PanelRepository(self.session)
        self.draws = DrawRepository(self.session)
        self.ballots = BallotRepository(self.session)
        self.audit = AuditRepository(self.session)
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
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def _satisfies_protocol(engine: Engine) -> UnitOfWork:
    """Never called: mypy checks here that `SqlUnitOfWork` is a `UnitOfWork`."""
    return SqlUnitOfWork(engine)
