"""Pure rules of shared resources: opening hours as text, whether a slot may be booked, weekly
occurrences across daylight saving time, peak quantities, next free slots, the CSV import."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.fake_world import LIBRARY, TABLES
from vilco_core.errors import ValidationErrors
from vilco_core.resource_csv import parse_resources_csv
from vilco_core.resource_validation import hours_text, parse_hours
from vilco_core.resources import (
    BRUSSELS,
    Booking,
    BookingStatus,
    Closure,
    OpeningHours,
    ResourceKind,
    availability_json,
    availability_of,
    next_free_slots,
    occurrences,
    peak_quantity,
    slot_problem,
)

NOW = dt.datetime(2027, 3, 8, 8, tzinfo=dt.UTC)
WED = dt.date(2027, 3, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), BRUSSELS)


def booking(start: dt.datetime, end: dt.datetime, quantity: int = 1) -> Booking:
    return Booking(id=None, resource_id=1, reference="BK-X", status=BookingStatus.CONFIRMED,
                   starts_at=start, ends_at=end, initiative="i", email="e@x.be",
                   quantity=quantity)  # fmt: skip


def test_resources_hours_text_parses_ranges_lists_and_round_trips() -> None:
    hours = parse_hours("mon-fri 09:00-22:00; sat,sun 10:00-16:00")
    assert hours is not None and len(hours) == 7
    assert hours[0] == OpeningHours(weekday=0, opens=dt.time(9), closes=dt.time(22))
    assert parse_hours(hours_text(hours)) == hours
    assert parse_hours("") == ()
    for bad in ("mon 22:00-09:00", "fri-mon 09:00-10:00", "xyz 09:00-10:00", "mon 9h-10h",
                "mon 25:00-26:00"):  # fmt: skip
        assert parse_hours(bad) is None, bad


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (at(WED, 9), at(WED, 11), None),
        (at(WED, 20), at(WED, 22), None),
        (at(WED, 8, 30), at(WED, 10), "resources.outside_hours"),
        (at(WED, 21), at(WED, 23), "resources.outside_hours"),
        (at(WED, 10), at(WED, 10, 15), "resources.bad_length"),
        (at(WED, 9), at(WED, 18), "resources.bad_length"),  # 9 h > 8 h
        (at(WED, 11), at(WED, 10), "resources.bad_times"),
        (at(dt.date(2027, 3, 7), 10), at(dt.date(2027, 3, 7), 11), "resources.in_past"),
        (at(dt.date(2027, 7, 1), 10), at(dt.date(2027, 7, 1), 11), "resources.beyond_horizon"),
    ],
)
def test_resources_slot_problem_for_a_space(
    start: dt.datetime, end: dt.datetime, code: str | None
) -> None:
    problem = slot_problem(LIBRARY, start, end, NOW)
    assert (problem.code if problem else None) == code


def test_resources_closures_close_a_space_and_the_garage_only_on_pickup_or_return() -> None:
    closed = Closure(starts_on=dt.date(2027, 3, 11), ends_on=dt.date(2027, 3, 12), reason="works")
    space = replace(LIBRARY, availability=replace(LIBRARY.availability, closures=(closed,)))
    problem = slot_problem(space, at(dt.date(2027, 3, 11), 10), at(dt.date(2027, 3, 11), 12), NOW)
    assert problem is not None and problem.code == "resources.closed_day"
    assert problem.params["day"] == "2027-03-11"
    thursday = replace(closed, ends_on=dt.date(2027, 3, 11))
    garage = replace(TABLES, availability=replace(TABLES.availability, closures=(thursday,)))
    over = slot_problem(garage, at(WED, 17), at(dt.date(2027, 3, 12), 10), NOW)
    assert over is None  # out over the closed Thursday, collected and returned on open days
    back_on_closed_day = slot_problem(garage, at(WED, 17), at(dt.date(2027, 3, 11), 10), NOW)
    assert back_on_closed_day is not None and back_on_closed_day.code == "resources.closed_day"


def test_resources_weekly_occurrences_keep_brussels_wall_clock_across_dst() -> None:
    times = occurrences(at(dt.date(2027, 3, 24), 18), at(dt.date(2027, 3, 24), 20), 2)
    assert [s.astimezone(BRUSSELS).hour for s, _ in times] == [18, 18]
    assert [s.utcoffset() for s, _ in times] == [dt.timedelta(0)] * 2  # stored in UTC
    assert [s.hour for s, _ in times] == [17, 16]  # CET then CEST


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8), st.integers(1, 5)), max_size=8),
    st.integers(0, 40),
    st.integers(1, 8),
)
def test_resources_peak_quantity_equals_the_brute_force_maximum(
    spans: list[tuple[int, int, int]], start: int, length: int
) -> None:
    """Sampled every quarter hour, no instant of the asked slot holds more than the peak, and
    one instant holds exactly that much (the peak is reached at a start)."""
    base = at(WED, 0)
    quarter = dt.timedelta(minutes=15)
    held = [booking(base + s * quarter, base + (s + n) * quarter, q) for s, n, q in spans]
    asked_start, asked_end = base + start * quarter, base + (start + length) * quarter
    peak = peak_quantity(held, asked_start, asked_end, dt.timedelta())
    samples = [asked_start + i * quarter for i in range(length)]
    brute = max(
        (sum(b.quantity for b in held if b.starts_at <= t < b.ends_at) for t in samples),
        default=0,
    )
    assert peak == brute


def test_resources_next_free_slots_skip_taken_and_closed_times() -> None:
    taken = [booking(at(WED, 10), at(WED, 21))]
    free = next_free_slots(LIBRARY, taken, at(WED, 10), at(WED, 12), 1, NOW)
    # 21:00 + 30 min buffer leaves no 2 h before 22:00; Thursday opens at 9:00
    assert free == [
        (at(dt.date(2027, 3, 11), 9), at(dt.date(2027, 3, 11), 11)),
        (at(dt.date(2027, 3, 11), 11), at(dt.date(2027, 3, 11), 13)),
        (at(dt.date(2027, 3, 11), 13), at(dt.date(2027, 3, 11), 15)),
    ]


def test_resources_availability_json_round_trips() -> None:
    closed = Closure(starts_on=dt.date(2027, 3, 11), ends_on=dt.date(2027, 3, 12), reason="x")
    availability = replace(LIBRARY.availability, closures=(closed,), horizon_days=30)
    assert availability_of(availability_json(availability)) == availability


CSV_HEADER = "kind,commune,name_fr,name_nl,name_en,hours,address,lat,lon,quantity,instant,access_fr"


def test_resources_csv_import_reads_spaces_and_items() -> None:
    data = (
        f"{CSV_HEADER}\n"
        "space,21013,Salle,Zaal,Room,mon-fri 09:00-22:00,Rue de Rome 28,50.8296,4.3497,,yes,"
        "Code 1\n"
        "item,21013,Tables,Tafels,,mon-sat 08:00-20:00,,,,20,no,\n"
    ).encode()
    parsed = parse_resources_csv(data)
    assert [(row, r.kind, r.quantity, r.instant) for row, r in parsed] == [
        (2, ResourceKind.SPACE, 1, True),
        (3, ResourceKind.ITEM, 20, False),
    ]
    assert parsed[0][1].access_instructions.get("fr") == "Code 1"
    assert parsed[0][1].name.get("en") == "Room"


def test_resources_csv_import_reports_every_bad_row() -> None:
    data = (
        f"{CSV_HEADER}\n"
        "hall,21013,Salle,Zaal,,mon-fri 09:00-22:00,Rue X,50.83,4.34,,,\n"
        "space,21013,Salle,,,mon-fri 22:00-09:00,Rue X,48.85,2.35,,maybe,\n"
        "item,99999,Tables,Tafels,,mon-sat 08:00-20:00,,,,lots,,\n"
    ).encode()
    with pytest.raises(ValidationErrors) as bad:
        parse_resources_csv(data)
    found = {(p.code, p.params.get("row")) for p in bad.value.problems}
    assert ("resources.kind_unknown", 2) in found
    assert ("resources.bad_hours", 3) in found and ("resources.bad_yes_no", 3) in found
    assert ("resources.bad_number", 4) in found
    with pytest.raises(ValidationErrors) as missing:
        parse_resources_csv(b"kind,commune\nspace,21013\n")
    assert missing.value.problems[0].code == "errors.csv_missing_columns"
    with pytest.raises(ValidationErrors) as rows:
        parse_resources_csv(
            (f"{CSV_HEADER}\nspace,21013,Salle,,,mon 09:00-10:00,Rue X,48.85,2.35,,,\n").encode()
        )
    codes = {p.code for p in rows.value.problems}
    assert codes == {"errors.field_required", "errors.outside_brussels"}
