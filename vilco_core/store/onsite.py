"""Repositories of on-site voting: one-time codes, support signatures, the paper-entry log.

Spending a code is one conditional UPDATE (`state='unused'` → `'spent'`): on SQLite the write
lock taken at BEGIN serialises it, on PostgreSQL the row lock makes a concurrent second spend
see the new state and update nothing. Either way exactly one transaction wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError

from vilco_core.codes import CodeBatch
from vilco_core.model import PaperEntry, StoredSignature
from vilco_core.signatures import Signature
from vilco_core.store.rows import Repository, columns_of, value_of
from vilco_core.store.tables_onsite import CodeBatchRow, PaperEntryRow, SignatureRow, VoteCodeRow


class CodeRepository(Repository):
    def add_batch(self, process_id: int, label: str, issued_on: dt.date, issued_by: str,
                  hashes: Iterable[str]) -> int:  # fmt: skip
        batch = CodeBatchRow(process_id=process_id, label=label, issued_on=issued_on,
                             issued_by=issued_by)  # fmt: skip
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
    def add(self, process_id: int, signature: Signature, name_key: str, day: dt.date) -> bool:
        """Store a signature; False (nothing stored) when this person already signed."""
        columns = columns_of(signature, process_id=process_id, name_key=name_key, signed_on=day)
        row = SignatureRow(**columns)
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:  # the unique (project, name key, postcode): a duplicate
            return False
        return True

    def counts(self, process_id: int) -> dict[int, int]:
        rows = self.session.execute(
            select(SignatureRow.project_id, func.count())
            .where(SignatureRow.process_id == process_id)
            .group_by(SignatureRow.project_id)
        )
        return {project_id: int(n) for project_id, n in rows}

    def list_for_process(self, process_id: int) -> list[StoredSignature]:
        rows = self.session.scalars(
            select(SignatureRow)
            .where(SignatureRow.process_id == process_id)
            .order_by(SignatureRow.project_id, SignatureRow.id)
        )
        return [value_of(StoredSignature, r) for r in rows]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(SignatureRow)) or 0)


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
