"""The audit log's checks, pure: what `services.audit.verify_audit` runs on the entries, the raw
ballots and the stored settings it has read. Ballots table against ballot entries, mixing
batches, published tallies and panel results recounted (and rerun), locked settings against the
stored ones, spent codes against resident ballots."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from vilco_core.audit import (
    BALLOT,
    MIXED,
    PANEL_BALLOT,
    PANEL_RESULT,
    TALLY,
    AuditEntry,
    parse_ballot,
)
from vilco_core.ballots import Ballot, supported, vote_type_of
from vilco_core.locking import LOCKED, lock_problems, parse_lock
from vilco_core.model import StoredBallot, parse_channel
from vilco_core.results import profile_of, run_rule
from vilco_core.rules import Instance
from vilco_core.rules import Project as RuleProject
from vilco_core.tally import tally_ballots

RECEIPT_LENGTH: Final = 10
RESIDENT_CHANNELS: Final = frozenset({"phone", "paper"})  # the ballots that spend a code


def settings_problems(
    entries: Sequence[AuditEntry], current: Mapping[int, Mapping[str, Any]], voted: set[int]
) -> list[str]:
    """The logged locked settings (the first of each process) against the stored ones, every
    tally published with its settings, and the processes with ballots (`lock_problems`)."""
    locks: dict[int, dict[str, Any]] = {}
    tallies: list[tuple[int, dict[str, Any]]] = []
    for e in entries:
        if e.kind == LOCKED:
            settings = parse_lock(e.payload)
            locks.setdefault(int(settings["process_id"]), settings)
        elif e.kind == TALLY and "settings_hash" in (published := json.loads(e.payload)):
            tallies.append((e.seq, published))  # tallies from before locking carry none
    return lock_problems(locks, tallies, current, voted)


def resident_ballots(stored: Sequence[StoredBallot]) -> int:
    """Of one process's stored ballots (mixed or pending), those that spent a one-time code
    (phone and paper)."""
    return sum(b.channel in RESIDENT_CHANNELS for b in stored)


def code_problems(spent: Mapping[int, int], ballots: Mapping[int, int]) -> list[str]:
    """A process whose spent codes and resident ballots differ (a code flipped back to unused,
    a ballot added or deleted)."""
    return [
        f"process {pid}: {spent.get(pid, 0)} spent codes, {ballots.get(pid, 0)} resident ballots"
        for pid in sorted(set(spent) | set(ballots))
        if spent.get(pid, 0) != ballots.get(pid, 0)
    ]


def _stored(payload: Mapping[str, Any]) -> StoredBallot:
    return StoredBallot(
        receipt=payload["receipt"],
        process_id=int(payload["process_id"]),
        ballot=parse_ballot(payload),
        channel=parse_channel(payload["channel"]),
        site_id=payload["site_id"],
        cast_on=dt.date.fromisoformat(payload["cast_on"]),
    )


def reconcile_entries(
    entries: Sequence[AuditEntry],
    raw: Mapping[str, Mapping[str, Any]],
    kind: str,
    label: str,
    shown: int = RECEIPT_LENGTH,
) -> tuple[list[str], dict[str, tuple[int, dict[str, Any]]]]:
    """Stored rows (`raw`, by receipt) against the log's entries of `kind`: the same set with
    the same content. Returns the problems and the entries by receipt: (seq, payload)."""
    problems: list[str] = []
    logged: dict[str, tuple[int, dict[str, Any]]] = {}
    for e in entries:
        if e.kind == kind:
            payload = json.loads(e.payload)
            if payload["receipt"] in logged:
                problems.append(f"{label} {payload['receipt'][:shown]}: entered twice")
            logged[payload["receipt"]] = (e.seq, payload)
    for receipt in sorted(set(raw) | set(logged)):
        short = receipt[:shown]
        if receipt not in logged:
            problems.append(f"{label} {short}: stored without an audit entry")
        elif receipt not in raw:
            problems.append(f"{label} {short}: in the audit log, missing from the ballots")
        elif dict(raw[receipt]) != logged[receipt][1]:
            problems.append(f"{label} {short}: differs from its audit entry")
    return problems, logged


def _published(
    entries: Sequence[AuditEntry],
    kind: str,
    logged: Mapping[str, tuple[int, Mapping[str, Any]]],
    key: str,
) -> Iterator[tuple[AuditEntry, dict[str, Any], list[str]]]:
    """Each published entry of `kind`, its payload, and the receipts of the ballots logged
    before it for the same `key` (a process, a round), in the log's order."""
    for e in entries:
        if e.kind == kind:
            published = json.loads(e.payload)
            yield (
                e,
                published,
                [r for r, (seq, p) in logged.items() if seq < e.seq and p[key] == published[key]],
            )


def tally_problems(
    entries: Sequence[AuditEntry], raw: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Ballots table vs ballot entries (same set, same content), then every published tally
    recounted from the raw ballots entered before it."""
    problems, logged = reconcile_entries(entries, raw, BALLOT, "ballot")
    problems += mix_problems(entries)
    for e, published, receipts in _published(entries, TALLY, logged, "process_id"):
        before = [_stored(raw[r]) for r in receipts if r in raw]
        recount = tally_ballots(before)
        if (
            recount.ballots != published["ballots"]
            or dict(recount.per_project) != published["per_project"]
        ):
            problems.append(f"tally {e.seq} (process {published['process_id']}): recount differs")
    return problems


def mix_problems(entries: Sequence[AuditEntry]) -> list[str]:
    """Each `ballots.mixed` entry is followed by exactly its count of ballot entries of its
    process (the batch sizes the results show)."""
    problems = []
    for i, e in enumerate(entries):
        if e.kind == MIXED:
            mixed = json.loads(e.payload)
            batch = entries[i + 1 : i + 1 + int(mixed["ballots"])]
            if len(batch) != mixed["ballots"] or any(
                b.kind != BALLOT or json.loads(b.payload)["process_id"] != mixed["process_id"]
                for b in batch
            ):
                problems.append(
                    f"mixing batch {e.seq}: not followed by its {mixed['ballots']} ballots"
                )
    return problems


def round_selected(
    rule: str, kind: str, budget_cents: int, costs: Mapping[str, int], ballots: Sequence[Ballot]
) -> tuple[str, ...]:
    """The winners of a round from its published figures alone: only the supported projects
    are eligible; the rule runs with the parameters a process announcing it uses."""
    backed = supported(ballots)
    refs = sorted(r for r in costs if r in backed)
    instance = Instance(
        projects=tuple(RuleProject(project_id=r, cost=costs[r]) for r in refs),
        budget=budget_cents,
        unit=100,
        vote_type=vote_type_of(kind),
    )
    profile, _dropped = profile_of(instance, ballots)
    return run_rule(instance, profile, rule).selected


def count_panel_ballots(ballots: Sequence[Ballot]) -> tuple[int, dict[str, int]]:
    """Ballots and per-project count (points on a cumulative ballot), as `tally_ballots`."""
    stored = [
        StoredBallot(
            receipt="", process_id=0, ballot=b, channel="panel", site_id=None, cast_on=dt.date.min
        )
        for b in ballots
    ]
    tally = tally_ballots(stored)
    return tally.ballots, dict(tally.per_project)


def panel_problems(
    entries: Sequence[AuditEntry], raw: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Sealed panel ballots vs their entries (same set, same content), then every published
    round result recounted and rerun from the sealed ballots entered before it."""
    problems, logged = reconcile_entries(entries, raw, PANEL_BALLOT, "panel ballot", shown=12)
    for e, published, receipts in _published(entries, PANEL_RESULT, logged, "round_id"):
        ballots = [parse_ballot(raw[r]) for r in sorted(receipts) if r in raw]
        recount = count_panel_ballots(ballots)
        rerun = round_selected(
            published["rule"],
            published["kind"],
            published["budget_cents"],
            published["costs"],
            ballots,
        )
        if recount != (published["ballots"], published["per_project"]) or list(rerun) != list(
            published["selected"]
        ):
            problems.append(
                f"panel result {e.seq} (round {published['round_id']}): recount differs"
            )
    return problems
