"""Copying between rows and domain values, for the columns named like the value's fields.

A repository spells out only what differs (a column stored in another form: JSON, a
`LocalText` split in three, a naive SQLite datetime); the fields stored as they are go through
`value_of` and `columns_of`, so a new field is one column and one field of the same name.
Every repository is a `Repository`: it works in the session its unit of work opened.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

V = TypeVar("V", bound="DataclassInstance")


class Repository:
    """Reads and writes one domain noun in the unit of work's open session."""

    def __init__(self, session: Session) -> None:
        self.session = session


def value_of(kind: type[V], row: object, **given: object) -> V:
    """A `kind` value whose fields are the row's attributes of the same name, except `given`."""
    read = {f.name: getattr(row, f.name) for f in fields(kind) if f.name not in given}
    return kind(**read, **given)


def columns_of(
    value: DataclassInstance, *, skip: Collection[str] = (), **given: object
) -> dict[str, object]:
    """The value's fields as a row's constructor takes them (but `skip`), plus `given`."""
    read = {f.name: getattr(value, f.name) for f in fields(value) if f.name not in skip}
    return read | given


class _Keyed(Protocol):
    @property
    def id(self) -> int: ...


def inserted_id(session: Session, row: _Keyed) -> int:
    """Add `row` and flush it: the id the database gave it."""
    session.add(row)
    session.flush()
    return row.id
