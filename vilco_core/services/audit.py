"""Use cases of the audit log: every append (staff actions, ballots, sealed panel ballots,
published tallies) and every check (`verify_audit`, receipts, published heads).

Each append runs inside the caller's transaction, before its commit: an entry exists exactly
when what it records was committed. The chain itself (hashes, payloads, heads) is
`vilco_core.audit`.

Ballot entries are appended by the mixer (`mix_pending`): a batch of pending ballots, in shuffled
order, after a `ballots.mixed` entry giving the batch's size; never in the transaction that spent
the ballot's code. A *published tally* is a `tally.published` entry: the ballot count and
per-project counts of one process at that point of the chain (`audit publish`), with the rule,
envelope and locked list it counted under and the hash of the locked settings
(`vilco_core.locking`). The first write after a process's vote opened records its locked
settings (`ensure_locked`: a `settings.locked` entry). `verify_audit` recomputes the chain, then
checks that the ballots table and the ballot entries hold exactly the same ballots (none
missing, none extra, none altered, none twice) and that each published tally equals the count
of the raw ballots entered before it; likewise for the sealed panel ballots and each published
round result (recounted and rerun; projects nobody supported are not eligible, as in
`panel_rounds.tally_round`). It also checks the locked settings against the stored processes
and projects and against every tally published since (`locking.lock_problems`), and that each
process has exactly as many spent one-time codes as resident ballots, mixed or pending
(`resident_ballots`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
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
    parse_head,
)
from vilco_core.audit_checks import (
    RECEIPT_LENGTH,
    code_problems,
    panel_problems,
    resident_ballots,
    settings_problems,
    tally_problems,
)
from vilco_core.ballots import Ballot
from vilco_core.errors import VilcoError
from vilco_core.locking import LOCKED, locked_settings, vote_opened
from vilco_core.model import Channel, Process, StaffUser, StoredBallot, stored_id
from vilco_core.services import access
from vilco_core.tally import tally_ballots
from vilco_core.unit_of_work import UnitOfWork

RECEIPT_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

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
        # every counted ballot needs its entry before the tally: what is pending is mixed now,
        # whatever its size (at the end of the vote, the last batch)
        mix_pending(uow, process_id, 1, random.SystemRandom())
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
            "pending": self.pending,
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
        pending = sum(uow.ballots.pending_counts().values())
        stored = uow.processes.list()
        current = {stored_id(p): locked_settings(p, uow.projects.list_for_process(stored_id(p)))
                   for p in stored}  # fmt: skip
        spent = {pid: sum(b.spent for b in uow.codes.batches(pid)) for pid in current}
        resident = {pid: resident_ballots(uow.ballots.list_for_process(pid)) for pid in current}
    chain = chain_problems(entries, head)
    tallies = tally_problems(entries, raw) + panel_problems(entries, sealed)
    settings = settings_problems(entries, current, {int(b["process_id"]) for b in raw.values()})
    codes = code_problems(spent, resident)
    return AuditReport(
        chain_ok=not chain,
        tallies_ok=not tallies,
        settings_ok=not settings,
        codes_ok=not codes,
        ballots=len(raw) + pending,
        pending=pending,
        entries=len(entries),
        head=head[1],
        problems=tuple(chain + tallies + settings + codes),
    )


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
