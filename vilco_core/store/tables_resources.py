"""Tables of shared resources: spaces and garage items, their bookings, premises notes and
evaluations (migration 0014).

A booking row is one occurrence; it holds `[starts_at, blocks_until)` (its end plus the
resource's buffer). The database itself refuses a double booking: on PostgreSQL an exclusion
constraint on the held ranges of a space's confirmed bookings and a trigger that locks the item
row and checks the stock; on SQLite triggers doing both checks under the write lock. The follow
token is kept only as its SHA-256.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from vilco_core.store.tables import Base, owned_by, utcnow


class ResourceRow(Base):
    __tablename__ = "resources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    commune_code: Mapped[str] = mapped_column(ForeignKey("communes.code"), index=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON)
    instant: Mapped[bool] = mapped_column(Boolean, default=False)
    availability: Mapped[dict[str, object]] = mapped_column(JSON)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    accessibility: Mapped[dict[str, str]] = mapped_column(JSON)
    rules: Mapped[dict[str, str]] = mapped_column(JSON)
    access_instructions: Mapped[dict[str, str]] = mapped_column(JSON)
    pickup_place: Mapped[str] = mapped_column(String(300), default="")
    conditions: Mapped[dict[str, str]] = mapped_column(JSON)
    pictures: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BookingRow(Base):
    __tablename__ = "bookings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resource_id: Mapped[int] = owned_by("resources.id", index=True)
    reference: Mapped[str] = mapped_column(String(16), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(12))
    exclusive: Mapped[bool] = mapped_column(Boolean)  # a space: no overlap at all
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    blocks_until: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    initiative: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    handed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    handed_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    returned_by: Mapped[str | None] = mapped_column(String(60), nullable=True)


class PremisesNoteRow(Base):
    __tablename__ = "premises_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = owned_by("bookings.id", index=True)
    moment: Mapped[str] = mapped_column(String(10))
    author: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    written_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BookingEvaluationRow(Base):
    __tablename__ = "booking_evaluations"
    __table_args__ = (UniqueConstraint("booking_id", "by"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = owned_by("bookings.id")
    by: Mapped[str] = mapped_column(String(12))
    author: Mapped[str] = mapped_column(String(60))
    ease_of_access: Mapped[int] = mapped_column(Integer)
    state: Mapped[int] = mapped_column(Integer)
    usefulness: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    written_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
