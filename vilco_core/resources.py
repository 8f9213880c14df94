"""Shared resources lent to citizen initiatives: a commune's spaces and its resource garage.

Values: a `Resource` (a space, stock 1, or a garage item with a quantity in stock) with its
`Availability` (opening hours per weekday in Brussels time, closures, minimum and maximum
length, a buffer after each booking, a horizon), its `Booking`s (one row per occurrence; the
occurrences of one request share its reference and its follow token), check-in/check-out
`PremisesNote`s and `BookingEvaluation`s. Pure work, no clock: whether a slot may be booked
(`slot_problem`), weekly occurrences, the peak quantity booked over an interval, the next free
slots of the same length and an agenda of free and taken slots that names nobody.

Times are aware datetimes; the store keeps them in UTC; opening hours are read in Brussels time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

from vilco_core.errors import VilcoError
from vilco_core.model import LocalText
from vilco_core.typed_text import TypedText

BRUSSELS: Final = ZoneInfo("Europe/Brussels")
REFERENCE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U
REFERENCE_LENGTH: Final = 6
STEP: Final = dt.timedelta(minutes=30)  # the grid of suggested slots and agenda cells
MAX_WEEKS: Final = 13  # a quarter of weekly occurrences
SCORE_RANGE: Final = range(1, 6)
Moment = Literal["check_in", "check_out"]
Evaluator = Literal["initiative", "agent"]


class ResourceKind(StrEnum):
    SPACE = "space"  # a room lent whole: one booking at a time
    ITEM = "item"  # garage items: bookings share the quantity in stock


class BookingStatus(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningHours:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: dt.time
    closes: dt.time  # after `opens`, same day


@dataclass(frozen=True, slots=True, kw_only=True)
class Closure(TypedText):
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Availability:
    hours: tuple[OpeningHours, ...] = ()
    closures: tuple[Closure, ...] = ()
    min_minutes: int = 30
    max_minutes: int = 8 * 60
    buffer_minutes: int = 0  # kept free after each booking (cleaning, handover)
    horizon_days: int = 90  # how far ahead a booking may start


WEEKDAYS_9_TO_22: Final = Availability(
    hours=tuple(OpeningHours(weekday=d, opens=dt.time(9), closes=dt.time(22)) for d in range(5))
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource(TypedText):
    id: int | None
    kind: ResourceKind
    commune_code: str
    name: LocalText
    description: LocalText = field(default_factory=LocalText)
    instant: bool = False  # confirmed at once, without staff approval
    availability: Availability = field(default_factory=Availability)
    quantity: int = 1  # in stock; a space is 1
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    capacity: int = 0  # people (spaces)
    accessibility: LocalText = field(default_factory=LocalText)
    rules: LocalText = field(default_factory=LocalText)
    access_instructions: LocalText = field(default_factory=LocalText)  # confirmed bookers only
    pickup_place: str = ""  # items: where to collect them
    conditions: LocalText = field(default_factory=LocalText)  # items: deposit, conditions
    pictures: tuple[str, ...] = ()  # image URLs or paths under data/
    active: bool = True

    def public(self) -> Resource:
        """The resource as anyone may see it: without its access instructions."""
        return replace(self, access_instructions=LocalText())


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingRequest(TypedText):
    """What an initiative asks for; `weeks` > 1 repeats it weekly (all occurrences or none)."""

    resource_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    initiative: str
    email: str
    purpose: str = ""
    attendees: int = 0
    quantity: int = 1
    weeks: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Booking(TypedText):
    id: int | None
    resource_id: int
    reference: str  # shared by the occurrences of one request
    status: BookingStatus
    starts_at: dt.datetime
    ends_at: dt.datetime
    initiative: str
    email: str
    purpose: str = ""
    attendees: int = 0
    quantity: int = 1
    created_at: dt.datetime | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    decision_note: str = ""
    handed_at: dt.datetime | None = None
    handed_by: str | None = None
    returned_at: dt.datetime | None = None
    returned_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PremisesNote(TypedText):
    id: int | None
    booking_id: int
    moment: Moment
    author: str  # a staff username, or "initiative"
    text: str
    photo: bytes | None = None
    written_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingEvaluation(TypedText):
    booking_id: int
    by: Evaluator
    author: str
    ease_of_access: int  # 1..5
    state: int  # 1..5
    usefulness: int  # 1..5
    comment: str = ""
    written_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot:
    """An agenda cell: `free` (bookable: `left` items or the space), `taken` (fully booked),
    `pending` (a request awaits approval), never who booked."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    state: Literal["free", "taken", "pending"]
    left: int = 1


class SlotTaken(Exception):
    """The database refused a confirmed booking: the slot or the stock is taken."""


class SlotConflict(VilcoError):
    """`resources.slot_taken` (a space) or `resources.not_enough` (items; `left` in params),
    with the next free slots of the same length: `free`, and as text in `params["next"]`."""

    def __init__(
        self, code: str, free: Sequence[tuple[dt.datetime, dt.datetime]], **params: object
    ) -> None:
        super().__init__(code, next=slots_text(free), **params)
        self.free = tuple(free)


def slots_text(slots: Sequence[tuple[dt.datetime, dt.datetime]]) -> str:
    """`2027-03-11 10:00–12:00, …` in Brussels time; "–" for none."""
    return (
        ", ".join(
            f"{s.astimezone(BRUSSELS):%Y-%m-%d %H:%M}–{e.astimezone(BRUSSELS):%H:%M}"
            for s, e in slots
        )
        or "–"
    )


def availability_json(a: Availability) -> dict[str, Any]:
    return {
        "hours": [[h.weekday, h.opens.isoformat(), h.closes.isoformat()] for h in a.hours],
        "closures": [
            [c.starts_on.isoformat(), c.ends_on.isoformat(), c.reason] for c in a.closures
        ],
        "min_minutes": a.min_minutes,
        "max_minutes": a.max_minutes,
        "buffer_minutes": a.buffer_minutes,
        "horizon_days": a.horizon_days,
    }


def availability_of(data: dict[str, Any]) -> Availability:
    return Availability(
        hours=tuple(
            OpeningHours(weekday=d, opens=dt.time.fromisoformat(o), closes=dt.time.fromisoformat(c))
            for d, o, c in data.get("hours", [])
        ),
        closures=tuple(
            Closure(starts_on=dt.date.fromisoformat(s), ends_on=dt.date.fromisoformat(e), reason=r)
            for s, e, r in data.get("closures", [])
        ),
        min_minutes=data.get("min_minutes", 30),
        max_minutes=data.get("max_minutes", 480),
        buffer_minutes=data.get("buffer_minutes", 0),
        horizon_days=data.get("horizon_days", 90),
    )


def new_reference() -> str:
    return "BK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def blocks_until(resource: Resource, ends_at: dt.datetime) -> dt.datetime:
    """The end of what a booking holds: its end plus the resource's buffer."""
    return ends_at + dt.timedelta(minutes=resource.availability.buffer_minutes)


def occurrences(
    starts_at: dt.datetime, ends_at: dt.datetime, weeks: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The same Brussels wall-clock times on `weeks` consecutive weeks (across DST changes)."""
    start, end = starts_at.astimezone(BRUSSELS), ends_at.astimezone(BRUSSELS)
    week = dt.timedelta(weeks=1)
    return [
        (
            _wall(start.replace(tzinfo=None) + i * week).astimezone(dt.UTC),
            _wall(end.replace(tzinfo=None) + i * week).astimezone(dt.UTC),
        )
        for i in range(weeks)
    ]


def _wall(naive: dt.datetime) -> dt.datetime:
    return naive.replace(tzinfo=BRUSSELS)


def slot_problem(
    resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime
) -> VilcoError | None:
    """Why `[starts_at, ends_at)` cannot be booked whatever else is booked, or None."""
    a = resource.availability
    minutes = (ends_at - starts_at) / dt.timedelta(minutes=1)
    start, end = starts_at.astimezone(BRUSSELS), ends_at.astimezone(BRUSSELS)
    if ends_at <= starts_at:
        return VilcoError("resources.bad_times")
    if starts_at < now:
        return VilcoError("resources.in_past")
    if starts_at > now + dt.timedelta(days=a.horizon_days):
        return VilcoError("resources.beyond_horizon", days=a.horizon_days)
    if minutes < a.min_minutes or minutes > a.max_minutes:
        return VilcoError("resources.bad_length", min=a.min_minutes, max=a.max_minutes)
    # A space is used the whole time; items only need the garage open to collect and return.
    days = [start.date(), end.date()]
    if resource.kind is ResourceKind.SPACE:
        days = [start.date() + dt.timedelta(days=i) for i in range((end - start).days + 2)]
    for closure in a.closures:
        closed = [d for d in days if closure.starts_on <= d <= closure.ends_on and d <= end.date()]
        if closed:
            return VilcoError("resources.closed_day", day=closed[0].isoformat())
    if resource.kind is ResourceKind.SPACE and not _within_hours(a.hours, start, end):
        return VilcoError("resources.outside_hours")
    if resource.kind is ResourceKind.ITEM and not (
        _open_at(a.hours, start, after=False) and _open_at(a.hours, end, after=True)
    ):
        return VilcoError("resources.outside_hours")
    return None


def _within_hours(hours: Sequence[OpeningHours], start: dt.datetime, end: dt.datetime) -> bool:
    """Within one opening period of the day (a space's booking never spans two days)."""
    return start.date() == end.date() and any(
        h.weekday == start.weekday() and h.opens <= start.time() and end.time() <= h.closes
        for h in hours
    )


def _open_at(hours: Sequence[OpeningHours], moment: dt.datetime, *, after: bool) -> bool:
    """Open at `moment` (a pickup), or open just before it (`after`: a return at closing)."""
    t = moment.time()
    return any(
        h.weekday == moment.weekday()
        and (h.opens < t <= h.closes if after else h.opens <= t < h.closes)
        for h in hours
    )


def overlapping(
    bookings: Iterable[Booking], starts_at: dt.datetime, until: dt.datetime, buffer: dt.timedelta
) -> list[Booking]:
    """The bookings whose held time `[start, end + buffer)` meets `[starts_at, until)`."""
    return [b for b in bookings if b.starts_at < until and starts_at < b.ends_at + buffer]


def held_peak(
    bookings: Iterable[Booking], starts_at: dt.datetime, until: dt.datetime, buffer: dt.timedelta
) -> int:
    """The most items the `bookings` hold at one instant of `[starts_at, until)`: the peak is
    reached at its start or where one of them starts."""
    held = overlapping(bookings, starts_at, until, buffer)
    points = {starts_at} | {b.starts_at for b in held if b.starts_at > starts_at}
    return max(
        (sum(b.quantity for b in held if b.starts_at <= t < b.ends_at + buffer) for t in points),
        default=0,
    )


def peak_quantity(
    bookings: Iterable[Booking], starts_at: dt.datetime, ends_at: dt.datetime, buffer: dt.timedelta
) -> int:
    """The most items the `bookings` hold while a booking `[starts_at, ends_at)` would hold
    its items (until its end plus the buffer)."""
    return held_peak(bookings, starts_at, ends_at + buffer, buffer)


def quantity_left(
    resource: Resource, confirmed: Iterable[Booking], starts_at: dt.datetime, ends_at: dt.datetime
) -> int:
    buffer = dt.timedelta(minutes=resource.availability.buffer_minutes)
    return resource.quantity - peak_quantity(confirmed, starts_at, ends_at, buffer)


def fits(
    resource: Resource,
    confirmed: Iterable[Booking],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    quantity: int,
) -> bool:
    return quantity_left(resource, confirmed, starts_at, ends_at) >= quantity


def next_free_slots(
    resource: Resource,
    confirmed: Sequence[Booking],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    quantity: int,
    now: dt.datetime,
    count: int = 3,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The first `count` bookable slots of the same length after `starts_at`, on a 30-minute
    grid, within the resource's horizon."""
    length = ends_at - starts_at
    found: list[tuple[dt.datetime, dt.datetime]] = []
    moment = starts_at + STEP
    last = now + dt.timedelta(days=resource.availability.horizon_days)
    while len(found) < count and moment <= last:
        end = moment + length
        if slot_problem(resource, moment, end, now) is None and fits(
            resource, confirmed, moment, end, quantity
        ):
            found.append((moment, end))
            moment = end
        else:
            moment += STEP
    return found


def day_agenda(
    resource: Resource, bookings: Sequence[Booking], day: dt.date, now: dt.datetime
) -> list[Slot]:
    """The 30-minute cells of `day` (Brussels) inside opening hours, outside closures: free,
    pending (a request waits) or taken; a cell in the past or beyond the horizon is left out."""
    if any(c.starts_on <= day <= c.ends_on for c in resource.availability.closures):
        return []
    horizon = now + dt.timedelta(days=resource.availability.horizon_days)
    buffer = dt.timedelta(minutes=resource.availability.buffer_minutes)
    midnight = dt.datetime.combine(day, dt.time(), BRUSSELS)
    today = overlapping(bookings, midnight, midnight + dt.timedelta(days=1), buffer)
    confirmed = [b for b in today if b.status is BookingStatus.CONFIRMED]
    waiting = [b for b in today if b.status is BookingStatus.REQUESTED]
    cells: list[Slot] = []
    for hours in (h for h in resource.availability.hours if h.weekday == day.weekday()):
        moment = dt.datetime.combine(day, hours.opens, BRUSSELS)
        closes = dt.datetime.combine(day, hours.closes, BRUSSELS)
        while moment + STEP <= closes:
            end = moment + STEP
            if now <= moment <= horizon:
                left = resource.quantity - held_peak(confirmed, moment, end, buffer)
                pending = bool(overlapping(waiting, moment, end, buffer))
                state: Literal["free", "taken", "pending"] = (
                    "taken" if left <= 0 else "pending" if pending else "free"
                )
                cells.append(Slot(starts_at=moment, ends_at=end, state=state, left=max(left, 0)))
            moment = end
    return cells


def merge_slots(cells: Sequence[Slot]) -> list[Slot]:
    """Adjacent cells of the same state and quantity merged into one slot (an agenda's events)."""
    merged: list[Slot] = []
    for cell in cells:
        last = merged[-1] if merged else None
        if (
            last
            and last.ends_at == cell.starts_at
            and (last.state, last.left)
            == (
                cell.state,
                cell.left,
            )
        ):
            merged[-1] = Slot(
                starts_at=last.starts_at, ends_at=cell.ends_at, state=cell.state, left=cell.left
            )
        else:
            merged.append(cell)
    return merged
