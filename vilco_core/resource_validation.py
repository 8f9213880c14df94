"""Validation of shared resources and booking requests: every problem, each a `VilcoError`.

Also the text form of opening hours that forms and the CSV import share:
`"mon-fri 09:00-22:00; sat 10:00-16:00"` (days `mon`…`sun`, a range `mon-fri` or a list
`mon,wed`; several periods of one day are allowed).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from vilco_core.communes import COMMUNES_BY_CODE, in_brussels
from vilco_core.errors import VilcoError
from vilco_core.model import LocalText
from vilco_core.resources import (
    MAX_WEEKS,
    SCORE_RANGE,
    Availability,
    BookingRequest,
    OpeningHours,
    Resource,
    ResourceKind,
)
from vilco_core.signatures import MAX_EMAIL
from vilco_core.validation import _local_text, _text

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_QUANTITY: Final = 100_000
MAX_NAME: Final = 200
MAX_BOOKING_MINUTES: Final = 14 * 24 * 60  # garage items may go out for two weeks
MAX_LONG: Final = 4000
_EMAIL: Final = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_PERIOD: Final = re.compile(r"^([a-z,\-]+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$")


def parse_hours(text: str) -> tuple[OpeningHours, ...] | None:
    """`"mon-fri 09:00-22:00; sat 10:00-16:00"` as opening hours; None when it does not parse
    or a period closes before it opens."""
    hours: list[OpeningHours] = []
    for part in filter(None, (p.strip().lower() for p in text.split(";"))):
        found = _PERIOD.match(part)
        days = _days(found.group(1)) if found else None
        if found is None or days is None:
            return None
        try:
            opens, closes = (dt.time.fromisoformat(found.group(i).zfill(5)) for i in (2, 3))
        except ValueError:
            return None
        if closes <= opens:
            return None
        hours += [OpeningHours(weekday=d, opens=opens, closes=closes) for d in days]
    return tuple(sorted(hours, key=lambda h: (h.weekday, h.opens)))


def _days(text: str) -> list[int] | None:
    days: list[int] = []
    for item in text.split(","):
        first, _, last = item.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            return None
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            return None
        days += range(start, end + 1)
    return days


def hours_text(hours: tuple[OpeningHours, ...]) -> str:
    """The text `parse_hours` reads back, consecutive days with the same periods as a range:
    `mon-fri 09:00-22:00; sat 10:00-16:00`."""
    by_day: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
    for h in sorted(hours, key=lambda h: (h.weekday, h.opens)):
        by_day[h.weekday] = (*by_day.get(h.weekday, ()), (h.opens, h.closes))
    runs: list[tuple[int, int, tuple[tuple[dt.time, dt.time], ...]]] = []
    for day in sorted(by_day):
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == by_day[day]:
            runs[-1] = (runs[-1][0], day, by_day[day])
        else:
            runs.append((day, day, by_day[day]))
    return "; ".join(
        f"{DAYS[first]}{'' if first == last else '-' + DAYS[last]} "
        f"{opens.strftime('%H:%M')}-{closes.strftime('%H:%M')}"
        for first, last, periods in runs
        for opens, closes in periods
    )


def validate_availability(a: Availability, **where: object) -> list[VilcoError]:
    problems = []
    if not 15 <= a.min_minutes <= a.max_minutes <= MAX_BOOKING_MINUTES:
        problems.append(VilcoError("resources.bad_lengths", **where))
    if not 0 <= a.buffer_minutes <= 24 * 60:
        problems.append(VilcoError("resources.bad_buffer", **where))
    if not 1 <= a.horizon_days <= 730:
        problems.append(VilcoError("resources.bad_horizon", **where))
    if any(h.closes <= h.opens or not 0 <= h.weekday <= 6 for h in a.hours):
        problems.append(VilcoError("resources.bad_hours", **where))
    if any(c.ends_on < c.starts_on for c in a.closures):
        problems.append(VilcoError("resources.bad_closure", **where))
    return problems


def validate_resource(r: Resource, **where: object) -> list[VilcoError]:
    problems = _local_text(r.name, "name", MAX_NAME, **where)
    for text, field in ((r.description, "description"), (r.rules, "rules")):
        problems += _optional(text, field, **where)
    for text, field in ((r.accessibility, "accessibility"), (r.conditions, "conditions")):
        problems += _optional(text, field, **where)
    problems += _optional(r.access_instructions, "access_instructions", **where)
    if r.commune_code not in COMMUNES_BY_CODE:
        problems.append(VilcoError("errors.unknown_commune", commune=r.commune_code, **where))
    problems += _text(r.address, "address", 300, required=r.kind is ResourceKind.SPACE, **where)
    problems += _text(r.pickup_place, "pickup_place", 300, required=False, **where)
    if r.kind is ResourceKind.SPACE:
        if r.lat is None or r.lon is None or not in_brussels(r.lat, r.lon):
            problems.append(VilcoError("errors.outside_brussels", lat=r.lat, lon=r.lon, **where))
        if r.quantity != 1:
            problems.append(VilcoError("resources.space_quantity", **where))
    if not 1 <= r.quantity <= MAX_QUANTITY:
        problems.append(VilcoError("resources.bad_quantity", limit=MAX_QUANTITY, **where))
    if not 0 <= r.capacity <= MAX_QUANTITY:
        problems.append(VilcoError("resources.bad_capacity", **where))
    return problems + validate_availability(r.availability, **where)


def _optional(text: LocalText, field: str, **where: object) -> list[VilcoError]:
    return [
        VilcoError("errors.field_too_long", field=f"{field}_{lang}", limit=MAX_LONG, **where)
        for lang, value in text.texts
        if len(value) > MAX_LONG
    ]


def validate_request(request: BookingRequest, resource: Resource) -> list[VilcoError]:
    """What is wrong with a request whatever is booked (times are checked by `slot_problem`)."""
    problems = _text(request.initiative, "initiative", MAX_NAME, required=True)
    if len(request.email) > MAX_EMAIL or not _EMAIL.match(request.email):
        problems.append(VilcoError("resources.bad_email"))
    problems += _text(request.purpose, "purpose", MAX_LONG, required=False)
    if not 1 <= request.weeks <= MAX_WEEKS:
        problems.append(VilcoError("resources.bad_weeks", limit=MAX_WEEKS))
    if resource.kind is ResourceKind.ITEM and not 1 <= request.quantity <= resource.quantity:
        problems.append(VilcoError("resources.bad_request_quantity", stock=resource.quantity))
    if resource.kind is ResourceKind.SPACE and request.quantity != 1:
        problems.append(VilcoError("resources.space_quantity"))
    if request.attendees < 0 or (0 < resource.capacity < request.attendees):
        problems.append(VilcoError("resources.too_many_people", capacity=resource.capacity))
    return problems


def validate_scores(*scores: int) -> list[VilcoError]:
    if all(s in SCORE_RANGE for s in scores):
        return []
    return [VilcoError("resources.bad_score")]
