"""The repositories of shared resources: resources (spaces, garage items) and bookings with
their premises notes and evaluations.

Times go in as UTC and come back aware (SQLite hands back naive UTC datetimes). A booking the
database refuses (a space's overlap, an item's stock; see migration 0014) becomes
`resources.SlotTaken`; the transaction is then spoilt and the caller leaves its unit of work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from vilco_core.errors import VilcoError
from vilco_core.model import LocalText
from vilco_core.resources import (
    Booking,
    BookingEvaluation,
    BookingStatus,
    Evaluator,
    Moment,
    PremisesNote,
    Resource,
    ResourceKind,
    SlotTaken,
    availability_json,
    availability_of,
)
from vilco_core.store.rows import Repository, inserted_id
from vilco_core.store.tables_resources import (
    BookingEvaluationRow,
    BookingRow,
    PremisesNoteRow,
    ResourceRow,
)

_TEXTS = ("name", "description", "accessibility", "rules", "access_instructions", "conditions")
_MOMENTS: tuple[Moment, ...] = get_args(Moment)
_EVALUATORS: tuple[Evaluator, ...] = get_args(Evaluator)


def utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _maybe_utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else utc(moment)


def _resource(row: ResourceRow) -> Resource:
    return Resource(
        id=row.id,
        kind=ResourceKind(row.kind),
        commune_code=row.commune_code,
        instant=row.instant,
        availability=availability_of(row.availability),
        quantity=row.quantity,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        capacity=row.capacity,
        pickup_place=row.pickup_place,
        pictures=tuple(row.pictures),
        active=row.active,
        **{name: LocalText.of(getattr(row, name)) for name in _TEXTS},
    )


def _resource_columns(resource: Resource) -> dict[str, Any]:
    return {
        "kind": resource.kind.value,
        "commune_code": resource.commune_code,
        "instant": resource.instant,
        "availability": availability_json(resource.availability),
        "quantity": resource.quantity,
        "address": resource.address,
        "lat": resource.lat,
        "lon": resource.lon,
        "capacity": resource.capacity,
        "pickup_place": resource.pickup_place,
        "pictures": list(resource.pictures),
        "active": resource.active,
        **{name: getattr(resource, name).as_dict() for name in _TEXTS},
    }


class ResourceRepository(Repository):
    def add(self, resource: Resource) -> int:
        return inserted_id(self.session, ResourceRow(**_resource_columns(resource)))

    def update(self, resource: Resource) -> None:
        self.session.execute(
            update(ResourceRow)
            .where(ResourceRow.id == resource.id)
            .values(**_resource_columns(resource))
        )

    def get(self, resource_id: int) -> Resource | None:
        row = self.session.get(ResourceRow, resource_id)
        return None if row is None else _resource(row)

    def list(self) -> list[Resource]:
        return [_resource(r) for r in self.session.scalars(select(ResourceRow).order_by("id"))]

    def lock(self, resource_id: int) -> None:
        # PostgreSQL: a row lock until commit; SQLite already holds the write lock (BEGIN
        # IMMEDIATE), and its dialect leaves FOR UPDATE out.
        self.session.execute(
            select(ResourceRow.id).where(ResourceRow.id == resource_id).with_for_update()
        )


_BOOKING_TIMES = ("created_at", "decided_at", "handed_at", "returned_at")


def _booking(row: BookingRow) -> Booking:
    return Booking(
        id=row.id,
        resource_id=row.resource_id,
        reference=row.reference,
        status=BookingStatus(row.status),
        starts_at=utc(row.starts_at),
        ends_at=utc(row.ends_at),
        initiative=row.initiative,
        email=row.email,
        purpose=row.purpose,
        attendees=row.attendees,
        quantity=row.quantity,
        decided_by=row.decided_by,
        decision_note=row.decision_note,
        handed_by=row.handed_by,
        returned_by=row.returned_by,
        **{name: _maybe_utc(getattr(row, name)) for name in _BOOKING_TIMES},
    )


def _mutable_columns(booking: Booking) -> dict[str, Any]:
    """What changes after a booking is made: its status, decision and handover."""
    return {
        "status": booking.status.value,
        "decided_by": booking.decided_by,
        "decided_at": _maybe_utc(booking.decided_at),
        "decision_note": booking.decision_note,
        "handed_at": _maybe_utc(booking.handed_at),
        "handed_by": booking.handed_by,
        "returned_at": _maybe_utc(booking.returned_at),
        "returned_by": booking.returned_by,
    }


class BookingRepository(Repository):
    def add(self, booking: Booking, token_hash: str) -> int:
        resource = self.session.get(ResourceRow, booking.resource_id)
        assert resource is not None  # the service read it in this transaction
        buffer = dt.timedelta(minutes=availability_of(resource.availability).buffer_minutes)
        row = BookingRow(
            resource_id=booking.resource_id,
            reference=booking.reference,
            token_hash=token_hash,
            exclusive=resource.kind == ResourceKind.SPACE.value,
            starts_at=utc(booking.starts_at),
            ends_at=utc(booking.ends_at),
            blocks_until=utc(booking.ends_at) + buffer,
            quantity=booking.quantity,
            initiative=booking.initiative,
            email=booking.email,
            purpose=booking.purpose,
            attendees=booking.attendees,
            created_at=utc(booking.created_at or dt.datetime.now(dt.UTC)),
            **_mutable_columns(booking),
        )
        try:
            return inserted_id(self.session, row)
        except (IntegrityError, DBAPIError) as error:
            raise _refused(error) from error

    def update(self, booking: Booking) -> None:
        try:
            self.session.execute(
                update(BookingRow)
                .where(BookingRow.id == booking.id)
                .values(**_mutable_columns(booking))
            )
        except (IntegrityError, DBAPIError) as error:
            raise _refused(error) from error

    def get(self, booking_id: int) -> Booking | None:
        row = self.session.get(BookingRow, booking_id)
        return None if row is None else _booking(row)

    def by_reference(self, reference: str) -> list[Booking]:
        return self._where(BookingRow.reference == reference)

    def by_token(self, token_hash: str) -> list[Booking]:
        return self._where(BookingRow.token_hash == token_hash)

    def overlapping(
        self,
        resource_id: int,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        statuses: tuple[BookingStatus, ...],
    ) -> list[Booking]:
        return self._where(
            BookingRow.resource_id == resource_id,
            BookingRow.starts_at < utc(ends_at),
            BookingRow.blocks_until > utc(starts_at),
            BookingRow.status.in_([s.value for s in statuses]),
        )

    def every(self, resource_id: int | None = None) -> list[Booking]:
        if resource_id is None:
            return self._where()
        return self._where(BookingRow.resource_id == resource_id)

    def _where(self, *conditions: Any) -> list[Booking]:
        query = select(BookingRow).where(*conditions).order_by(BookingRow.starts_at, BookingRow.id)
        return [_booking(r) for r in self.session.scalars(query)]

    def add_note(self, note: PremisesNote) -> int:
        row = PremisesNoteRow(
            booking_id=note.booking_id,
            moment=note.moment,
            author=note.author,
            text=note.text,
            photo=note.photo,
            written_at=utc(note.written_at or dt.datetime.now(dt.UTC)),
        )
        return inserted_id(self.session, row)

    def notes(self, booking_id: int) -> list[PremisesNote]:
        query = (
            select(PremisesNoteRow)
            .where(PremisesNoteRow.booking_id == booking_id)
            .order_by(PremisesNoteRow.id)
        )
        return [
            PremisesNote(
                id=r.id,
                booking_id=r.booking_id,
                moment=_MOMENTS[_MOMENTS.index(r.moment)],
                author=r.author,
                text=r.text,
                photo=r.photo,
                written_at=utc(r.written_at),
            )
            for r in self.session.scalars(query)
        ]

    def add_evaluation(self, evaluation: BookingEvaluation) -> None:
        self.session.add(
            BookingEvaluationRow(
                booking_id=evaluation.booking_id,
                by=evaluation.by,
                author=evaluation.author,
                ease_of_access=evaluation.ease_of_access,
                state=evaluation.state,
                usefulness=evaluation.usefulness,
                comment=evaluation.comment,
                written_at=utc(evaluation.written_at or dt.datetime.now(dt.UTC)),
            )
        )
        try:
            self.session.flush()
        except IntegrityError:  # one per booking and side: a second one raced the check
            raise VilcoError("resources.already_evaluated") from None

    def evaluations(self) -> list[BookingEvaluation]:
        query = select(BookingEvaluationRow).order_by(BookingEvaluationRow.id)
        return [
            BookingEvaluation(
                booking_id=r.booking_id,
                by=_EVALUATORS[_EVALUATORS.index(r.by)],
                author=r.author,
                ease_of_access=r.ease_of_access,
                state=r.state,
                usefulness=r.usefulness,
                comment=r.comment,
                written_at=utc(r.written_at),
            )
            for r in self.session.scalars(query)
        ]


def _refused(error: DBAPIError) -> Exception:
    """`SlotTaken` when the database refused an overlap or the stock, else the error itself."""
    text = str(error.orig)
    if "bookings_no_overlap" in text or "booking overlaps" in text or "exceeds the stock" in text:
        return SlotTaken(text)
    return error
