"""A small world for the use-case unit tests: staff of Saint-Gilles and Schaerbeek, and a
Saint-Gilles budget whose vote is open on TODAY, with three projects and one poster site; and
(`resources_uow`) shared resources with their agents."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

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
from vilco_core.resources import WEEKDAYS_9_TO_22, Resource, ResourceKind
from vilco_core.services import processes, resources

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


AGENT = StaffUser(username="agent", name="A", role=Role.AGENT, commune_codes=("21013",))
AGENT_SCHAERBEEK = StaffUser(
    username="agent2", name="A2", role=Role.AGENT, commune_codes=("21015",)
)
LIBRARY = Resource(
    id=None,
    kind=ResourceKind.SPACE,
    commune_code="21013",
    name=LocalText(fr="Bibliothèque", nl="Bibliotheek"),
    instant=True,
    availability=replace(WEEKDAYS_9_TO_22, buffer_minutes=30),
    address="Rue de Rome 28, 1060 Saint-Gilles",
    lat=50.8296,
    lon=4.3497,
    capacity=40,
    access_instructions=LocalText(fr="Code 4821", nl="Code 4821"),
)
HALL = replace(LIBRARY, name=LocalText(fr="Préau", nl="Zaal"), instant=False)
TABLES = Resource(
    id=None,
    kind=ResourceKind.ITEM,
    commune_code="21013",
    name=LocalText(fr="Tables", nl="Tafels"),
    instant=True,
    availability=replace(WEEKDAYS_9_TO_22, max_minutes=3 * 24 * 60),
    quantity=20,
    pickup_place="Rue du Fort 35",
)
SCHAERBEEK_ROOM = replace(LIBRARY, commune_code="21015", lat=50.8647, lon=4.3772, instant=False)


def resources_uow() -> tuple[FakeUnitOfWork, dict[str, int]]:
    """The seeded world plus a library room (instant), a hall (approval), 20 tables (Saint-Gilles)
    and a Schaerbeek room (approval)."""
    fake = seeded_uow()
    ids = {
        key: resources.save_resource(fake, ADMIN, value)
        for key, value in (
            ("library", LIBRARY),
            ("hall", HALL),
            ("tables", TABLES),
            ("schaerbeek", SCHAERBEEK_ROOM),
        )
    }
    return fake, ids
