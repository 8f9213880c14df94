"""The audit repository: appends hash-chained entries and reads them back for verification.

`append` locks the chain head first (a row lock on PostgreSQL; SQLite's `BEGIN IMMEDIATE`
already holds the database's write lock), so concurrent writers each extend the last hash and
the chain stays a line. It writes in the caller's transaction: an entry exists exactly when the
action it records was committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from vilco_core.audit import ballot_payload, canonical_json, entry_hash
from vilco_core.model import AuditEntry
from vilco_core.store.rows import Repository
from vilco_core.store.tables_audit import AuditEntryRow, AuditHeadRow
from vilco_core.store.tables_ballots import BallotRow

HEAD_ID = 1
HEAD_KEY = "vilco_audit_head"


class AuditRepository(Repository):
    def append(self, kind: str, payload: Mapping[str, object], day: dt.date | None = None) -> int:
        """Add one entry after the current head; returns its sequence number."""
        head = self._locked_head()
        seq = head.seq + 1
        when = day or dt.datetime.now(dt.UTC).date()
        text = canonical_json(payload)
        digest = entry_hash(head.hash, seq, kind, when, text)
        self.session.add(
            AuditEntryRow(
                seq=seq, kind=kind, day=when, payload=text, prev_hash=head.hash, hash=digest
            )
        )
        head.seq, head.hash = seq, digest  # written with the entries at the next flush
        return seq

    def _locked_head(self) -> AuditHeadRow:
        """The head row, locked once per transaction (later appends reuse it: no round trip)."""
        transaction = self.session.get_transaction()
        cached = self.session.info.get(HEAD_KEY)
        if cached is not None and cached[0] is transaction:
            head: AuditHeadRow = cached[1]
            return head
        head = self.session.scalars(
            select(AuditHeadRow).where(AuditHeadRow.id == HEAD_ID).with_for_update()
        ).one()
        self.session.info[HEAD_KEY] = (transaction, head)
        return head

    def lock(self) -> None:
        """Hold the chain head until commit (PostgreSQL; SQLite's write lock already does)."""
        self._locked_head()

    def has_ballot(self, receipt: str) -> bool:
        needle = f'"receipt":{canonical_json(receipt)}'
        query = select(AuditEntryRow.seq).where(
            AuditEntryRow.kind == "ballot", AuditEntryRow.payload.contains(needle)
        )
        return self.session.scalars(query.limit(1)).first() is not None

    def entries(self) -> list[AuditEntry]:
        rows = self.session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq))
        return [_entry_value(r) for r in rows]

    def entry(self, seq: int) -> AuditEntry | None:
        """One entry by its sequence number (the published head's date, a tally's hash)."""
        row = self.session.get(AuditEntryRow, seq)
        return None if row is None else _entry_value(row)

    def of_kind(self, kind: str) -> list[AuditEntry]:
        """The entries of one kind, in the log's order (a process's mixing batches)."""
        query = select(AuditEntryRow).where(AuditEntryRow.kind == kind)
        return [_entry_value(r) for r in self.session.scalars(query.order_by(AuditEntryRow.seq))]

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0

    def head(self) -> tuple[int, str]:
        row = self.session.get(AuditHeadRow, HEAD_ID)
        return (0, "") if row is None else (row.seq, row.hash)

    def raw_ballots(self) -> dict[str, dict[str, Any]]:
        """Every stored ballot as the audit log describes one, by receipt."""
        return {
            r.receipt: ballot_payload(
                r.receipt, r.process_id, r.kind, r.content, r.channel, r.site_id, r.cast_on
            )
            for r in self.session.scalars(select(BallotRow))
        }


def _entry_value(r: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        seq=r.seq, kind=r.kind, day=r.day, payload=r.payload, prev_hash=r.prev_hash, hash=r.hash
    )
