"""Who may do what: the one place that decides whether a staff member may act on a process.

Every use case that needs a role or a process's staff asks here (`require`, `managed_process`,
`saved_process`, `entered_site`, `managed_resource`, `saved_resource`), and so do the pages,
through the same predicates (`may_manage`, `may_change_communes`, `may_enter`, `may_publish`,
`may_manage_resource`). A refusal is always
`errors.forbidden`.
"""

from __future__ import annotations

from typing import Final

from vilco_core.errors import VilcoError, expect_found
from vilco_core.model import Process, Role, Site, StaffUser
from vilco_core.resources import Resource
from vilco_core.unit_of_work import UnitOfWork

MANAGERS: Final = (Role.ADMIN, Role.FACILITATOR)
RESOURCE_MANAGERS: Final = (Role.ADMIN, Role.AGENT)
PUBLISHERS: Final = frozenset(MANAGERS)
CLI_ACTOR: Final = StaffUser(username="cli", name="command line", role=Role.ADMIN)


def require(actor: StaffUser | None, *roles: Role) -> StaffUser:
    """The actor when their role is one of `roles`, else `errors.forbidden`."""
    if actor is None or actor.role not in roles:
        raise VilcoError("errors.forbidden")
    return actor


def may_manage(user: StaffUser, process: Process) -> bool:
    """Admins manage everything; facilitators the processes of their communes."""
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.FACILITATOR:
        return bool(set(user.commune_codes) & set(process.commune_codes))
    return False


def may_change_communes(user: StaffUser, before: Process | None, after: Process) -> bool:
    """Admins change any commune of a process; a facilitator adds or removes only communes they
    manage (a shared process keeps its other communes; a new one holds only theirs)."""
    if user.role is Role.ADMIN:
        return True
    old = set(before.commune_codes) if before is not None else set()
    changed = old ^ set(after.commune_codes)
    return user.role is Role.FACILITATOR and changed <= set(user.commune_codes)


def may_enter(user: StaffUser, process: Process) -> bool:
    """Who may type paper ballots and recounts: admins everywhere; facilitators and poll
    officers in their communes."""
    return user.role is Role.ADMIN or bool(set(user.commune_codes) & set(process.commune_codes))


def may_publish(user: StaffUser | None, process: Process) -> bool:
    """Admins, and facilitators of the process's communes, publish its tally."""
    return user is not None and user.role in PUBLISHERS and may_manage(user, process)


def managed_process(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> Process:
    """The process, inside the caller's open `with uow:`, when `actor` may manage it."""
    user = require(actor, *MANAGERS)
    process = expect_found(uow.processes.get(process_id), "errors.process_not_found", id=process_id)
    if not may_manage(user, process):
        raise VilcoError("errors.forbidden")
    return process


def saved_process(uow: UnitOfWork, actor: StaffUser | None, process: Process) -> StaffUser:
    """The actor, inside the caller's open `with uow:`, when they may save `process` (new or
    stored): they manage it as stored and as saved, and changed only communes they manage."""
    user = require(actor, *MANAGERS)
    before = None if process.id is None else managed_process(uow, user, process.id)
    if not may_manage(user, process) or not may_change_communes(user, before, process):
        raise VilcoError("errors.forbidden")
    return user


def entered_site(uow: UnitOfWork, actor: StaffUser | None, site: Site | None) -> Site:
    """The site, when `actor` may enter paper ballots for its process (`vote.bad_link` when
    there is no such site); the role is checked first."""
    user = require(actor, Role.ADMIN, Role.FACILITATOR, Role.POLL_OFFICER)
    if site is None:
        raise VilcoError("vote.bad_link")
    process = uow.processes.get(site.process_id)
    assert process is not None  # a row's process exists (foreign key)
    if not may_enter(user, process):
        raise VilcoError("errors.forbidden")
    return site


def may_manage_resource(user: StaffUser | None, resource: Resource) -> bool:
    """Admins manage every shared resource; agents those of their communes."""
    if user is None:
        return False
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.AGENT and resource.commune_code in user.commune_codes


def managed_resource(uow: UnitOfWork, actor: StaffUser | None, resource_id: int) -> Resource:
    """The resource (with its access instructions), inside the caller's open `with uow:`, when
    `actor` may manage it."""
    user = require(actor, *RESOURCE_MANAGERS)
    resource = expect_found(uow.resources.get(resource_id), "resources.not_found", id=resource_id)
    if not may_manage_resource(user, resource):
        raise VilcoError("errors.forbidden")
    return resource


def saved_resource(uow: UnitOfWork, actor: StaffUser | None, resource: Resource) -> Resource | None:
    """The stored resource (None for a new one), inside the caller's open `with uow:`, when
    `actor` may manage it as stored and as saved (an agent cannot move it to another commune)."""
    user = require(actor, *RESOURCE_MANAGERS)
    before = None if resource.id is None else managed_resource(uow, user, resource.id)
    if not may_manage_resource(user, resource):
        raise VilcoError("errors.forbidden")
    return before
