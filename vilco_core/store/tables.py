"""SQLAlchemy 2 typed tables. Rows stay inside the store; repositories return domain values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def owned_by(parent: str, **options: Any) -> MappedColumn[Any]:
    """A key to `parent` ("table.column"): the row goes when its parent row goes."""
    return mapped_column(ForeignKey(parent, ondelete="CASCADE"), **options)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CommuneRow(Base):
    __tablename__ = "communes"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)  # {language: text} (migration 0009)
    postcodes: Mapped[str] = mapped_column(String(80))  # space-separated
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class ProcessRow(Base):
    __tablename__ = "processes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)  # {language: text} (migration 0009)
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    envelope_cents: Mapped[int] = mapped_column(BigInteger)
    rolling: Mapped[bool] = mapped_column(Boolean, default=False)
    rule: Mapped[str] = mapped_column(String(40), default="greedy")
    signature_threshold: Mapped[int] = mapped_column(Integer, default=0)
    signature_mode: Mapped[str] = mapped_column(String(12), default="code")  # migration 0012
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the ballot residents fill in (migration 0002); NULL limits do not apply
    ballot_kind: Mapped[str] = mapped_column(String(16), default="approval")
    ballot_min_projects: Mapped[int] = mapped_column(Integer, default=1)
    ballot_max_projects: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ballot_budget_cents: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    ballot_min_share: Mapped[str | None] = mapped_column(String(40), nullable=True)  # "1/2"
    ballot_total_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ballot_max_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # the hash of the settings locked when the vote opened (`vilco_core.locking`, migration 0011)
    locked_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # envelopes (migration 0015): the supporters a project needs, district leftovers to the city
    min_supporters: Mapped[int] = mapped_column(Integer, default=1)
    leftover_to_city: Mapped[bool] = mapped_column(Boolean, default=False)


class CommuneLink:
    """The commune half of a link table's key."""

    commune_code: Mapped[str] = mapped_column(ForeignKey("communes.code"), primary_key=True)


class ProcessItem:
    """One of a process's own rows (sub-budgets, projects, sites): its id and its process."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id")


class ProcessCommuneRow(Base, CommuneLink):
    __tablename__ = "process_communes"
    process_id: Mapped[int] = owned_by("processes.id", primary_key=True)


class SubBudgetRow(Base, ProcessItem):
    __tablename__ = "sub_budgets"
    __table_args__ = (UniqueConstraint("process_id", "key"),)
    key: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[dict[str, str]] = mapped_column(JSON)  # {language: text} (migration 0009)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    min_supporters: Mapped[int | None] = mapped_column(Integer, nullable=True)  # migration 0015


class PhaseRow(Base):
    __tablename__ = "phases"
    process_id: Mapped[int] = owned_by("processes.id", primary_key=True)
    phase: Mapped[str] = mapped_column(String(20), primary_key=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)


class ProjectRow(Base, ProcessItem):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("process_id", "ref"),)
    ref: Mapped[str] = mapped_column(String(40))
    title: Mapped[dict[str, str]] = mapped_column(JSON)  # {language: text} (migration 0009)
    description: Mapped[dict[str, str]] = mapped_column(JSON)
    cost_cents: Mapped[int] = mapped_column(BigInteger)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    district: Mapped[str] = mapped_column(String(80), default="")
    theme: Mapped[str] = mapped_column(String(80), default="")
    initiative: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16))
    withdrawn_reason: Mapped[str] = mapped_column(String(500), default="")  # migration 0011
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SiteRow(Base, ProcessItem):
    __tablename__ = "sites"
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class StaffUserRow(Base):
    __tablename__ = "staff_users"
    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(100))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffUserCommuneRow(Base, CommuneLink):
    __tablename__ = "staff_user_communes"
    username: Mapped[str] = owned_by("staff_users.username", primary_key=True)


class DrawRow(Base):
    """A draw by lot: the published lottery, then (once) the seed and the panel it drew."""

    __tablename__ = "draws"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = owned_by("processes.id", index=True)
    title: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    alternates_count: Mapped[int] = mapped_column(Integer)
    pool_csv: Mapped[str] = mapped_column(Text)  # id + quota features only: no contacts
    quotas_csv: Mapped[str] = mapped_column(Text)
    lottery: Mapped[bytes] = mapped_column(LargeBinary)
    lottery_sha256: Mapped[str] = mapped_column(String(64))
    pool_sha256: Mapped[str] = mapped_column(String(64))
    quotas_sha256: Mapped[str] = mapped_column(String(64))
    vilco_version: Mapped[str] = mapped_column(String(20))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(60))
    seed: Mapped[str | None] = mapped_column(String(200), nullable=True)
    panel: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of ids
    alternates: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of ids, in order
    witnesses: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of names
    drawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    drawn_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
