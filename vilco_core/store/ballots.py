"""The ballots repository: anonymous ballots in, anonymous ballots out.

`add` stores one ballot as *pending* with a fresh random receipt and returns it; the content is
canonical JSON (`{"points": [...], "projects": [...]}`, sorted keys, no spaces:
`audit.ballot_content`), so equal ballots are equal text. `settle` moves a batch of pending
ballots into `ballots` in the order given (the mixer's shuffle); their audit entries are the
caller's (`services.audit.mix_pending`, in the same transaction). Reads (`get`, counts, lists)
see mixed and pending ballots alike, so tallies never lag behind the mixer. Ballots come back in
receipt order, which is random: never in arrival order.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Sequence
from typing import Final, TypeVar

from sqlalchemy import CursorResult, Engine, delete, func, insert, select

from vilco_core.audit import ballot_content
from vilco_core.ballots import BALLOT_KINDS, Ballot, BallotKind
from vilco_core.model import Channel, StoredBallot, parse_channel
from vilco_core.store.rows import Repository
from vilco_core.store.tables_ballots import BallotRow, PendingBallotRow

RECEIPT_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
RECEIPT_LENGTH: Final = 10  # 50 bits


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def ballot_kind(value: str) -> BallotKind:
    for kind in BALLOT_KINDS:
        if kind == value:
            return kind
    raise ValueError(value)


def _stored(row: BallotRow | PendingBallotRow) -> StoredBallot:
    data = json.loads(row.content)
    ballot = Ballot(
        kind=ballot_kind(row.kind),
        project_ids=tuple(str(p) for p in data["projects"]),
        points=tuple(int(x) for x in data.get("points", ())),
        district=str(data.get("district", "")),
    )
    return StoredBallot(
        receipt=row.receipt,
        process_id=row.process_id,
        ballot=ballot,
        channel=parse_channel(row.channel),
        site_id=row.site_id,
        cast_on=row.cast_on,
    )


class BallotRepository(Repository):
    def add(
        self,
        process_id: int,
        ballot: Ballot,
        channel: Channel,
        site_id: int | None,
        cast_on: dt.date,
    ) -> str:
        """Store one (already validated) ballot as pending, in the caller's transaction (the
        one spending its code); returns its receipt. The mixer moves it (`settle`)."""
        receipt = new_receipt()
        while self.session.get(BallotRow, receipt) or self.session.get(PendingBallotRow, receipt):
            receipt = new_receipt()  # 50 bits: practically never
        content = ballot_content(ballot)
        self.session.add(
            PendingBallotRow(
                receipt=receipt,
                process_id=process_id,
                kind=ballot.kind,
                content=content,
                channel=channel,
                site_id=site_id,
                cast_on=cast_on,
            )
        )
        self.session.flush()
        return receipt

    def list_for_process(self, process_id: int) -> list[StoredBallot]:
        """Every ballot of the process, mixed or pending, in receipt order."""
        mixed = [_stored(r) for r in self._of_process(BallotRow, process_id)]
        pending = [_stored(r) for r in self._of_process(PendingBallotRow, process_id)]
        return sorted(mixed + pending, key=lambda b: b.receipt)

    def _of_process(self, table: type[Row], process_id: int) -> Sequence[Row]:
        query = select(table).where(table.process_id == process_id).order_by(table.receipt)
        return self.session.scalars(query).all()

    def get(self, receipt: str) -> StoredBallot | None:
        row = self.session.get(BallotRow, receipt) or self.session.get(PendingBallotRow, receipt)
        return None if row is None else _stored(row)

    def count(self, process_id: int) -> int:
        return sum(
            int(self.session.scalar(
                select(func.count()).select_from(table).where(table.process_id == process_id)
            ) or 0)
            for table in TABLES
        )  # fmt: skip

    def count_by_channel_site(self, process_id: int) -> dict[tuple[Channel, int | None], int]:
        """How many ballots per (channel, site) — the tally's check against the paper boxes."""
        counts: dict[tuple[Channel, int | None], int] = {}
        for table in TABLES:
            rows = self.session.execute(
                select(table.channel, table.site_id, func.count())
                .where(table.process_id == process_id)
                .group_by(table.channel, table.site_id)
            )
            for c, s, n in rows:
                key = (parse_channel(c), s)
                counts[key] = counts.get(key, 0) + int(n)
        return counts

    # -- mixing

    def pending(self, process_id: int) -> list[StoredBallot]:
        """The process's ballots not mixed yet, in receipt order."""
        return [_stored(r) for r in self._of_process(PendingBallotRow, process_id)]

    def pending_counts(self) -> dict[int, int]:
        """Pending ballots per process (processes with none are left out)."""
        rows = self.session.execute(
            select(PendingBallotRow.process_id, func.count()).group_by(PendingBallotRow.process_id)
        )
        return {int(p): int(n) for p, n in rows}

    def is_pending(self, receipt: str) -> bool:
        return self.session.get(PendingBallotRow, receipt) is not None

    def settle(self, batch: Sequence[StoredBallot]) -> int:
        """Move pending ballots into `ballots`, inserted in the order given (the caller's
        shuffle: the rows' physical order), then delete them from the pending table; how many
        pending rows were deleted (fewer than given: another mixer took some first)."""
        if not batch:
            return 0
        receipts = [b.receipt for b in batch]
        gone = self.session.execute(
            delete(PendingBallotRow).where(PendingBallotRow.receipt.in_(receipts))
        )
        moved = int(gone.rowcount) if isinstance(gone, CursorResult) else 0
        if moved != len(batch):
            return moved
        self.session.execute(insert(BallotRow), [_columns(b) for b in batch])
        return moved

    def reclaim(self) -> None:
        """After a mix or a sealed panel round (outside its transaction): PostgreSQL's VACUUM,
        so that the dead rows of the pending ballots (and of unsealed panel ballots) are pruned
        and their space reused (`ballots` only ever gets inserts: nothing to prune there).
        SQLite deletes with `secure_delete` on (see `engine`): nothing to do."""
        engine = self.session.get_bind()
        if engine.dialect.name != "postgresql" or not isinstance(engine, Engine):
            return
        with engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql("VACUUM pending_ballots, panel_ballots")


Row = TypeVar("Row", BallotRow, PendingBallotRow)
TABLES: Final = (BallotRow, PendingBallotRow)


def _columns(b: StoredBallot) -> dict[str, object]:
    return {
        "receipt": b.receipt,
        "process_id": b.process_id,
        "kind": b.ballot.kind,
        "content": ballot_content(b.ballot),
        "channel": b.channel,
        "site_id": b.site_id,
        "cast_on": b.cast_on,
    }
