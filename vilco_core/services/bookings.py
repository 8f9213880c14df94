"""Use cases of bookings of shared resources: an initiative's request (no account: a reference
and a secret follow link, whose SHA-256 alone is stored), staff decisions, key and item
handovers, premises notes and evaluations.

A request of several weeks stores one booking per occurrence under one reference: all are
stored, or none. A confirmed booking that would overlap another of a space, or exceed an
item's stock, is refused by the database itself (migration 0014) even when two requests race;
the use case first checks under the resource's row lock, so the refusal comes as a
`resources.SlotConflict` naming the next free slots of the same length.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vilco_core.calendars import booking_calendar
from vilco_core.errors import ValidationErrors, VilcoError, expect_found
from vilco_core.model import StaffUser
from vilco_core.resource_validation import validate_request
from vilco_core.resources import (
    Booking,
    BookingRequest,
    BookingStatus,
    Resource,
    ResourceKind,
    SlotConflict,
    SlotTaken,
    blocks_until,
    fits,
    new_reference,
    next_free_slots,
    occurrences,
    quantity_left,
    slot_problem,
)
from vilco_core.services import access
from vilco_core.services.audit import log_action
from vilco_core.unit_of_work import UnitOfWork

CONFIRMED = (BookingStatus.CONFIRMED,)


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingReceipt:
    """What an initiative gets back: the reference, the secret token of its follow link
    (`/booking?t=<token>`, shown once) and the stored occurrences."""

    reference: str
    token: str
    status: BookingStatus
    bookings: tuple[Booking, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowedRequest:
    """A request as its follow link shows it; `resource.access_instructions` is filled only
    once the booking is confirmed."""

    reference: str
    status: BookingStatus
    resource: Resource
    bookings: tuple[Booking, ...]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class _Clash(Exception):
    def __init__(self, resource: Resource, booking: Booking) -> None:
        super().__init__("clash")
        self.resource, self.booking = resource, booking


def _status_of(bookings: Sequence[Booking]) -> BookingStatus:
    """A request's status: confirmed while any occurrence is (one already begun stays
    confirmed when the rest is cancelled), else requested, cancelled, refused."""
    order = (BookingStatus.CONFIRMED, BookingStatus.REQUESTED, BookingStatus.CANCELLED)
    return next((s for s in order if any(b.status is s for b in bookings)), BookingStatus.REFUSED)


def request_booking(uow: UnitOfWork, request: BookingRequest, now: dt.datetime) -> BookingReceipt:
    """Store an initiative's request: confirmed at once for an instant resource, else
    `requested` until staff decide. `ValidationErrors` for bad input or times,
    `SlotConflict` when a slot is taken or too few items are left."""
    request = replace(
        request,
        initiative=request.initiative.strip(),
        email=request.email.strip(),
        purpose=request.purpose.strip(),
    )
    with uow:
        resource = uow.resources.get(request.resource_id)
    if resource is None or not resource.active:
        raise VilcoError("resources.not_found", id=request.resource_id)
    problems = validate_request(request, resource)
    times = occurrences(request.starts_at, request.ends_at, request.weeks)
    problems += [p for s, e in times if (p := slot_problem(resource, s, e, now)) is not None][:1]
    if problems:
        raise ValidationErrors(problems)
    token = secrets.token_urlsafe(24)
    reference = new_reference()
    status = BookingStatus.CONFIRMED if resource.instant else BookingStatus.REQUESTED
    try:
        with uow:
            uow.resources.lock(resource.id or 0)
            while uow.bookings.by_reference(reference):
                reference = new_reference()
            stored = []
            for starts_at, ends_at in times:
                booking = Booking(
                    id=None,
                    resource_id=request.resource_id,
                    reference=reference,
                    status=status,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    initiative=request.initiative,
                    email=request.email,
                    purpose=request.purpose,
                    attendees=request.attendees,
                    quantity=request.quantity,
                    created_at=now,
                )
                _check_free(uow, resource, booking)
                stored.append(replace(booking, id=_add(uow, booking, token, resource)))
            uow.commit()
    except _Clash as clash:
        raise _conflict(uow, clash, now) from None
    return BookingReceipt(reference=reference, token=token, status=status, bookings=tuple(stored))


def _check_free(uow: UnitOfWork, resource: Resource, booking: Booking) -> None:
    """`_Clash` unless the booking's quantity (1 for a space) is free over its slot and buffer,
    the booking itself aside."""
    start, end = booking.starts_at, booking.ends_at
    held = uow.bookings.overlapping(resource.id or 0, start, blocks_until(resource, end), CONFIRMED)
    others = [b for b in held if b.id is None or b.id != booking.id]
    if not fits(resource, others, start, end, booking.quantity):
        raise _Clash(resource, booking)


def _add(uow: UnitOfWork, booking: Booking, token: str, resource: Resource) -> int:
    try:
        return uow.bookings.add(booking, token_hash(token))
    except SlotTaken:
        raise _Clash(resource, booking) from None


def _conflict(uow: UnitOfWork, clash: _Clash, now: dt.datetime) -> SlotConflict:
    """The error for a taken slot: the next three free slots of the same length, and for
    items how many are left over the asked slot."""
    resource, booking = clash.resource, clash.booking
    starts_at, ends_at, quantity = booking.starts_at, booking.ends_at, booking.quantity
    horizon = now + dt.timedelta(days=resource.availability.horizon_days + 1)
    with uow:
        held = uow.bookings.overlapping(resource.id or 0, starts_at, horizon, CONFIRMED)
    others = [b for b in held if b.id is None or b.id != booking.id]
    free = next_free_slots(resource, others, starts_at, ends_at, quantity, now)
    if resource.kind is ResourceKind.ITEM:
        left = max(quantity_left(resource, others, starts_at, ends_at), 0)
        return SlotConflict("resources.not_enough", free, left=left, asked=quantity)
    return SlotConflict("resources.slot_taken", free)


def follow_booking(uow: UnitOfWork, token: str) -> FollowedRequest:
    """The request behind a follow link, and nothing else; `resources.bad_link` otherwise."""
    with uow:
        bookings = uow.bookings.by_token(token_hash(token)) if token else []
        if not bookings:
            raise VilcoError("resources.bad_link")
        resource = uow.resources.get(bookings[0].resource_id)
    assert resource is not None  # a booking's resource exists (foreign key)
    status = _status_of(bookings)
    shown = resource if status is BookingStatus.CONFIRMED else resource.public()
    return FollowedRequest(
        reference=bookings[0].reference, status=status, resource=shown, bookings=tuple(bookings)
    )


def cancel_by_token(uow: UnitOfWork, token: str, now: dt.datetime) -> FollowedRequest:
    """The initiative withdraws its request (every occurrence not yet begun)."""
    followed = follow_booking(uow, token)
    if followed.status not in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED):
        raise VilcoError("resources.not_cancellable")
    with uow:
        for booking in followed.bookings:
            if booking.starts_at > now:
                uow.bookings.update(replace(booking, status=BookingStatus.CANCELLED))
        uow.commit()
    return follow_booking(uow, token)


def booking_ics(uow: UnitOfWork, token: str, language: str) -> bytes:
    """The booker's .ics file: the confirmed occurrences with the access instructions."""
    followed = follow_booking(uow, token)
    return booking_calendar(followed.resource, followed.bookings, language)


# -- staff -------------------------------------------------------------------------------------


def list_bookings(
    uow: UnitOfWork,
    actor: StaffUser | None,
    resource_id: int | None = None,
    status: BookingStatus | None = None,
) -> list[Booking]:
    """The bookings of the resources `actor` manages (of one resource, of one status)."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        if resource_id is not None:
            access.managed_resource(uow, user, resource_id)
        managed = {r.id for r in uow.resources.list() if access.may_manage_resource(user, r)}
        found = uow.bookings.every(resource_id)
    return [b for b in found if b.resource_id in managed and (status is None or b.status is status)]


def booking_record(bookings: Sequence[Booking]) -> list[dict[str, object]]:
    """Bookings as an audit entry keeps them: no contact details."""
    return [
        {
            "id": b.id,
            "status": b.status.value,
            "starts_at": b.starts_at.isoformat(),
            "ends_at": b.ends_at.isoformat(),
            "quantity": b.quantity,
            "handed_at": b.handed_at.isoformat() if b.handed_at else None,
            "handed_by": b.handed_by,
            "returned_at": b.returned_at.isoformat() if b.returned_at else None,
            "returned_by": b.returned_by,
        }
        for b in bookings
    ]


def decide_request(
    uow: UnitOfWork,
    actor: StaffUser | None,
    reference: str,
    approve: bool,
    now: dt.datetime,
    note: str = "",
) -> list[Booking]:
    """Approve (every occurrence confirmed, or none: `SlotConflict`) or refuse a request."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    status = BookingStatus.CONFIRMED if approve else BookingStatus.REFUSED
    try:
        with uow:
            before = uow.bookings.by_reference(reference)
            if not before:
                raise VilcoError("resources.booking_not_found", reference=reference)
            resource = access.managed_resource(uow, user, before[0].resource_id)
            if _status_of(before) is not BookingStatus.REQUESTED:
                raise VilcoError("resources.already_decided", status=_status_of(before).value)
            uow.resources.lock(resource.id or 0)
            after = []
            for booking in before:
                if approve:
                    _check_free(uow, resource, booking)
                decided = replace(
                    booking,
                    status=status,
                    decided_by=user.username,
                    decided_at=now,
                    decision_note=note.strip()[:2000],
                )
                try:
                    uow.bookings.update(decided)
                except SlotTaken:
                    raise _Clash(resource, booking) from None
                after.append(decided)
            log_action(
                uow,
                user,
                "booking_" + status.value,
                reference=reference,
                resource_id=resource.id,
                before=booking_record(before),
                after=booking_record(after),
            )
            uow.commit()
    except _Clash as clash:
        raise _conflict(uow, clash, now) from None
    return after


def cancel_request(
    uow: UnitOfWork, actor: StaffUser | None, reference: str, now: dt.datetime, note: str = ""
) -> list[Booking]:
    """Staff cancel a request or a confirmed booking (occurrences not yet begun)."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        before = uow.bookings.by_reference(reference)
        if not before:
            raise VilcoError("resources.booking_not_found", reference=reference)
        access.managed_resource(uow, user, before[0].resource_id)
        after = [
            replace(
                b,
                status=BookingStatus.CANCELLED,
                decided_by=user.username,
                decided_at=now,
                decision_note=note.strip()[:2000],
            )
            if b.starts_at > now and b.status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
            else b
            for b in before
        ]
        if after == before:
            raise VilcoError("resources.not_cancellable")
        for booking in after:
            uow.bookings.update(booking)
        log_action(
            uow,
            user,
            "booking_cancelled",
            reference=reference,
            before=booking_record(before),
            after=booking_record(after),
        )
        uow.commit()
    return after


def managed_booking(uow: UnitOfWork, actor: StaffUser | None, booking_id: int) -> Booking:
    """The booking, inside the caller's open `with uow:`, when `actor` manages its resource."""
    booking = expect_found(
        uow.bookings.get(booking_id), "resources.booking_not_found", reference=booking_id
    )
    access.managed_resource(uow, actor, booking.resource_id)
    return booking
