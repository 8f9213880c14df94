"""Use cases of processes, their projects and their sites: list, read, save, import.

Each function takes a unit of work first; staff actions take the acting `StaffUser` and are
checked by `services.access`. Once a process's vote has opened (`locking.vote_opened`: its
first day has come, or a ballot is stored), what decides its result is locked: an edit that
would change it is refused whole (`lock.*`), and a project leaves the ballot only through
`withdraw_project`, with a reason. Every save logs the changed fields, before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from vilco_core.envelopes import envelope_labels
from vilco_core.errors import ValidationErrors, VilcoError, expect_found
from vilco_core.locking import (
    changes,
    process_lock_problems,
    project_lock_problems,
    vote_opened,
    withdrawal_problems,
)
from vilco_core.model import (
    Phase,
    Process,
    Project,
    ProjectStatus,
    Role,
    Site,
    StaffUser,
    stored_id,
)
from vilco_core.project_csv import parse_projects_csv
from vilco_core.results import ballot_projects
from vilco_core.services import access
from vilco_core.services.audit import ensure_locked, log_action
from vilco_core.unit_of_work import UnitOfWork
from vilco_core.validation import validate_process, validate_project
from vilco_core.worker import Runner, inline

# -- processes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessSummary:
    process: Process
    phase: Phase | None
    project_count: int


def envelope_links(process: Process, language: str) -> list[tuple[str, str]]:
    """(key, name in `language`) of each envelope the process's results show (none when the
    process has no sub-budgets and is not a rolling call)."""
    return [(key, label.get(language)) for key, label in envelope_labels(process)]


def list_processes(uow: UnitOfWork) -> list[Process]:
    with uow:
        return list(uow.processes.list())


def list_managed_processes(uow: UnitOfWork, actor: StaffUser | None) -> list[Process]:
    """The processes `actor` may manage (`access.may_manage`), none for nobody."""
    if actor is None:
        return []
    return [p for p in list_processes(uow) if access.may_manage(actor, p)]


def list_entered_processes(uow: UnitOfWork, actor: StaffUser | None) -> list[Process]:
    """The processes `actor` may enter paper ballots for (`access.may_enter`)."""
    if actor is None:
        return []
    return [p for p in list_processes(uow) if access.may_enter(actor, p)]


def summarise_processes(uow: UnitOfWork, today: dt.date) -> list[ProcessSummary]:
    """Every process with the phase running on `today`, running ones first."""
    with uow:
        summaries = [
            ProcessSummary(
                process=p,
                phase=p.phase_on(today),
                project_count=len(uow.projects.list_for_process(stored_id(p))),
            )
            for p in uow.processes.list()
        ]
    return sorted(summaries, key=lambda s: (s.phase is None, s.process.id))


def get_process(uow: UnitOfWork, process_id: int) -> Process:
    with uow:
        found = uow.processes.get(process_id)
        return expect_found(found, "errors.process_not_found", id=process_id)


def phase_open(process: Process, phase: Phase, today: dt.date) -> bool:
    return any(w.phase is phase and w.starts_on <= today <= w.ends_on for w in process.phases)


def locked(uow: UnitOfWork, process: Process, today: dt.date) -> bool:
    """Inside the caller's open `with uow:`: whether the vote of `process` (as stored) has
    opened, its settings recorded in the log when it has (`audit.ensure_locked`)."""
    uow.audit.lock()  # a first ballot committing meanwhile is seen below (PostgreSQL)
    if not vote_opened(process, today, _has_ballots(uow, stored_id(process))):
        return False
    ensure_locked(uow, process)
    return True


def _has_ballots(uow: UnitOfWork, process_id: int) -> bool:
    """Locked already, or holding a ballot (inside the caller's open `with uow:`)."""
    return uow.processes.locked_hash(process_id) is not None or bool(uow.ballots.count(process_id))


def is_locked(uow: UnitOfWork, process_id: int, today: dt.date) -> bool:
    """Whether what decides the result of the process is locked (its vote has opened)."""
    with uow:
        process = expect_found(
            uow.processes.get(process_id), "errors.process_not_found", id=process_id
        )
        return vote_opened(process, today, _has_ballots(uow, process_id))


def save_process(
    uow: UnitOfWork, actor: StaffUser | None, process: Process, today: dt.date | None = None
) -> int:
    """Create (`id=None`) or update a process; facilitators only within their communes, adding
    or removing only communes they manage; once the vote opened (on `today`, by default the
    current date), without changing its locked settings (`lock.*`)."""
    access.require(actor, Role.ADMIN, Role.FACILITATOR)
    problems = validate_process(process)
    if problems:
        raise ValidationErrors(problems)
    with uow:
        user = access.saved_process(uow, actor, process)
        before = None if process.id is None else uow.processes.get(process.id)
        is_open = before is not None and locked(uow, before, today or dt.date.today())
        if before is not None and is_open and (refused := process_lock_problems(before, process)):
            raise ValidationErrors(refused)
        if _opens_an_empty_ballot(uow, before, process, today or dt.date.today()):
            raise VilcoError("errors.vote_without_projects")
        if process.id is None:
            new_id: int = uow.processes.add(process)
        else:
            uow.processes.update(process)
            new_id = process.id
        log_action(uow, user, "process_saved", process_id=new_id, changes=changes(before, process))
        uow.commit()
    return new_id


def _opens_an_empty_ballot(uow: UnitOfWork, before: Process | None, after: Process,
                           today: dt.date) -> bool:  # fmt: skip
    """True when this save opens the vote today on a ballot with no project (imported projects
    still "proposed", say): residents would find an empty ballot."""
    if not phase_open(after, Phase.VOTE, today):
        return False
    if before is not None and phase_open(before, Phase.VOTE, today):
        return False  # already open: the save changes something else
    return after.id is None or not ballot_projects(uow.projects.list_for_process(after.id))


# -- projects ----------------------------------------------------------------------------------


def list_projects(uow: UnitOfWork, process_id: int) -> list[Project]:
    with uow:
        return list(uow.projects.list_for_process(process_id))


def _project_problems(is_open: bool, before: Project | None, after: Project) -> list[VilcoError]:
    """Why saving `after` over `before` is refused by the lock (`is_open`: the vote opened); a
    project is withdrawn only by `withdraw_project`, whether the vote opened or not."""
    if is_open:
        return project_lock_problems(before, after)
    withdrawn = after.status is ProjectStatus.WITHDRAWN
    return [VilcoError("lock.withdraw_by_action")] if withdrawn and after != before else []


def save_project(
    uow: UnitOfWork, actor: StaffUser | None, project: Project, today: dt.date | None = None
) -> int:
    """Create (`id=None`) or update a project of a process the actor manages; once the vote
    opened, without changing the locked list (`lock.*`)."""
    user = access.require(actor, Role.ADMIN, Role.FACILITATOR)
    problems = validate_project(project)
    if problems:
        raise ValidationErrors(problems)
    with uow:
        process = access.managed_process(uow, user, project.process_id)
        others = {
            p.ref for p in uow.projects.list_for_process(project.process_id) if p.id != project.id
        }
        if project.ref in others:
            raise ValidationErrors([VilcoError("errors.duplicate_ref", ref=project.ref)])
        before = None if project.id is None else uow.projects.get(project.id)
        if project.id is not None and (before is None or before.process_id != project.process_id):
            raise VilcoError("errors.project_not_found")
        is_open = locked(uow, process, today or dt.date.today())
        if refused := _project_problems(is_open, before, project):
            raise ValidationErrors(refused)
        if project.id is None:
            project_id: int = uow.projects.add(project)
        else:
            uow.projects.update(project)
            project_id = project.id
        log_action(uow, user, "project_saved", process_id=project.process_id,
                   project_id=project_id, changes=changes(before, project))  # fmt: skip
        uow.commit()
    return project_id


def withdraw_project(uow: UnitOfWork, actor: StaffUser | None, project_id: int, reason: str,
                     today: dt.date | None = None) -> Project:  # fmt: skip
    """Take a project off the ballot once the vote has opened, for a stated reason: it stays
    on the locked list as `withdrawn`, no rule selects it, and the log keeps the reason, before
    and after. Before the vote opens, a project leaves the ballot by a change of its status."""
    user = access.require(actor, Role.ADMIN, Role.FACILITATOR)
    with uow:
        before = expect_found(uow.projects.get(project_id), "errors.project_not_found")
        process = access.managed_process(uow, user, before.process_id)
        if not locked(uow, process, today or dt.date.today()):
            raise VilcoError("lock.withdraw_before_vote")
        if problems := withdrawal_problems(before, reason):
            raise ValidationErrors(problems)
        after = replace(before, status=ProjectStatus.WITHDRAWN, withdrawn_reason=reason.strip())
        uow.projects.update(after)
        log_action(uow, user, "project_withdrawn", process_id=before.process_id,
                   project_id=project_id, reason=after.withdrawn_reason,
                   changes=changes(before, after))  # fmt: skip
        uow.commit()
    return after


def import_projects(uow: UnitOfWork, actor: StaffUser | None, process_id: int, data: bytes,
                    today: dt.date | None = None, run: Runner = inline,
                    status: ProjectStatus = ProjectStatus.PROPOSED) -> int:  # fmt: skip
    """Import a CSV of projects: all rows or none. Returns how many were added; once the vote
    opened, none may go on the ballot (`lock.project_added`). Rows without a `status` get
    `status` (the page asks: "proposed" stays off the ballot, "eligible" goes on it).

    The file is read and checked outside any transaction (5,000 rows take a while; through
    `run`, in a worker process from the app, `vilco_core.worker`); the rows
    are then written in one short transaction, one batched insert, so the write lock is held
    for the insert only. A reference taken meanwhile by someone else is caught there (the file
    is checked again inside, rarely) and nothing is written."""
    user = access.require(actor, Role.ADMIN, Role.FACILITATOR)
    with uow:
        access.managed_process(uow, user, process_id)
        existing = uow.projects.refs(process_id)
    projects: list[Project] = run(parse_projects_csv, data, process_id, existing, status)
    with uow:
        process = access.managed_process(uow, user, process_id)
        now_existing = uow.projects.refs(process_id)
        if now_existing != existing:  # changed meanwhile: check again against today's refs
            projects = parse_projects_csv(data, process_id, now_existing, status)
        is_open = locked(uow, process, today or dt.date.today())
        refused = {e.code: e for p in projects for e in _project_problems(is_open, None, p)}
        if refused:
            raise ValidationErrors(list(refused.values()))
        uow.projects.add_many(projects)
        log_action(uow, user, "projects_imported", process_id=process_id, count=len(projects),
                   refs=[p.ref for p in projects])  # fmt: skip
        uow.commit()
    return len(projects)


# -- sites -------------------------------------------------------------------------------------


def list_sites(uow: UnitOfWork, process_id: int) -> list[Site]:
    with uow:
        return list(uow.sites.list_for_process(process_id))


def find_site(uow: UnitOfWork, text: object) -> Site:
    """The site a poster's `site=` names; anything else is `vote.bad_link`."""
    site_id = parse_id(text)
    with uow:
        site: Site | None = uow.sites.get(site_id) if site_id is not None else None
    if site is None:
        raise VilcoError("vote.bad_link")
    return site


def parse_id(text: object) -> int | None:
    """A positive database id from a URL parameter, else None (junk never reaches SQL)."""
    if not isinstance(text, str) or not 1 <= len(text) <= 9 or not text.isascii():
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None
