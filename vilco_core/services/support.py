"""Use cases of support signatures: a resident signs for a project (a project reaching its
call's threshold becomes eligible), the counts per project, the projects collecting support,
and the export for the commune. The values and their checks are `vilco_core.signatures`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vilco_core.errors import VilcoError, expect_found
from vilco_core.locking import vote_opened
from vilco_core.model import (
    Phase,
    Process,
    Project,
    ProjectStatus,
    StaffUser,
    StoredSignature,
    stored_id,
)
from vilco_core.services import access
from vilco_core.services.processes import phase_open
from vilco_core.signatures import Signature, SupportCount, checked_signature, normalise_name
from vilco_core.spreadsheet import csv_text
from vilco_core.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True, kw_only=True)
class SignOutcome:
    counted: bool  # False: this person had already signed; it counts once
    support: SupportCount
    became_eligible: bool


def _project_of(uow: UnitOfWork, project_id: int) -> tuple[Project, Process]:
    project: Project | None = uow.projects.get(project_id)
    process: Process | None = None if project is None else uow.processes.get(project.process_id)
    if project is None or process is None:
        raise VilcoError("errors.project_not_found")
    return project, process


def sign_support(uow: UnitOfWork, signature: Signature, today: dt.date) -> SignOutcome:
    """Record a resident's support; a project reaching its call's threshold becomes eligible."""
    clean = checked_signature(signature)
    with uow:
        project, process = _project_of(uow, clean.project_id)
        if not phase_open(process, Phase.SUPPORT, today):
            raise VilcoError("errors.support_closed")
        counted: bool = uow.signatures.add(
            stored_id(process), clean, normalise_name(clean.name), today
        )
        count = uow.signatures.counts(stored_id(process)).get(stored_id(project), 0)
        support = SupportCount(project_id=clean.project_id, signatures=count,
                               threshold=process.signature_threshold)  # fmt: skip
        opened = vote_opened(
            process, today, uow.processes.locked_hash(stored_id(process)) is not None
        )
        eligible = support.reached and project.status is ProjectStatus.PROPOSED and not opened
        if eligible:
            uow.projects.update(replace(project, status=ProjectStatus.ELIGIBLE))
        uow.commit()
    return SignOutcome(counted=counted, support=support, became_eligible=eligible)


def support_counts(uow: UnitOfWork, process_id: int) -> list[SupportCount]:
    """Every project of the process with its signatures and the call's threshold."""
    with uow:
        process = expect_found(
            uow.processes.get(process_id), "errors.process_not_found", id=process_id
        )
        counts = uow.signatures.counts(process_id)
        projects: Sequence[Project] = uow.projects.list_for_process(process_id)
    return [
        SupportCount(
            project_id=p.id, signatures=counts.get(p.id, 0), threshold=process.signature_threshold
        )
        for p in projects
        if p.id is not None
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportTarget:
    """A project collecting support, with its process and its count so far."""

    process: Process
    project: Project
    support: SupportCount


def support_targets(uow: UnitOfWork, today: dt.date) -> list[SupportTarget]:
    """Every project of every process whose support phase is open today."""
    with uow:
        found = []
        for process in uow.processes.list():
            if not phase_open(process, Phase.SUPPORT, today):
                continue
            counts = uow.signatures.counts(stored_id(process))
            found += [
                SupportTarget(
                    process=process,
                    project=p,
                    support=SupportCount(
                        project_id=stored_id(p),
                        signatures=counts.get(stored_id(p), 0),
                        threshold=process.signature_threshold,
                    ),
                )
                for p in uow.projects.list_for_process(stored_id(process))
                if p.status in (ProjectStatus.PROPOSED, ProjectStatus.ELIGIBLE)
            ]
    return found


def export_signatures(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> bytes:
    """The signatures of a process as CSV for the commune (staff of that process only)."""
    with uow:
        access.managed_process(uow, actor, process_id)
        refs = {p.id: p.ref for p in uow.projects.list_for_process(process_id)}
        rows: list[StoredSignature] = uow.signatures.list_for_process(process_id)
    header = ["project", "name", "postcode", "email", "channel", "site", "signed_on"]
    return csv_text(
        header,
        [
            [
                refs.get(s.project_id, ""),
                s.name,
                s.postcode,
                s.email,
                s.channel,
                s.site_id or "",
                s.signed_on.isoformat(),
            ]
            for s in rows
        ],
    ).encode("utf-8")
