"""The audit log's hash chain and the shape of its entries (pure: no unit of work here).

Each entry is `(seq, kind, day, payload)`; its hash is SHA-256 of the previous entry's hash
(64 hex digits, zeros before the first) followed by the canonical JSON of
`{"day", "kind", "payload", "seq"}` (sorted keys, no spaces, UTF-8). A ballot's entry
(`ballot_payload`) carries its receipt and content, never the code that was spent: code rows
and ballot entries share nothing. A sealed panel ballot's entry (`panel_ballot_payload`) names
no member. Entries carry a day, not a time, like the ballots themselves. Ballot entries are
appended when the mixer moves a batch of pending ballots (`MIXED` entry first, then one entry per
ballot in the batch's shuffled order), so their order says no more than their batch.

The *head* (last sequence number and hash) is published outside the database: whoever holds
the database could rewrite the whole chain consistently, but not so that it still passes
through a head already published (`head_problems`). The use cases that write and check the
log are in `vilco_core.services.audit`.
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

GENESIS: Final = "0" * 64
BALLOT: Final = "ballot"
TALLY: Final = "tally.published"
PANEL_BALLOT: Final = "panel.ballot"
PANEL_RESULT: Final = "panel.result"
MIXED: Final = "ballots.mixed"  # a mixing batch: `{"process_id", "ballots"}`, its entries next


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


# -- what an entry holds -----------------------------------------------------------------------


def ballot_content(ballot: Ballot) -> str:
    """The canonical JSON of a ballot's projects (refs, the voter's order) and points: the text
    both the ballot row and its audit entry hold, so equal ballots are equal text. The district
    envelope chosen is written only when there is one (older ballots keep their exact text)."""
    content: dict[str, object] = {
        "projects": list(ballot.project_ids),
        "points": list(ballot.points),
    }
    if ballot.district:
        content["district"] = ballot.district
    return canonical_json(content)


def ballot_payload(
    receipt: str,
    process_id: int,
    kind: str,
    content: str,
    channel: str,
    site_id: int | None,
    cast_on: dt.date,
) -> dict[str, Any]:
    """The payload of a ballot's audit entry: the ballot row, nothing more (no code)."""
    return {
        "receipt": receipt,
        "process_id": process_id,
        "kind": kind,
        "content": content,
        "channel": channel,
        "site_id": site_id,
        "cast_on": cast_on.isoformat(),
    }


def panel_ballot_payload(receipt: str, round_id: int, kind: str, content: str) -> dict[str, Any]:
    """The payload of a panel ballot's entry: the sealed ballot row, without its member."""
    return {"receipt": receipt, "round_id": round_id, "kind": kind, "content": content}


def parse_ballot(payload: Mapping[str, Any]) -> Ballot:
    """The ballot a ballot entry (resident or panel) holds: its kind and its content."""
    content = json.loads(payload["content"])
    return Ballot(
        kind=payload["kind"],
        project_ids=tuple(str(p) for p in content["projects"]),
        points=tuple(int(x) for x in content.get("points", ())),
    )


# -- the published head ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainHead:
    """A point of the chain as it is published: entry `seq` and its hash (GENESIS at 0)."""

    seq: int
    hash: str
    entries: int
    day: dt.date | None

    def as_json(self) -> dict[str, object]:
        return {"seq": self.seq, "hash": self.hash, "entries": self.entries}


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
