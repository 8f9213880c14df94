"""Tables of on-site voting: code batches, one-time codes, support signatures, paper-entry log.

The code table keeps a hash and a state, never the code, a time or anything naming a ballot;
the paper-entry log names the poll officer and the time of a batch of entries, never a code
or a ballot. Migration 0004 creates these tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vilco_core.store.tables import Base, owned_by, utcnow


class CodeBatchRow(Base):
    __tablename__ = "code_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(60))


class VoteCodeRow(Base):
    """One code: its SHA-256 and whether it is unused, spent or void. Nothing else."""

    __tablename__ = "vote_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    batch_id: Mapped[int] = owned_by("code_batches.id", index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(8), default="unused")


class SignatureRow(Base):
    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("project_id", "name_key", "postcode"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    project_id: Mapped[int] = owned_by("projects.id")
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(8))
    email: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(8))
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), nullable=True
    )
    signed_on: Mapped[dt.date] = mapped_column(Date)


class PaperEntryRow(Base):
    """A poll officer's batch of paper ballots typed in (`kind="entry"`, `ballots` stored), or
    a recount of the paper ballots in a site's box (`kind="recount"`, `ballots` counted)."""

    __tablename__ = "paper_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    site_id: Mapped[int] = owned_by("sites.id")
    kind: Mapped[str] = mapped_column(String(8))
    ballots: Mapped[int] = mapped_column(Integer)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    officer: Mapped[str] = mapped_column(String(60))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")
