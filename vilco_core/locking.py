"""What decides a result, locked once the vote opens (pure: no unit of work here).

A process's vote *opens* on the first day of its vote phase, or earlier when a first ballot is
stored (an import, a test run): whichever comes first. From then on the announced rule (and the
parameters it runs with), the envelope, the sub-budgets, the ballot settings, the vote's start
and the *locked list* (the projects on the ballot, with their refs and costs) no longer change;
`process_lock_problems` and `project_lock_problems` say what an edit would change. A project
leaves the ballot during the vote only by an explicit withdrawal with a reason: it keeps its
place on the locked list with the status `withdrawn`, and no rule may select it (it is no longer
among `results.ballot_projects`; its votes are dropped like any entry naming a project off the
ballot, and the results page names it with its reason).

The *locked settings* (`locked_settings`) are written once into the audit log (`settings.locked`,
with their SHA-256 `hash`) by the first write after the vote opened; every published tally
carries the hash of the settings it counted under, and `lock_problems` compares the log with
the stored rows: a rule, envelope or list edited in the database shows.

`changes` lists a staff edit's changed fields, before and after, as JSON for the audit log.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from fractions import Fraction
from typing import Any, Final

from vilco_core.audit import canonical_json
from vilco_core.errors import VilcoError
from vilco_core.model import (
    DEFAULT_MIN_SUPPORTERS,
    LocalText,
    Phase,
    Process,
    Project,
    ProjectStatus,
    SubBudget,
)
from vilco_core.rules import RULES

LOCKED: Final = "settings.locked"  # the audit entry holding a process's locked settings
ON_LIST: Final = frozenset(
    {ProjectStatus.ELIGIBLE, ProjectStatus.SELECTED, ProjectStatus.COMPLETED}
)  # on the ballot (`results.ON_BALLOT`); with WITHDRAWN: on the locked list
LISTED: Final = ON_LIST | {ProjectStatus.WITHDRAWN}
WITHDRAWAL_REASON: Final = (5, 500)  # characters a withdrawal's reason needs, at least and most


def vote_start(process: Process) -> dt.date | None:
    """The first day of the vote (the earliest vote window), None without one."""
    return min((w.starts_on for w in process.phases if w.phase is Phase.VOTE), default=None)


def vote_opened(process: Process, today: dt.date, has_ballots: bool) -> bool:
    """Whether the vote has opened: its first day has come, or a ballot is stored."""
    start = vote_start(process)
    return has_ballots or (start is not None and start <= today)


def jsonable(value: object) -> Any:
    """A value as JSON data: dataclasses as objects, texts as `{language: text}`, enums by
    value, Fractions and dates as text, tuples as lists."""
    if isinstance(value, LocalText):
        return value.as_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, Fraction | dt.date):
        return str(value)
    return value


def changes(before: object | None, after: object) -> dict[str, dict[str, Any]]:
    """The fields of a dataclass value that differ, `{field: {"before", "after"}}` (every
    field, before None, for a new value); the id is not a change."""
    assert is_dataclass(after) and not isinstance(after, type)
    found = {}
    for f in fields(after):
        old = None if before is None else jsonable(getattr(before, f.name))
        new = jsonable(getattr(after, f.name))
        if f.name != "id" and old != new:
            found[f.name] = {"before": old, "after": new}
    return found


# -- the locked settings -----------------------------------------------------------------------


def locked_list(projects: Iterable[Project]) -> list[dict[str, Any]]:
    """The locked list as stored now: ref and cost of each project on it, by ref."""
    listed = sorted((p for p in projects if p.status in LISTED), key=lambda p: p.ref)
    return [{"ref": p.ref, "cost_cents": p.cost_cents} for p in listed]


def locked_settings(process: Process, projects: Iterable[Project]) -> dict[str, Any]:
    """What decides the result of `process`, as JSON, with its `hash` (SHA-256 of the rest)."""
    rule = RULES.get(process.rule)
    settings = {
        "process_id": process.id,
        "rule": process.rule,
        "parameters": dict(rule.announced) if rule else {},
        "envelope_cents": process.envelope_cents,
        "sub_budgets": [_locked_budget(b) for b in process.sub_budgets],
        "ballot": jsonable(process.ballot),
        "vote_starts_on": str(vote_start(process)),
        "projects": locked_list(projects),
    }
    # the envelope settings (migration 0015) only when not the default: the settings locked
    # before them keep their hash
    if process.min_supporters != DEFAULT_MIN_SUPPORTERS:
        settings["min_supporters"] = process.min_supporters
    if process.leftover_to_city:
        settings["leftover_to_city"] = True
    return {**settings, "hash": settings_hash(settings)}


def _locked_budget(b: SubBudget) -> dict[str, Any]:
    """A sub-budget's locked settings; its own threshold only when set (older hashes hold)."""
    found: dict[str, Any] = {"key": b.key, "kind": b.kind.value, "amount_cents": b.amount_cents}
    if b.min_supporters is not None:
        found["min_supporters"] = b.min_supporters
    return found


def settings_hash(settings: Mapping[str, Any]) -> str:
    rest = {k: v for k, v in settings.items() if k != "hash"}
    return hashlib.sha256(canonical_json(rest).encode("utf-8")).hexdigest()


SETTINGS: Final = ("rule", "parameters", "envelope_cents", "sub_budgets", "ballot",
                   "vote_starts_on", "projects", "min_supporters", "leftover_to_city")  # fmt: skip
# the message of a setting that may no longer change, when not `lock.<setting>`
LOCK_MESSAGES: Final = {
    "min_supporters": "minsup.locked",
    "leftover_to_city": "envelope.locked_flow",
}


def differing(locked: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """The settings whose values differ, in `SETTINGS` order; a rule's parameters only when the
    rule itself is the same (another rule runs with its own)."""
    found = [k for k in SETTINGS if locked.get(k) != now.get(k)]
    return [k for k in found if k != "parameters" or "rule" not in found]


# -- what an edit may change -------------------------------------------------------------------


def process_lock_problems(before: Process, after: Process) -> list[VilcoError]:
    """One `lock.*` error per locked setting the edit changes (none when it changes none)."""
    old, new = locked_settings(before, ()), locked_settings(after, ())
    return [VilcoError(LOCK_MESSAGES.get(key, f"lock.{key}"))
            for key in differing(old, new) if key != "projects"]  # fmt: skip


def project_lock_problems(before: Project | None, after: Project) -> list[VilcoError]:
    """Why an edit of a project would change the locked list: added to the ballot, taken off
    it other than by a withdrawal, its ref or cost changed, or a withdrawal undone."""
    was = before is not None and before.status in LISTED
    if before is not None and before.status is ProjectStatus.WITHDRAWN:
        return [] if after == before else [VilcoError("lock.project_withdrawn")]
    if after.status is ProjectStatus.WITHDRAWN:
        return [VilcoError("lock.withdraw_by_action")]
    if not was:
        return [VilcoError("lock.project_added")] if after.status in ON_LIST else []
    if after.status not in ON_LIST:
        return [VilcoError("lock.withdraw_by_action")]
    assert before is not None
    if (before.ref, before.cost_cents) != (after.ref, after.cost_cents):
        return [VilcoError("lock.project_cost")]
    return []


def withdrawal_problems(project: Project, reason: str) -> list[VilcoError]:
    """Why `project` cannot be withdrawn with `reason`: not on the ballot, or a reason too
    short or too long."""
    low, high = WITHDRAWAL_REASON
    if project.status not in ON_LIST:
        return [VilcoError("lock.not_on_ballot")]
    if not low <= len(reason.strip()) <= high:
        return [VilcoError("lock.reason_needed", minimum=low, maximum=high)]
    return []


# -- checks of the audit log -------------------------------------------------------------------


def lock_problems(
    locks: Mapping[int, Mapping[str, Any]],
    tallies: Sequence[tuple[int, Mapping[str, Any]]],
    current: Mapping[int, Mapping[str, Any]],
    voted: Iterable[int],
) -> list[str]:
    """`locks`: each process's logged settings; `tallies`: (seq, payload) of each published
    tally; `current`: each process's settings as stored now; `voted`: processes with ballots.

    A locked setting stored otherwise now, a tally counted under other settings (or a rule,
    envelope or list other than the locked ones), ballots without locked settings."""
    problems = []
    for process_id, locked in sorted(locks.items()):
        if settings_hash(locked) != locked["hash"]:
            problems.append(f"process {process_id}: locked settings do not match their hash")
        now = current.get(process_id)
        for key in differing(locked, now) if now is not None else ["process"]:
            problems.append(f"process {process_id}: {key} differs from the locked settings")
    for seq, tally in tallies:
        found = locks.get(int(tally["process_id"]))
        if found is None:
            if tally.get("ballots"):
                problems.append(f"tally {seq}: counted without locked settings")
            continue
        locked = found
        used = {k: tally.get(k) for k in ("rule", "envelope_cents", "projects", "settings_hash")}
        wanted = {**{k: locked[k] for k in used if k != "settings_hash"},
                  "settings_hash": locked["hash"]}  # fmt: skip
        for key in (k for k in used if used[k] != wanted[k]):
            problems.append(f"tally {seq}: {key} differs from the locked settings")
    for process_id in sorted(set(voted) - set(locks)):
        problems.append(f"process {process_id}: ballots without locked settings")
    return problems


def parse_lock(payload: str) -> dict[str, Any]:
    """A `settings.locked` entry's settings."""
    found: dict[str, Any] = json.loads(payload)
    return found
