"""The ballots repository: anonymous ballots in, anonymous ballots out.

`add` stores one ballot with a fresh random receipt and returns it; the content is canonical
JSON (`{"points": [...], "projects": [...]}`, sorted keys, no spaces: `audit.ballot_content`),
so equal ballots are equal text. Ballots come back in receipt order, which is random: never in
arrival order. The ballot's audit entry is the caller's (`services.audit.log_ballot`, in the
same transaction).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Final

from sqlalchemy import func, select

from vilco_core.audit import ballot_content
from vilco_core.ballots import BALLOT_KINDS, Ballot, BallotKind
from vilco_core.model import Channel, StoredBallot, parse_channel
from vilco_core.store.rows import Repository
from vilco_core.store.tables_ballots import BallotRow

RECEIPT_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
RECEIPT_LENGTH: Final = 10  # 50 bits


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def ballot_kind(value: str) -> BallotKind:
    for kind in BALLOT_KINDS:
        if kind == value:
            return kind
    raise ValueError(value)


def _stored(row: BallotRow) -> StoredBallot:
    data = json.loads(row.content)
    ballot = Ballot(
        kind=ballot_kind(row.kind),
        project_ids=tuple(str(p) for p in data["projects"]),
        points=tuple(int(x) for x in data.get("points", ())),
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
        """Store one (already validated) ballot; returns its receipt."""
        receipt = new_receipt()
        while self.session.get(BallotRow, receipt) is not None:  # 50 bits: practically never
            receipt = new_receipt()
        content = ballot_content(ballot)
        self.session.add(
            BallotRow(
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
        rows = self.session.scalars(
            select(BallotRow).where(BallotRow.process_id == process_id).order_by(BallotRow.receipt)
        )
        return [_stored(r) for r in rows]

    def get(self, receipt: str) -> StoredBallot | None:
        row = self.session.get(BallotRow, receipt)
        return None if row is None else _stored(row)

    def count(self, process_id: int) -> int:
        query = select(func.count()).select_from(BallotRow)
        return int(self.session.scalar(query.where(BallotRow.process_id == process_id)) or 0)

    def count_by_channel_site(self, process_id: int) -> dict[tuple[Channel, int | None], int]:
        """How many ballots per (channel, site) — the tally's check against the paper boxes."""
        rows = self.session.execute(
            select(BallotRow.channel, BallotRow.site_id, func.count())
            .where(BallotRow.process_id == process_id)
            .group_by(BallotRow.channel, BallotRow.site_id)
        )
        return {(parse_channel(c), s): int(n) for c, s, n in rows}
