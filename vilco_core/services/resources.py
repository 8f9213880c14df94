"""Use cases of shared resources (a commune's spaces and its garage items): list and read them,
their agenda and calendar feeds (public), save and import them (admins, and agents for their
communes). Bookings are `services.bookings`.

What the public sees of a resource never holds its access instructions (`Resource.public`);
the agenda shows free, pending and taken slots, never who booked.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from vilco_core.calendars import feed_signature, feed_signature_matches, space_calendar
from vilco_core.errors import ValidationErrors, VilcoError, expect_found
from vilco_core.model import StaffUser
from vilco_core.resource_csv import parse_resources_csv
from vilco_core.resource_validation import validate_resource
from vilco_core.resources import (
    BRUSSELS,
    BookingStatus,
    Resource,
    ResourceKind,
    Slot,
    availability_json,
    day_agenda,
    held_peak,
    merge_slots,
)
from vilco_core.services import access
from vilco_core.services.audit import log_action
from vilco_core.unit_of_work import UnitOfWork

MAX_AGENDA_DAYS: Final = 62
_HELD: Final = (BookingStatus.CONFIRMED, BookingStatus.REQUESTED)


def list_resources(uow: UnitOfWork, kind: ResourceKind | None = None) -> list[Resource]:
    """Active resources as the public sees them (no access instructions), by id."""
    with uow:
        found = uow.resources.list()
    return [r.public() for r in found if r.active and (kind is None or r.kind is kind)]


def get_resource(uow: UnitOfWork, resource_id: int) -> Resource:
    """An active resource as the public sees it; `resources.not_found` otherwise."""
    with uow:
        found = uow.resources.get(resource_id)
    if found is None or not found.active:
        raise VilcoError("resources.not_found", id=resource_id)
    return found.public()


def list_managed_resources(uow: UnitOfWork, actor: StaffUser | None) -> list[Resource]:
    """Every resource `actor` manages (active or not), whole; none for anyone else."""
    if actor is None:
        return []
    with uow:
        found = uow.resources.list()
    return [r for r in found if access.may_manage_resource(actor, r)]


def get_managed_resource(uow: UnitOfWork, actor: StaffUser | None, resource_id: int) -> Resource:
    with uow:
        return access.managed_resource(uow, actor, resource_id)


def resource_record(resource: Resource | None) -> dict[str, object] | None:
    """A resource as an audit entry keeps it (JSON)."""
    if resource is None:
        return None
    texts = ("name", "description", "accessibility", "rules", "access_instructions", "conditions")
    return {
        "id": resource.id,
        "kind": resource.kind.value,
        "commune_code": resource.commune_code,
        "instant": resource.instant,
        "quantity": resource.quantity,
        "address": resource.address,
        "lat": resource.lat,
        "lon": resource.lon,
        "capacity": resource.capacity,
        "pickup_place": resource.pickup_place,
        "pictures": list(resource.pictures),
        "active": resource.active,
        "availability": availability_json(resource.availability),
        **{name: getattr(resource, name).as_dict() for name in texts},
    }


def save_resource(
    uow: UnitOfWork,
    actor: StaffUser | None,
    resource: Resource,
    now: dt.datetime | None = None,
) -> int:
    """Create (`id=None`) or update a resource; admins anywhere, agents in their communes. A
    stored resource keeps its kind, and an item's stock never drops below what confirmed
    bookings still hold after `now` (default: the clock)."""
    access.require(actor, *access.RESOURCE_MANAGERS)
    problems = validate_resource(resource)
    if problems:
        raise ValidationErrors(problems)
    with uow:
        before = access.saved_resource(uow, actor, resource)
        if before is not None:
            problems = _change_problems(uow, before, resource, now or dt.datetime.now(dt.UTC))
            if problems:
                raise ValidationErrors(problems)
        if resource.id is None:
            resource_id = uow.resources.add(resource)
        else:
            uow.resources.update(resource)
            resource_id = resource.id
        after = expect_found(uow.resources.get(resource_id), "resources.not_found", id=resource_id)
        log_action(
            uow,
            actor,
            "resource_saved",
            resource_id=resource_id,
            before=resource_record(before),
            after=resource_record(after),
        )
        uow.commit()
    return resource_id


def _change_problems(
    uow: UnitOfWork, before: Resource, after: Resource, now: dt.datetime
) -> list[VilcoError]:
    if before.kind is not after.kind:
        return [VilcoError("resources.kind_fixed")]
    if after.quantity >= before.quantity:
        return []
    held = uow.bookings.overlapping(before.id or 0, now, dt.datetime.max.replace(tzinfo=dt.UTC),
                                    (BookingStatus.CONFIRMED,))  # fmt: skip
    buffer = dt.timedelta(minutes=before.availability.buffer_minutes)
    until = max((b.ends_at + buffer for b in held), default=now)
    booked = held_peak(held, now, until, buffer)
    if after.quantity < booked:
        return [VilcoError("resources.stock_below_booked", booked=booked)]
    return []


def import_resources_csv(uow: UnitOfWork, actor: StaffUser | None, data: bytes) -> list[int]:
    """Every row of the CSV as a new resource, or `ValidationErrors` naming each bad row (and
    nothing saved); an agent only in their communes."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    parsed = parse_resources_csv(data)
    refused = [
        VilcoError("resources.import_forbidden", row=row, commune=r.commune_code)
        for row, r in parsed
        if not access.may_manage_resource(user, r)
    ]
    if refused:
        raise ValidationErrors(refused)
    with uow:
        ids = [uow.resources.add(r) for _, r in parsed]
        for resource_id in ids:
            after = uow.resources.get(resource_id)
            log_action(
                uow,
                actor,
                "resource_saved",
                resource_id=resource_id,
                before=None,
                after=resource_record(after),
            )
        uow.commit()
    return ids


def agenda(
    uow: UnitOfWork, resource_id: int, first_day: dt.date, days: int, now: dt.datetime
) -> list[Slot]:
    """The free, pending and taken slots of `days` days from `first_day` (Brussels dates),
    adjacent cells of one state merged; nobody's name."""
    resource = get_resource(uow, resource_id)
    days = max(1, min(days, MAX_AGENDA_DAYS))
    start = dt.datetime.combine(first_day, dt.time(), BRUSSELS)
    end = dt.datetime.combine(first_day + dt.timedelta(days=days), dt.time(), BRUSSELS)
    with uow:
        held = uow.bookings.overlapping(resource_id, start, end, _HELD)
    cells = [
        cell
        for i in range(days)
        for cell in day_agenda(resource, held, first_day + dt.timedelta(days=i), now)
    ]
    return merge_slots(cells)


def public_calendar(uow: UnitOfWork, resource_id: int, language: str) -> bytes:
    """The space's public .ics feed: confirmed bookings as "Booked", naming nobody."""
    resource = get_resource(uow, resource_id)
    with uow:
        bookings = uow.bookings.every(resource_id)
    return space_calendar(resource, bookings, language)


def staff_calendar(
    uow: UnitOfWork, actor: StaffUser | None, resource_id: int, language: str
) -> bytes:
    """The .ics feed for the resource's agents: each event names the initiative."""
    with uow:
        resource = access.managed_resource(uow, actor, resource_id)
        bookings = uow.bookings.every(resource_id)
    return space_calendar(resource, bookings, language, staff=True)


def staff_feed_signature(
    uow: UnitOfWork, actor: StaffUser | None, resource_id: int, key: bytes
) -> str:
    """The secret of the resource's staff feed URL, for the staff who manage it."""
    with uow:
        access.managed_resource(uow, actor, resource_id)
    return feed_signature(resource_id, key)


def staff_feed(
    uow: UnitOfWork, resource_id: int, signature: str, key: bytes, language: str
) -> bytes:
    """The staff .ics feed of a subscribed calendar (no login: the URL's signature is the
    credential); `resources.bad_link` when the signature does not match or no key is set."""
    if not feed_signature_matches(resource_id, key, signature):
        raise VilcoError("resources.bad_link")
    with uow:
        resource = expect_found(
            uow.resources.get(resource_id), "resources.not_found", id=resource_id
        )
        bookings = uow.bookings.every(resource_id)
    return space_calendar(resource, bookings, language, staff=True)
