"""Repositories of on-site voting: one-time codes, support signatures, the paper-entry log, and
the attempts counted by the rate limits of the support form.

Spending a code is one conditional UPDATE (`state='unused'` → `'spent'`): on SQLite the write
lock taken at BEGIN serialises it, on PostgreSQL the row lock makes a concurrent second spend
see the new state and update nothing. Either way exactly one transaction wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from vilco_core.codes import CodeBatch, parse_purpose
from vilco_core.model import PaperEntry, StoredSignature
from vilco_core.signatures import Signature
from vilco_core.store.rows import Repository, columns_of, value_of
from vilco_core.store.tables_onsite import (
    AttemptRow,
    CodeBatchRow,
    PaperEntryRow,
    SignatureRow,
    VoteCodeRow,
)


class CodeRepository(Repository):
    def add_batch(self, process_id: int, label: str, issued_on: dt.date, issued_by: str,
                  hashes: Iterable[str], purpose: str = "vote") -> int:  # fmt: skip
        batch = CodeBatchRow(process_id=process_id, label=label, issued_on=issued_on,
                             issued_by=issued_by, purpose=purpose)  # fmt: skip
        self.session.add(batch)
        self.session.flush()
        self.session.add_all(
            VoteCodeRow(process_id=process_id, batch_id=batch.id, code_hash=h, state="unused")
            for h in hashes
        )
        self.session.flush()
        return batch.id

    def batches(self, process_id: int) -> list[CodeBatch]:
        counts: dict[tuple[int, str], int] = {
            (b, s): n
            for b, s, n in self.session.execute(
                select(VoteCodeRow.batch_id, VoteCodeRow.state, func.count())
                .where(VoteCodeRow.process_id == process_id)
                .group_by(VoteCodeRow.batch_id, VoteCodeRow.state)
            )
        }
        rows = self.session.scalars(
            select(CodeBatchRow)
            .where(CodeBatchRow.process_id == process_id)
            .order_by(CodeBatchRow.id)
        )
        return [
            CodeBatch(
                id=r.id,
                process_id=r.process_id,
                label=r.label,
                issued_on=r.issued_on.isoformat(),
                issued_by=r.issued_by,
                purpose=parse_purpose(r.purpose),
                unused=counts.get((r.id, "unused"), 0),
                spent=counts.get((r.id, "spent"), 0),
                void=counts.get((r.id, "void"), 0),
            )
            for r in rows
        ]

    def batch_process(self, batch_id: int) -> int | None:
        row = self.session.get(CodeBatchRow, batch_id)
        return None if row is None else row.process_id

    def lookup(self, code_hash: str) -> tuple[int, str] | None:
        """(process id, state) of a code, or None when no such code was issued."""
        row = self.session.execute(
            select(VoteCodeRow.process_id, VoteCodeRow.state).where(
                VoteCodeRow.code_hash == code_hash
            )
        ).first()
        return None if row is None else (row[0], row[1])

    def support_lookup(self, code_hash: str) -> tuple[int, str] | None:
        """(process id, state) of a support code, or None (no such code, or a voting code)."""
        row = self.session.execute(
            select(VoteCodeRow.process_id, VoteCodeRow.state)
            .join(CodeBatchRow, CodeBatchRow.id == VoteCodeRow.batch_id)
            .where(VoteCodeRow.code_hash == code_hash, CodeBatchRow.purpose == "support")
        ).first()
        return None if row is None else (row[0], row[1])

    def spend(self, code_hash: str, process_id: int) -> bool:
        """Mark an unused code of `process_id` spent; False when another spend won."""
        result = self.session.execute(
            update(VoteCodeRow)
            .where(
                VoteCodeRow.code_hash == code_hash,
                VoteCodeRow.process_id == process_id,
                VoteCodeRow.state == "unused",
            )
            .values(state="spent")
        )
        return _rowcount(result) == 1

    def void_batch(self, batch_id: int) -> int:
        result = self.session.execute(
            update(VoteCodeRow)
            .where(VoteCodeRow.batch_id == batch_id, VoteCodeRow.state == "unused")
            .values(state="void")
        )
        return _rowcount(result)

    def void_code(self, code_hash: str) -> bool:
        result = self.session.execute(
            update(VoteCodeRow)
            .where(VoteCodeRow.code_hash == code_hash, VoteCodeRow.state == "unused")
            .values(state="void")
        )
        return _rowcount(result) == 1

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(VoteCodeRow)) or 0)


def _rowcount(result: object) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


class SignatureRepository(Repository):
    def add(self, process_id: int, signature: Signature, name_key: str, day: dt.date, *,
            mode: str = "unverified", state: str = "valid", source_key: str | None = None,
            token_hash: str | None = None) -> bool:  # fmt: skip
        """Store a signature; False (nothing stored) when this person, card or address already
        signed the project."""
        columns = columns_of(signature, process_id=process_id, name_key=name_key, signed_on=day,
                             mode=mode, state=state, source_key=source_key,
                             token_hash=token_hash)  # fmt: skip
        row = SignatureRow(**columns)
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:  # a unique key (name key and postcode, or source): a duplicate
            return False
        return True

    def states(self, process_id: int) -> dict[tuple[int, str, str], int]:
        """How many signatures per (project, mode, state)."""
        s = SignatureRow
        rows = self.session.execute(
            select(s.project_id, s.mode, s.state, func.count())
            .where(s.process_id == process_id)
            .group_by(s.project_id, s.mode, s.state)
        )
        return {(project_id, mode, state): int(n) for project_id, mode, state, n in rows}

    def get(self, signature_id: int) -> StoredSignature | None:
        row = self.session.get(SignatureRow, signature_id)
        return None if row is None else value_of(StoredSignature, row)

    def by_token(self, token_hash: str) -> StoredSignature | None:
        row = self.session.scalars(
            select(SignatureRow).where(SignatureRow.token_hash == token_hash)
        ).first()
        return None if row is None else value_of(StoredSignature, row)

    def change_state(self, signature_id: int, before: str, after: str, reason: str = "") -> bool:
        """`before` → `after` in one conditional UPDATE: of two concurrent changes one wins;
        False too when the change would make one person sign a project twice."""
        s = SignatureRow
        values: dict[str, object] = {"state": after}
        if reason:
            values["struck_reason"] = reason
        try:
            with self.session.begin_nested():
                result = self.session.execute(
                    update(s).where(s.id == signature_id, s.state == before).values(**values)
                )
        except IntegrityError:  # confirming a request of someone already signed: once
            return False
        return _rowcount(result) == 1

    def drop_pending(self, process_id: int, signed_before: dt.date | None = None,
                     token_hash: str | None = None) -> int:  # fmt: skip
        """Delete pending signatures: lapsed ones (asked before `signed_before`), or the one
        whose confirmation mail could not be sent (`token_hash`)."""
        s = SignatureRow
        query = delete(s).where(s.process_id == process_id, s.state == "pending")
        if signed_before is not None:
            query = query.where(s.signed_on < signed_before)
        if token_hash is not None:
            query = query.where(s.token_hash == token_hash)
        return _rowcount(self.session.execute(query))

    def list_for_process(self, process_id: int) -> list[StoredSignature]:
        rows = self.session.scalars(
            select(SignatureRow)
            .where(SignatureRow.process_id == process_id)
            .order_by(SignatureRow.project_id, SignatureRow.id)
        )
        return [value_of(StoredSignature, r) for r in rows]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(SignatureRow)) or 0)


class AttemptRepository(Repository):
    def add(self, source: str, period: int) -> int:
        """Count one attempt of `source` in `period`: the attempts so far, this one included.
        One INSERT ... ON CONFLICT DO UPDATE ... RETURNING: parallel attempts each get their
        own number, on SQLite and PostgreSQL alike."""
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        insert = dialect.insert(AttemptRow).values(source=source, period=period, attempts=1)
        upsert = insert.on_conflict_do_update(
            index_elements=[AttemptRow.source, AttemptRow.period],
            set_={"attempts": AttemptRow.attempts + 1},
        ).returning(AttemptRow.attempts)
        return int(self.session.execute(upsert).scalar_one())

    def prune(self, before: int) -> None:
        self.session.execute(delete(AttemptRow).where(AttemptRow.period < before))


class PaperEntryRepository(Repository):
    def add(self, process_id: int, entry: PaperEntry) -> None:
        self.session.add(PaperEntryRow(**columns_of(entry, process_id=process_id)))
        self.session.flush()

    def list_for_process(self, process_id: int) -> list[PaperEntry]:
        rows = self.session.scalars(
            select(PaperEntryRow)
            .where(PaperEntryRow.process_id == process_id)
            .order_by(PaperEntryRow.id)
        )
        return [value_of(PaperEntry, r) for r in rows]
