"""Tables of citizen panel sessions: sessions, members (a label and a code hash), rounds,
the members' latest ballot per round, and the evaluations of residents and members.

A member row keeps the label the facilitator gave (a pool id or a name) and the SHA-256 of
the member's personal code; a panel ballot row names the member only by the member row's id,
so that a member can change it until the round closes. Nothing published joins the two: the
projector and the results read counts and contents only. Evaluations keep answers, a language
and a day, nothing naming the respondent. Migration 0006 creates these tables; 0008 adds the
voided member codes (a reissued code's predecessor, refused with its own message) and the
receipt that seals a ballot in the audit log when its round closes; 0010 lets a sealed ballot
drop its member: when a round closes its ballots are rewritten in shuffled order, each with
its receipt and without its member.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from vilco_core.store.tables import Base, owned_by, utcnow


class PanelSessionRow(Base):
    __tablename__ = "panel_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_on: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(60))
    # the panel's recommendation, once finalised: the round, its rule and the projects selected
    final_round_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_rule: Mapped[str | None] = mapped_column(String(16), nullable=True)
    final_projects: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON refs
    finalised_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finalised_by: Mapped[str | None] = mapped_column(String(60), nullable=True)


class PanelMemberRow(Base):
    __tablename__ = "panel_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = owned_by("panel_sessions.id", index=True)
    label: Mapped[str] = mapped_column(String(120))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PanelVoidedCodeRow(Base):
    """A member code the facilitator voided when reissuing one: the hash only, never the code."""

    __tablename__ = "panel_voided_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = owned_by("panel_members.id", index=True)
    voided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PanelRoundRow(Base):
    __tablename__ = "panel_rounds"
    __table_args__ = (UniqueConstraint("session_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = owned_by("panel_sessions.id", index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    projects: Mapped[str] = mapped_column(Text)  # JSON list of project refs
    budget_cents: Mapped[int] = mapped_column(BigInteger)
    max_projects: Mapped[int | None] = mapped_column(Integer, nullable=True)
    total_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(8), default="open")  # open | closed
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PanelBallotRow(Base):
    """A member's current ballot in a round: replaced (never added) when they change it."""

    __tablename__ = "panel_ballots"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = owned_by("panel_rounds.id", index=True)
    # None once the round is sealed: a sealed ballot names no member (migration 0010)
    member_id: Mapped[int | None] = owned_by("panel_members.id", nullable=True)
    content: Mapped[str] = mapped_column(Text)  # JSON {"kind", "projects", "points"}
    version: Mapped[int] = mapped_column(Integer, default=1)
    # set when the round closes: the random receipt of the ballot's audit entry (migration 0008)
    receipt: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True, index=True)


class EvaluationRow(Base):
    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("panel_sessions.id", ondelete="SET NULL"), nullable=True
    )
    scope: Mapped[str] = mapped_column(String(8))  # round | session | process
    respondent: Mapped[str] = mapped_column(String(8))  # member | resident
    language: Mapped[str] = mapped_column(String(2))
    q1: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    q2: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    q3: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    q4: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[dt.date] = mapped_column(Date)
    # one evaluation per person: a salted hash of the member's code or of the resident's browser
    # session token, never the code (migration 0008)
    respondent_key: Mapped[str | None] = mapped_column(
        String(64), nullable=True, unique=True, index=True
    )
