"""Use cases of the key (a space) or the items (the garage) of a confirmed booking: handed over
and returned, by whom and when; the returns that are overdue.

A return is overdue once the booking has ended (plus `GRACE`) and what was handed over has not
come back. Each step is a staff action in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Final

from vilco_core.errors import VilcoError
from vilco_core.model import StaffUser
from vilco_core.resources import Booking, BookingStatus
from vilco_core.services import access
from vilco_core.services.audit import log_action
from vilco_core.services.bookings import booking_record, managed_booking
from vilco_core.unit_of_work import UnitOfWork

GRACE: Final = dt.timedelta(minutes=30)


def hand_over(
    uow: UnitOfWork, actor: StaffUser | None, booking_id: int, now: dt.datetime
) -> Booking:
    """Record that the key or the items went to the initiative, now, by `actor`."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        before = managed_booking(uow, user, booking_id)
        if before.status is not BookingStatus.CONFIRMED:
            raise VilcoError("resources.not_confirmed")
        if before.handed_at is not None:
            raise VilcoError("resources.already_handed")
        after = replace(before, handed_at=now, handed_by=user.username)
        uow.bookings.update(after)
        log_action(
            uow,
            user,
            "booking_handed_over",
            reference=before.reference,
            before=booking_record([before]),
            after=booking_record([after]),
        )
        uow.commit()
    return after


def take_back(
    uow: UnitOfWork, actor: StaffUser | None, booking_id: int, now: dt.datetime
) -> Booking:
    """Record that the key or the items came back, now, received by `actor`."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        before = managed_booking(uow, user, booking_id)
        if before.handed_at is None:
            raise VilcoError("resources.not_handed")
        if before.returned_at is not None:
            raise VilcoError("resources.already_returned")
        after = replace(before, returned_at=now, returned_by=user.username)
        uow.bookings.update(after)
        log_action(
            uow,
            user,
            "booking_returned",
            reference=before.reference,
            before=booking_record([before]),
            after=booking_record([after]),
        )
        uow.commit()
    return after


def is_overdue(booking: Booking, now: dt.datetime) -> bool:
    return (
        booking.handed_at is not None
        and booking.returned_at is None
        and booking.ends_at + GRACE < now
    )


def overdue_bookings(uow: UnitOfWork, actor: StaffUser | None, now: dt.datetime) -> list[Booking]:
    """Handed over, not returned, ended more than `GRACE` ago: in the resources `actor`
    manages, the longest overdue first."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        managed = {r.id for r in uow.resources.list() if access.may_manage_resource(user, r)}
        found = uow.bookings.every()
    late = [b for b in found if b.resource_id in managed and is_overdue(b, now)]
    return sorted(late, key=lambda b: b.ends_at)
