"""Use cases of the audit log: every append (staff actions, ballots, sealed panel ballots,
published tallies) and every check (`verify_audit`, receipts, published heads).

Each append runs inside the caller's transaction, before its commit: an entry exists exactly
when what it records was committed. The chain itself (hashes, payloads, heads) is
`vilco_core.audit`.

Ballot entries are appended by the mixer (`mix_pending`): a batch of pending ballots, in shuffled
order, after a `ballots.mixed` entry giving the batch's size; never in the transaction that spent
the ballot's code. A *published tally* is a `tally.published` entry: the ballot count and
per-project counts of one process at that point of the chain (`audit publish`). `verify_audit`
recomputes the chain, then checks that the ballots table and the ballot entries hold exactly the
same ballots (none missing, none extra, none altered, none twice) and that each published tally
equals the count of the raw ballots entered before it; likewise for the sealed panel ballots and
each published round result (recounted and rerun; projects nobody supported are not eligible, as
in `panel_rounds.tally_round`).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from vilco_core.audit import (
    BALLOT,
    GENESIS,
    MIXED,
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
from vilco_core.model import Channel, StaffUser, StoredBallot, parse_channel
from vilco_core.results import profile_of, run_rule
from vilco_core.rules import Instance
from vilco_core.rules import Project as RuleProject
from vilco_core.services import access
from vilco_core.tally import tally_ballots
from vilco_core.unit_of_work import UnitOfWork

RECEIPT_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH: Final = 10

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
    """A ballot's entry, in the transaction that mixes it into the ballots table (`mix_pending`)."""
    payload = ballot_payload(
        receipt, process_id, ballot.kind, ballot_content(ballot), channel, site_id, cast_on
    )
    uow.audit.append(BALLOT, payload)


def mix_pending(uow: UnitOfWork, process_id: int, minimum: int, rng: random.Random) -> int:
    """Inside the caller's open `with uow:` (a transaction of its own, never the one that spent
    a code): mix the process's pending ballots, one batch per channel and site (what a ballot
    shows besides its content), each batch once at least `minimum` of its ballots wait. A batch
    moves into the ballots table in one shuffled order, dated with its latest day, after a
    `ballots.mixed` entry followed by its ballot entries in that same order. How many ballots
    were mixed (0: nothing written).

    The chain head is locked first, so two mixers take turns and the second finds the pending
    ballots already gone."""
    uow.audit.lock()
    classes: dict[tuple[str, int | None], list[StoredBallot]] = {}
    for b in uow.ballots.pending(process_id):
        classes.setdefault((b.channel, b.site_id), []).append(b)
    mixed = 0
    for key in sorted(classes, key=lambda c: (c[0], c[1] or 0)):
        batch = classes[key]
        if len(batch) < max(1, minimum):
            continue
        day = max(b.cast_on for b in batch)  # a day per ballot could split the batch
        batch = [replace(b, cast_on=day) for b in batch]
        rng.shuffle(batch)
        if uow.ballots.settle(batch) != len(batch):
            raise RuntimeError("pending ballots changed under the mixer")  # the caller rolls back
        uow.audit.append(MIXED, {"process_id": process_id, "ballots": len(batch)})
        for b in batch:
            log_ballot(uow, b.receipt, b.process_id, b.ballot, b.channel, b.site_id, b.cast_on)
        mixed += len(batch)
    return mixed


def log_panel_ballots(
    uow: UnitOfWork, round_id: int, sealed: Iterable[tuple[str, str, str]]
) -> None:
    """One `panel.ballot` entry per sealed ballot `(receipt, kind, content)`, in that order."""
    for receipt, kind, content in sealed:
        uow.audit.append(PANEL_BALLOT, panel_ballot_payload(receipt, round_id, kind, content))


def log_panel_result(uow: UnitOfWork, payload: dict[str, Any]) -> None:
    """A closed round's published count and winners (see `panel_rounds.close_round`)."""
    uow.audit.append(PANEL_RESULT, payload)


def publish_tally(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> int:
    """Record the current count of a process's ballots in the chain; its sequence number."""
    access.require(actor, *access.PUBLISHERS)
    with uow:
        access.managed_process(uow, actor, process_id)
        assert actor is not None
        uow.audit.lock()  # no ballot may slip between the count and its entry
        # every counted ballot needs its entry before the tally: what is pending is mixed now,
        # whatever its size (at the end of the vote, the last batch)
        mix_pending(uow, process_id, 1, random.SystemRandom())
        tally = tally_ballots(uow.ballots.list_for_process(process_id))
        seq: int = uow.audit.append(
            TALLY,
            {
                "actor": actor.username,
                "process_id": process_id,
                "ballots": tally.ballots,
                "per_project": dict(tally.per_project),
            },
        )
        uow.commit()
        uow.ballots.reclaim()
    return seq


# -- verification ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditReport:
    chain_ok: bool
    tallies_ok: bool
    ballots: int  # every stored ballot, mixed or pending
    entries: int
    head: str
    problems: tuple[str, ...]
    pending: int = 0  # stored, not mixed yet: in the log once mixed

    def as_json(self) -> dict[str, object]:
        return {
            "chain_ok": self.chain_ok,
            "tallies_ok": self.tallies_ok,
            "ballots": self.ballots,
            "pending": self.pending,
            "entries": self.entries,
            "head": self.head,
            "problems": list(self.problems),
        }


def verify_audit(uow: UnitOfWork) -> AuditReport:
    """Recompute the chain and every published tally from the raw ballots."""
    with uow:
        entries: list[AuditEntry] = uow.audit.entries()
        head: tuple[int, str] = uow.audit.head()
        raw: dict[str, dict[str, Any]] = uow.audit.raw_ballots()
        sealed: dict[str, dict[str, Any]] = uow.panels.sealed_ballots()
        pending = sum(uow.ballots.pending_counts().values())
    chain = chain_problems(entries, head)
    tallies = tally_problems(entries, raw) + panel_problems(entries, sealed)
    return AuditReport(
        chain_ok=not chain,
        tallies_ok=not tallies,
        ballots=len(raw) + pending,
        pending=pending,
        entries=len(entries),
        head=head[1],
        problems=tuple(chain + tallies),
    )


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


# -- receipts and the published head -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptCheck:
    receipt: str
    counted: bool
    process_id: int | None = None
    cast_on: dt.date | None = None
    pending: bool = False  # counted, in the audit log once its mixing batch is complete


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
        pending: bool = stored is not None and uow.ballots.is_pending(receipt)
        logged: bool = stored is not None and not pending and uow.audit.has_ballot(receipt)
    if stored is None or not (logged or pending):
        return ReceiptCheck(receipt=receipt, counted=False)
    return ReceiptCheck(receipt=receipt, counted=True, process_id=stored.process_id,
                        cast_on=stored.cast_on, pending=pending)  # fmt: skip


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
