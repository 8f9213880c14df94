"""A small world for the use-case unit tests: staff of Saint-Gilles and Schaerbeek, and a
Saint-Gilles budget whose vote is open on TODAY, with three projects and one poster site."""

from __future__ import annotations

import datetime as dt

from tests.unit.fakes import FakeUnitOfWork
from vilco_core.model import (
    LocalText,
    Phase,
    PhaseWindow,
    Process,
    ProcessKind,
    Project,
    ProjectStatus,
    Role,
    Site,
    StaffUser,
)
from vilco_core.services import processes

TODAY = dt.date(2027, 3, 10)
NOW = dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC)
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
FACILITATOR = StaffUser(
    username="facilitator", name="F", role=Role.FACILITATOR, commune_codes=("21013",)
)
SCHAERBEEK = StaffUser(
    username="schaerbeek", name="S", role=Role.FACILITATOR, commune_codes=("21015",)
)
OFFICER = StaffUser(username="officer", name="O", role=Role.POLL_OFFICER, commune_codes=("21013",))
PROCESS = Process(
    id=None,
    name=LocalText(fr="Budget", nl="Begroting"),
    kind=ProcessKind.BUDGET,
    commune_codes=("21013",),
    envelope_cents=100_000_00,
    year=2027,
    phases=(
        PhaseWindow(
            phase=Phase.VOTE,
            starts_on=TODAY - dt.timedelta(days=5),
            ends_on=TODAY + dt.timedelta(days=5),
        ),
    ),
)


def project(process_id: int, ref: str) -> Project:
    return Project(
        id=None,
        process_id=process_id,
        ref=ref,
        title=LocalText(fr=f"Projet {ref}", nl=f"Project {ref}"),
        description=LocalText(fr="d", nl="b"),
        cost_cents=10_000_00,
        lat=50.83,
        lon=4.34,
        status=ProjectStatus.ELIGIBLE,
    )


def seeded_uow() -> FakeUnitOfWork:
    """A process of Saint-Gilles with three projects on the ballot and one poster site."""
    fake = FakeUnitOfWork()
    process_id = processes.save_process(fake, ADMIN, PROCESS)
    for ref in ("A", "B", "C"):
        processes.save_project(fake, ADMIN, project(process_id, ref))
    with fake:
        fake.sites.add(Site(id=None, process_id=process_id, project_id=None, name="Parvis",
                            address="Parvis de Saint-Gilles", lat=50.83, lon=4.34))  # fmt: skip
        fake.commit()
    return fake
