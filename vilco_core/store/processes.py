"""Repositories of communes, processes (with their communes, sub-budgets and phases), projects
and poster sites: rows in, domain values out (`vilco_core.model`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from sqlalchemy import delete, select

from vilco_core.ballots import BallotRules
from vilco_core.model import (
    BudgetKind,
    Commune,
    LocalText,
    Phase,
    PhaseWindow,
    Process,
    ProcessKind,
    Project,
    ProjectStatus,
    Site,
    SubBudget,
)
from vilco_core.signatures import parse_mode
from vilco_core.store.ballots import ballot_kind
from vilco_core.store.rows import Repository, columns_of, inserted_id, value_of
from vilco_core.store.tables import (
    CommuneRow,
    PhaseRow,
    ProcessCommuneRow,
    ProcessRow,
    ProjectRow,
    SiteRow,
    SubBudgetRow,
)


class CommuneRepository(Repository):
    def add_missing(self, communes: tuple[Commune, ...]) -> None:
        known = set(self.session.scalars(select(CommuneRow.code)))
        for c in communes:
            if c.code not in known:
                self.session.add(
                    CommuneRow(
                        code=c.code,
                        name=c.name.as_dict(),
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
                name=LocalText.of(r.name),
                postcodes=tuple(r.postcodes.split()),
                lat=r.lat,
                lon=r.lon,
            )
            for r in rows
        ]


class ProcessRepository(Repository):
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
                name=b.name.as_dict(),
                amount_cents=b.amount_cents,
                min_supporters=b.min_supporters,
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

    def locked_hash(self, process_id: int) -> str | None:
        """The hash of the settings locked when the vote opened, None before (read from the
        database, not the session's copy: another transaction may have just locked it)."""
        query = select(ProcessRow.locked_hash).where(ProcessRow.id == process_id)
        found: str | None = self.session.scalar(query)
        return found

    def record_lock(self, process_id: int, digest: str) -> None:
        row = self.session.get(ProcessRow, process_id)
        if row is None:
            raise LookupError(process_id)
        row.locked_hash = digest
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
            name=LocalText.of(row.name),
            kind=ProcessKind(row.kind),
            commune_codes=tuple(codes),
            year=row.year,
            envelope_cents=row.envelope_cents,
            rolling=row.rolling,
            rule=row.rule,
            signature_threshold=row.signature_threshold,
            signature_mode=parse_mode(row.signature_mode),
            ballot=_ballot_rules(row),
            min_supporters=row.min_supporters,
            leftover_to_city=row.leftover_to_city,
            sub_budgets=tuple(
                SubBudget(
                    key=b.key,
                    kind=BudgetKind(b.kind),
                    amount_cents=b.amount_cents,
                    name=LocalText.of(b.name),
                    min_supporters=b.min_supporters,
                )
                for b in budgets
            ),
            phases=tuple(
                PhaseWindow(phase=Phase(p.phase), starts_on=p.starts_on, ends_on=p.ends_on)
                for p in phases
            ),
        )


def _fill_process_row(row: ProcessRow, p: Process) -> None:
    row.name = p.name.as_dict()
    row.kind, row.year, row.envelope_cents = p.kind.value, p.year, p.envelope_cents
    row.rolling, row.rule, row.signature_threshold = p.rolling, p.rule, p.signature_threshold
    row.signature_mode = p.signature_mode
    row.min_supporters, row.leftover_to_city = p.min_supporters, p.leftover_to_city
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


class ProjectRepository(Repository):
    def add(self, project: Project) -> int:
        row = ProjectRow(process_id=project.process_id)
        _fill_project_row(row, project)
        return inserted_id(self.session, row)

    def add_many(self, projects: Sequence[Project]) -> None:
        """Insert many projects in one batched statement (an import)."""
        rows = []
        for project in projects:
            row = ProjectRow(process_id=project.process_id)
            _fill_project_row(row, project)
            rows.append(row)
        self.session.add_all(rows)
        self.session.flush()

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
    row.title, row.description = p.title.as_dict(), p.description.as_dict()
    row.district, row.theme, row.initiative = p.district, p.theme, p.initiative
    row.status, row.withdrawn_reason = p.status.value, p.withdrawn_reason


def _project_value(r: ProjectRow) -> Project:
    return value_of(
        Project,
        r,
        title=LocalText.of(r.title),
        description=LocalText.of(r.description),
        status=ProjectStatus(r.status),
    )


class SiteRepository(Repository):
    def add(self, site: Site) -> int:
        row = SiteRow(**columns_of(site, skip={"id"}))
        return inserted_id(self.session, row)

    def list_for_process(self, process_id: int) -> list[Site]:
        rows = self.session.scalars(
            select(SiteRow).where(SiteRow.process_id == process_id).order_by(SiteRow.id)
        )
        return [value_of(Site, r) for r in rows]

    def get(self, site_id: int) -> Site | None:
        row = self.session.get(SiteRow, site_id)
        return None if row is None else value_of(Site, row)
