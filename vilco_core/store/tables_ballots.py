"""The ballots tables (migrations 0002 and 0010): anonymous ballots, one row each.

A row holds what was voted (canonical JSON of project refs and points), how (channel, site) and
the day — a date, never a time — plus a random receipt that is also the primary key. There is
deliberately no sequential id: an auto-increment number orders ballots by arrival, which is a
clock, and a clock could match a ballot to the person seen voting at a stand. Nothing here names
a voter or a voting code.

A ballot is first written to `pending_ballots`, in the transaction that spends its code (so
it is never lost and its receipt is shown at once); that row shares the spend's transaction
(PostgreSQL's `xmin`) and its place in the file. The mixer (`services.audit.mix_pending`) later
moves a batch of pending ballots into `ballots` in a new transaction, in shuffled order, and
deletes them from `pending_ballots`: a mixed ballot's row tells no more than its batch.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vilco_core.store.tables import Base, owned_by


class BallotRow(Base):
    __tablename__ = "ballots"
    receipt: Mapped[str] = mapped_column(String(16), primary_key=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    kind: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), nullable=True
    )
    cast_on: Mapped[dt.date] = mapped_column(Date)


class PendingBallotRow(Base):
    """A ballot cast but not mixed yet: the same columns as `ballots`."""

    __tablename__ = "pending_ballots"
    receipt: Mapped[str] = mapped_column(String(16), primary_key=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    kind: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), nullable=True
    )
    cast_on: Mapped[dt.date] = mapped_column(Date)
