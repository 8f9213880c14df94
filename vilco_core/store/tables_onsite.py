"""Tables of on-site voting: code batches, one-time codes, support signatures, paper-entry log,
and the attempts the rate limits of the support form count.

The code table keeps a hash and a state, never the code, a time or anything naming a ballot;
the paper-entry log names the poll officer and the time of a batch of entries, never a code
or a ballot. Migration 0004 creates these tables; 0012 adds the purpose of a code batch (vote
or support), how a signature was confirmed and its state, and `rate_attempts`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from vilco_core.store.tables import Base, owned_by, utcnow


class CodeBatchRow(Base):
    __tablename__ = "code_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(60))
    purpose: Mapped[str] = mapped_column(String(8), default="vote")  # or "support"


class VoteCodeRow(Base):
    """One code: its SHA-256 and whether it is unused, spent or void. Nothing else."""

    __tablename__ = "vote_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    batch_id: Mapped[int] = owned_by("code_batches.id", index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(8), default="unused")


NOT_PENDING = "state != 'pending'"


class SignatureRow(Base):
    """A signature; `source_key` (`code:<code hash>` or `email:<address hash>`) signs a project
    once; `token_hash` is the SHA-256 of a pending e-mail link's secret."""

    __tablename__ = "signatures"
    __table_args__ = (
        # one person per project, pending e-mail requests aside: a script cannot block a
        # resident's name with requests it never confirms
        Index(
            "uq_signatures_person",
            "project_id",
            "name_key",
            "postcode",
            unique=True,
            sqlite_where=text(NOT_PENDING),
            postgresql_where=text(NOT_PENDING),
        ),
        Index("ix_signatures_source", "project_id", "source_key", unique=True),
        Index("ix_signatures_token", "token_hash", unique=True),
    )
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
    mode: Mapped[str] = mapped_column(String(12), default="unverified")
    state: Mapped[str] = mapped_column(String(8), default="valid")
    source_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    struck_reason: Mapped[str] = mapped_column(String(200), default="")


class AttemptRow(Base):
    """How many attempts a source (the SHA-256 of a session, an address, a code or an e-mail,
    with the limit's name) made in one period of its limit; every replica shares the counts."""

    __tablename__ = "rate_attempts"
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # its start, Unix seconds
    attempts: Mapped[int] = mapped_column(Integer, default=0)


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
