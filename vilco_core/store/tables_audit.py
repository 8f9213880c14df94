"""Tables of the audit log (migration 0007): the hash-chained entries and the chain head.

An entry holds its sequence number, its kind, its payload as canonical JSON, the hash of the
entry before it and its own hash. Ballot entries carry the receipt and the content, never a
voting code: a code's row and a ballot's entry share nothing. The head (one row, id 1) repeats
the last sequence number and hash; writers lock it (`SELECT ... FOR UPDATE` on PostgreSQL,
SQLite's `BEGIN IMMEDIATE` already serialises them) so the chain stays a line, and a deleted
last entry no longer matches it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vilco_core.store.tables import Base


class AuditEntryRow(Base):
    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHeadRow(Base):
    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
