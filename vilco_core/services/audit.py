"""Use cases of the audit log: every append (staff actions, ballots, sealed panel ballots,
published tallies) and every check (`verify_audit`, receipts, published heads).

Each append runs inside the caller's transaction, before its commit: an entry exists exactly
when what it records was committed. The chain itself (hashes, payloads, heads) is
`vilco_core.audit`.

A *published tally* is a `tally.published` entry: the ballot count and per-project counts of one
process at that point of the chain (`audit publish`), with the rule, envelope and locked list it
counted under and the hash of the locked settings (`vilco_core.locking`). The first write after
a process's vote opened records its locked settings (`ensure_locked`: a `settings.locked`
entry). `verify_audit` recomputes the chain, then
checks that the ballots table and the ballot entries hold exactly the same ballots (none
missing, none extra, none altered, none twice) and that each published tally equals the count
of the raw ballots entered before it; likewise for the sealed panel ballots and each published
round result (recounted and rerun; projects nobody supported are not eligible, as in
`panel_rounds.tally_round`). It also checks the locked settings against the stored processes
and projects and against every tally published since (`locking.lock_problems`), and that each
process has exactly as many spent one-time codes as resident ballots (`resident_ballots`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from vilco_core.audit import (
    BALLOT,
    GENESIS,
    PANEL_BALLOT,
    PANEL_RESULT,
    TALLY,
    AuditEntry,
    ChainHead,
    ballot_content,
    ballot_payload,
    chain_problems,
    head_problems,
    panel_ballot_payload,
    parse_ballot,
    parse_head,
)
from vilco_core.ballots import Ballot, supported, vote_type_of
from vilco_core.errors import VilcoError
from vilco_core.locking import LOCKED, lock_problems, locked_settings, parse_lock, vote_opened
from vilco_core.model import Channel, Process, StaffUser, StoredBallot, parse_channel, stored_id
from vilco_core.results import profile_of, run_rule
from vilco_core.rules import Instance
from vilco_core.rules import Project as RuleProject
from vilco_core.services import access
from vilco_core.tally import tally_ballots
from vilco_core.unit_of_work import UnitOfWork

RECEIPT_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH: Final = 10
RESIDENT_CHANNELS: Final = frozenset({"phone", "paper"})  # the ballots that spend a code

# -- appends -----------------------------------------------------------------------------------


def log_action(uow: UnitOfWork, actor: StaffUser | None, kind: str, **details: object) -> None:
    """One staff action in the audit log, inside the caller's transaction (before commit)."""
    uow.audit.append(f"staff.{kind}", {"actor": actor.username if actor else None, **details})


def log_ballot(
    uow: UnitOfWork,
    receipt: str,
    process_id: int,
    ballot: Ballot,
    channel: Channel,
    site_id: int | None,
    cast_on: dt.date,
) -> None:
    """A ballot's entry, in the transaction that stores it: stored and audited, or neither."""
    payload = ballot_payload(
        receipt, process_id, ballot.kind, ballot_content(ballot), channel, site_id, cast_on
    )
    uow.audit.append(BALLOT, payload)


def log_panel_ballots(
    uow: UnitOfWork, round_id: int, sealed: Iterable[tuple[str, str, str]]
) -> None:
    """One `panel.ballot` entry per sealed ballot `(receipt, kind, content)`, in that order."""
    for receipt, kind, content in sealed:
        uow.audit.append(PANEL_BALLOT, panel_ballot_payload(receipt, round_id, kind, content))


def log_panel_result(uow: UnitOfWork, payload: dict[str, Any]) -> None:
    """A closed round's published count and winners (see `panel_rounds.close_round`)."""
    uow.audit.append(PANEL_RESULT, payload)


def ensure_locked(uow: UnitOfWork, process: Process) -> None:
    """Record the locked settings of `process`, whose vote has opened, once: a `settings.locked`
    entry and its hash on the process, inside the caller's transaction (before commit)."""
    process_id = stored_id(process)
    uow.audit.lock()  # two first ballots at once: the second sees the first one's lock
    if uow.processes.locked_hash(process_id) is not None:
        return
    settings = locked_settings(process, uow.projects.list_for_process(process_id))
    uow.audit.append(LOCKED, settings)
    uow.processes.record_lock(process_id, settings["hash"])


def publish_tally(
    uow: UnitOfWork, actor: StaffUser | None, process_id: int, today: dt.date | None = None
) -> int:
    """Record the current count of a process's ballots in the chain, with the settings it
    counts under (rule, envelope, locked list, their hash); its sequence number."""
    access.require(actor, *access.PUBLISHERS)
    with uow:
        process = access.managed_process(uow, actor, process_id)
        assert actor is not None
        uow.audit.lock()  # no ballot may slip between the count and its entry
        ballots = uow.ballots.list_for_process(process_id)
        if vote_opened(process, today or dt.date.today(), bool(ballots)):
            ensure_locked(uow, process)
        settings = locked_settings(process, uow.projects.list_for_process(process_id))
        tally = tally_ballots(ballots)
        seq: int = uow.audit.append(
            TALLY,
            {
                "actor": actor.username,
                "process_id": process_id,
                "ballots": tally.ballots,
                "per_project": dict(tally.per_project),
                **{k: settings[k] for k in ("rule", "envelope_cents", "projects")},
                "settings_hash": settings["hash"],
            },
        )
        uow.commit()
    return seq


# -- verification ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditReport:
    chain_ok: bool
    tallies_ok: bool
    ballots: int
    entries: int
    head: str
    problems: tuple[str, ...]
    settings_ok: bool = True  # locked settings = stored ones = those of every tally since
    codes_ok: bool = True  # spent one-time codes = resident ballots, per process

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.tallies_ok and self.settings_ok and self.codes_ok

    def as_json(self) -> dict[str, object]:
        return {
            "chain_ok": self.chain_ok,
            "tallies_ok": self.tallies_ok,
            "settings_ok": self.settings_ok,
            "codes_ok": self.codes_ok,
            "ballots": self.ballots,
            "entries": self.entries,
            "head": self.head,
            "problems": list(self.problems),
        }


def verify_audit(uow: UnitOfWork) -> AuditReport:
    """Recompute the chain and every published tally from the raw ballots; compare the locked
    settings with the stored ones, and spent codes with resident ballots."""
    with uow:
        entries: list[AuditEntry] = uow.audit.entries()
        head: tuple[int, str] = uow.audit.head()
        raw: dict[str, dict[str, Any]] = uow.audit.raw_ballots()
        sealed: dict[str, dict[str, Any]] = uow.panels.sealed_ballots()
        stored = uow.processes.list()
        current = {stored_id(p): locked_settings(p, uow.projects.list_for_process(stored_id(p)))
                   for p in stored}  # fmt: skip
        spent = {pid: sum(b.spent for b in uow.codes.batches(pid)) for pid in current}
    chain = chain_problems(entries, head)
    tallies = tally_problems(entries, raw) + panel_problems(entries, sealed)
    settings = settings_problems(entries, current, {int(b["process_id"]) for b in raw.values()})
    codes = code_problems(spent, resident_ballots(raw))
    return AuditReport(
        chain_ok=not chain,
        tallies_ok=not tallies,
        settings_ok=not settings,
        codes_ok=not codes,
        ballots=len(raw),
        entries=len(entries),
        head=head[1],
        problems=tuple(chain + tallies + settings + codes),
    )


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


def resident_ballots(raw: Mapping[str, Mapping[str, Any]]) -> dict[int, int]:
    """Per process, the stored ballots that spent a one-time code (phone and paper)."""
    counts: dict[int, int] = {}
    for payload in raw.values():
        if payload["channel"] in RESIDENT_CHANNELS:
            process_id = int(payload["process_id"])
            counts[process_id] = counts.get(process_id, 0) + 1
    return counts


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
    for e, published, receipts in _published(entries, TALLY, logged, "process_id"):
        before = [_stored(raw[r]) for r in receipts if r in raw]
        recount = tally_ballots(before)
        if (
            recount.ballots != published["ballots"]
            or dict(recount.per_project) != published["per_project"]
        ):
            problems.append(f"tally {e.seq} (process {published['process_id']}): recount differs")
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
        rerun = round_selected(published["rule"], published["kind"], published["budget_cents"],
                               published["costs"], ballots)  # fmt: skip
        if recount != (published["ballots"], published["per_project"]) or list(rerun) != list(
            published["selected"]
        ):
            problems.append(
                f"panel result {e.seq} (round {published['round_id']}): recount differs"
            )
    return problems


# -- receipts and the published head -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptCheck:
    receipt: str
    counted: bool
    process_id: int | None = None
    cast_on: dt.date | None = None


def normalise_receipt(text: object) -> str | None:
    """A receipt as typed (any case, spaces or dashes, O for 0, I/L for 1), else None."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    ok = len(cleaned) == RECEIPT_LENGTH and all(c in RECEIPT_ALPHABET for c in cleaned)
    return cleaned if ok else None


def check_receipt(uow: UnitOfWork, text: object) -> ReceiptCheck:
    """Whether the ballot with this receipt is counted (stored and in the audit log)."""
    receipt = normalise_receipt(text)
    if receipt is None:
        raise VilcoError("receipt.invalid")
    with uow:
        stored: StoredBallot | None = uow.ballots.get(receipt)
        logged: bool = stored is not None and uow.audit.has_ballot(receipt)
    if stored is None or not logged:
        return ReceiptCheck(receipt=receipt, counted=False)
    return ReceiptCheck(
        receipt=receipt, counted=True, process_id=stored.process_id, cast_on=stored.cast_on
    )


def chain_head(uow: UnitOfWork, at: int | None = None) -> ChainHead:
    """The current head (or the point after entry `at`, e.g. a tally just published)."""
    with uow:
        seq: int = uow.audit.head()[0] if at is None else at
        last: AuditEntry | None = uow.audit.entry(seq) if seq else None
        entries: int = uow.audit.count()
    if seq and last is None:
        raise VilcoError("audit.entry_not_found", seq=seq)
    return ChainHead(
        seq=seq if last else 0,
        hash=last.hash if last else GENESIS,
        entries=entries,
        day=last.day if last else None,
    )


def verify_head(uow: UnitOfWork, published: str) -> list[str]:
    """`head_problems` for a published head as given (`HASH[@SEQ]`, checked before any read)."""
    digest, seq = parse_head(published)
    with uow:
        entries: list[AuditEntry] = uow.audit.entries()
    return head_problems(entries, digest, seq)
