"""The in-memory resources and bookings repositories of `fakes.FakeUnitOfWork`, with the store's
semantics: ids from 1, bookings ordered by start then id, times kept in UTC, and the database's
refusals (a confirmed overlap on a space, an item's stock exceeded) raised as `SlotTaken`.

Their tables live in the fake's `Tables.resources`, so they commit and roll back with the rest.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from vilco_core.resources import (
    Booking,
    BookingEvaluation,
    BookingStatus,
    PremisesNote,
    Resource,
    ResourceKind,
    SlotTaken,
    blocks_until,
    peak_quantity,
)


@dataclass(slots=True)
class ResourceTables:
    last_ids: dict[str, int] = field(default_factory=dict)
    resources: dict[int, Resource] = field(default_factory=dict)
    bookings: dict[int, tuple[Booking, str]] = field(default_factory=dict)  # (booking, hash)
    notes: dict[int, PremisesNote] = field(default_factory=dict)
    evaluations: list[BookingEvaluation] = field(default_factory=list)

    def snapshot(self) -> ResourceTables:
        return ResourceTables(**{n: copy.copy(getattr(self, n)) for n in self.__slots__})

    def new_id(self, table: str) -> int:
        self.last_ids[table] = self.last_ids.get(table, 0) + 1
        return self.last_ids[table]


class FakeResources:
    def __init__(self, tables: Callable[[], ResourceTables]) -> None:
        self._tables = tables

    def add(self, resource: Resource) -> int:
        new = self._tables().new_id("resources")
        self._tables().resources[new] = replace(resource, id=new)
        return new

    def update(self, resource: Resource) -> None:
        if resource.id in self._tables().resources:
            self._tables().resources[resource.id] = resource

    def get(self, resource_id: int) -> Resource | None:
        return self._tables().resources.get(resource_id)

    def list(self) -> list[Resource]:
        return [r for _, r in sorted(self._tables().resources.items())]

    def lock(self, resource_id: int) -> None:
        """One thread at a time in the fake: nothing to lock."""


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(dt.UTC)


def _stored(booking: Booking) -> Booking:
    return replace(
        booking,
        starts_at=booking.starts_at.astimezone(dt.UTC),
        ends_at=booking.ends_at.astimezone(dt.UTC),
        created_at=_utc(booking.created_at),
        decided_at=_utc(booking.decided_at),
        handed_at=_utc(booking.handed_at),
        returned_at=_utc(booking.returned_at),
    )


_MUTABLE = (
    *("status", "decided_by", "decided_at", "decision_note"),
    *("handed_at", "handed_by", "returned_at", "returned_by"),
)


class FakeBookings:
    def __init__(self, tables: Callable[[], ResourceTables]) -> None:
        self._tables = tables

    def _check(self, booking: Booking) -> None:
        """What migration 0014's constraint and triggers refuse."""
        if booking.status is not BookingStatus.CONFIRMED:
            return
        resource = self._tables().resources[booking.resource_id]
        buffer = blocks_until(resource, booking.ends_at) - booking.ends_at
        others = [
            b
            for b, _ in self._tables().bookings.values()
            if b.resource_id == booking.resource_id
            and b.status is BookingStatus.CONFIRMED
            and b.id != booking.id
        ]
        stock = resource.quantity if resource.kind is ResourceKind.ITEM else 1
        peak = peak_quantity(others, booking.starts_at, booking.ends_at, buffer)
        taken = booking.quantity if resource.kind is ResourceKind.ITEM else 1
        if peak + taken > stock or (resource.kind is ResourceKind.SPACE and peak > 0):
            raise SlotTaken("overlap or stock")

    def add(self, booking: Booking, token_hash: str) -> int:
        new = self._tables().new_id("bookings")
        stored = _stored(replace(booking, id=new))
        self._check(stored)
        self._tables().bookings[new] = (stored, token_hash)
        return new

    def update(self, booking: Booking) -> None:
        if booking.id not in self._tables().bookings:
            return
        old, token_hash = self._tables().bookings[booking.id]
        stored = replace(
            old,
            **{name: getattr(_stored(booking), name) for name in _MUTABLE},
        )
        self._check(stored)
        self._tables().bookings[booking.id] = (stored, token_hash)

    def get(self, booking_id: int) -> Booking | None:
        found = self._tables().bookings.get(booking_id)
        return None if found is None else found[0]

    def _sorted(self, keep: Callable[[Booking, str], bool]) -> list[Booking]:
        found = [b for b, h in self._tables().bookings.values() if keep(b, h)]
        return sorted(found, key=lambda b: (b.starts_at, b.id or 0))

    def by_reference(self, reference: str) -> list[Booking]:
        return self._sorted(lambda b, _: b.reference == reference)

    def by_token(self, token_hash: str) -> list[Booking]:
        return self._sorted(lambda _, h: h == token_hash)

    def overlapping(
        self,
        resource_id: int,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        statuses: tuple[BookingStatus, ...],
    ) -> list[Booking]:
        resources = self._tables().resources

        def keep(b: Booking, _: str) -> bool:
            held_until = blocks_until(resources[b.resource_id], b.ends_at)
            return (
                b.resource_id == resource_id
                and b.status in statuses
                and b.starts_at < ends_at
                and held_until > starts_at
            )

        return self._sorted(keep)

    def every(self, resource_id: int | None = None) -> list[Booking]:
        return self._sorted(lambda b, _: resource_id is None or b.resource_id == resource_id)

    def add_note(self, note: PremisesNote) -> int:
        new = self._tables().new_id("notes")
        self._tables().notes[new] = replace(note, id=new)
        return new

    def notes(self, booking_id: int) -> list[PremisesNote]:
        return [n for _, n in sorted(self._tables().notes.items()) if n.booking_id == booking_id]

    def add_evaluation(self, evaluation: BookingEvaluation) -> None:
        if any(
            (e.booking_id, e.by) == (evaluation.booking_id, evaluation.by)
            for e in self._tables().evaluations
        ):
            raise ValueError("one evaluation per booking and side (unique constraint)")
        self._tables().evaluations.append(evaluation)

    def evaluations(self) -> list[BookingEvaluation]:
        return list(self._tables().evaluations)
