"""The audit log: hash-chained entries of ballots (by receipt) and staff actions, and its check.

Each entry is `(seq, kind, day, payload)`; its hash is SHA-256 of the previous entry's hash
(64 hex digits, zeros before the first) followed by the canonical JSON of
`{"day", "kind", "payload", "seq"}` (sorted keys, no spaces, UTF-8). A ballot's entry is
written in the transaction that stores the ballot and carries its receipt and content, never
the code that was spent: code rows and ballot entries share nothing. Entries carry a day, not
a time, like the ballots themselves.

A *published tally* is a `tally.published` entry: the ballot count and per-project counts of
one process at that point of the chain (`audit publish`). `verify` recomputes the chain, then
checks that the ballots table and the ballot entries hold exactly the same ballots (none
missing, none extra, none altered, none twice) and that each published tally equals the count
of the raw ballots entered before it.

The *head* (last sequence number and hash) is published outside the database (`audit head`,
with each published tally, on the receipt page): whoever holds the database could rewrite the
whole chain consistently, but not so that it still passes through a head already published
(`verify --expect-head`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from vilco_core.ballots import Ballot
from vilco_core.errors import VilcoError
from vilco_core.model import AuditEntry as AuditEntry  # re-exported: the chain's entry type
from vilco_core.model import Process, Role, StaffUser, StoredBallot, parse_channel
from vilco_core.tally import tally_ballots
from vilco_core.unit_of_work import UnitOfWork

GENESIS: Final = "0" * 64
BALLOT: Final = "ballot"
TALLY: Final = "tally.published"
RECEIPT_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH: Final = 10
PUBLISHERS: Final = frozenset({Role.ADMIN, Role.FACILITATOR})


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditReport:
    chain_ok: bool
    tallies_ok: bool
    ballots: int
    entries: int
    head: str
    problems: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "chain_ok": self.chain_ok,
            "tallies_ok": self.tallies_ok,
            "ballots": self.ballots,
            "entries": self.entries,
            "head": self.head,
            "problems": list(self.problems),
        }


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, seq: int, kind: str, day: dt.date, payload: str) -> str:
    row = canonical_json(
        {"day": day.isoformat(), "kind": kind, "payload": json.loads(payload), "seq": seq}
    )
    return hashlib.sha256((prev_hash + row).encode("utf-8")).hexdigest()


def chain_problems(entries: Sequence[AuditEntry], head: tuple[int, str]) -> list[str]:
    """Why the chain is broken (empty: it is whole): gaps, altered or re-linked entries, a head
    that does not name the last entry (the last one deleted)."""
    problems, prev = [], GENESIS
    for expected, e in enumerate(entries, start=1):
        if e.seq != expected:
            problems.append(f"entry {expected}: missing (found {e.seq})")
            break
        if e.prev_hash != prev or entry_hash(prev, e.seq, e.kind, e.day, e.payload) != e.hash:
            problems.append(f"entry {e.seq}: hash does not match")
            break
        prev = e.hash
    if not problems and head != (len(entries), prev):
        problems.append(f"head {head[0]} does not match the last entry {len(entries)}")
    return problems


def _stored(payload: Mapping[str, Any]) -> StoredBallot:
    content = json.loads(payload["content"])
    kind = payload["kind"]
    ballot = Ballot(
        kind=kind,
        project_ids=tuple(str(p) for p in content["projects"]),
        points=tuple(int(x) for x in content.get("points", ())),
    )
    return StoredBallot(
        receipt=payload["receipt"],
        process_id=int(payload["process_id"]),
        ballot=ballot,
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


def tally_problems(
    entries: Sequence[AuditEntry], raw: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Ballots table vs ballot entries (same set, same content), then every published tally
    recounted from the raw ballots entered before it."""
    problems, logged = reconcile_entries(entries, raw, BALLOT, "ballot")
    for e in entries:
        if e.kind != TALLY:
            continue
        published = json.loads(e.payload)
        before = [
            _stored(raw[r])
            for r, (seq, p) in logged.items()
            if seq < e.seq and p["process_id"] == published["process_id"] and r in raw
        ]
        recount = tally_ballots(before)
        if (
            recount.ballots != published["ballots"]
            or dict(recount.per_project) != published["per_project"]
        ):
            problems.append(f"tally {e.seq} (process {published['process_id']}): recount differs")
    return problems


def verify_audit(uow: UnitOfWork) -> AuditReport:
    """Recompute the chain and every published tally from the raw ballots."""
    with uow:
        entries: list[AuditEntry] = uow.audit.entries()
        head: tuple[int, str] = uow.audit.head()
        raw: dict[str, dict[str, Any]] = uow.audit.raw_ballots()
        sealed: dict[str, dict[str, Any]] = uow.panels.sealed_ballots()
    from vilco_core.panel_audit import panel_problems  # it imports this module's entry type

    chain = chain_problems(entries, head)
    tallies = tally_problems(entries, raw) + panel_problems(entries, sealed)
    return AuditReport(
        chain_ok=not chain,
        tallies_ok=not tallies,
        ballots=len(raw),
        entries=len(entries),
        head=head[1],
        problems=tuple(chain + tallies),
    )


def log_action(uow: UnitOfWork, actor: StaffUser | None, kind: str, **details: object) -> None:
    """One staff action in the audit log, inside the caller's transaction (before commit)."""
    uow.audit.append(f"staff.{kind}", {"actor": actor.username if actor else None, **details})


def publish_tally(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> int:
    """Record the current count of a process's ballots in the chain; its sequence number."""
    if actor is None or actor.role not in PUBLISHERS:
        raise VilcoError("errors.forbidden")
    with uow:
        process: Process | None = uow.processes.get(process_id)
        if process is None:
            raise VilcoError("errors.process_not_found", id=process_id)
        if not may_publish(actor, process):
            raise VilcoError("errors.forbidden")
        uow.audit.lock()  # no ballot may slip between the count and its entry
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
    return seq


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


# -- the published head ------------------------------------------------------------------------


def may_publish(user: StaffUser | None, process: Process) -> bool:
    """Admins, and facilitators of the process's communes, publish its tally."""
    return user is not None and user.role in PUBLISHERS and user.may_manage(process)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainHead:
    """A point of the chain as it is published: entry `seq` and its hash (GENESIS at 0)."""

    seq: int
    hash: str
    entries: int
    day: dt.date | None

    def as_json(self) -> dict[str, object]:
        return {"seq": self.seq, "hash": self.hash, "entries": self.entries}


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


def group_hash(digest: str, size: int = 4) -> str:
    """A hash in groups (`1f3a 9c0e ...`), easier to read aloud and compare."""
    return " ".join(digest[i : i + size] for i in range(0, len(digest), size))


def parse_head(text: object) -> tuple[str, int | None]:
    """A published head as given: `HASH` or `HASH@SEQ` (any case, spaces or dashes allowed
    between the groups of the hash)."""
    if not isinstance(text, str) or len(text) > 200:
        raise VilcoError("audit.head_invalid")
    digest, at, seq = text.strip().partition("@")
    digest = re.sub(r"[\s-]", "", digest).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest) or (
        at and not re.fullmatch(r"[0-9]{1,12}", seq.strip())
    ):
        raise VilcoError("audit.head_invalid")
    return digest, int(seq) if at else None


def head_problems(entries: Sequence[AuditEntry], digest: str, seq: int | None) -> list[str]:
    """Whether the chain, recomputed from its first entry (not from the stored hashes), passes
    through the published head `digest` (at entry `seq` when given); empty when it does."""
    if digest == GENESIS and not seq:
        return []
    prev = GENESIS
    for expected, e in enumerate(entries, start=1):
        if e.seq != expected or (seq is not None and e.seq > seq):
            break
        prev = entry_hash(prev, e.seq, e.kind, e.day, e.payload)
        if prev == digest and seq in (None, e.seq):
            return []
    where = "" if seq is None else f" at entry {seq}"
    return [f"published head {digest[:16]}...{where}: not in the chain"]


def verify_head(uow: UnitOfWork, published: str) -> list[str]:
    """`head_problems` for a published head as given (`HASH[@SEQ]`, checked before any read)."""
    digest, seq = parse_head(published)
    with uow:
        entries: list[AuditEntry] = uow.audit.entries()
    return head_problems(entries, digest, seq)
