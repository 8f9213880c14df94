"""Use cases of shared resources on the fake world: booking by an initiative (instant or with
approval, one-off or weekly), conflicts with the next free slots, the follow link, staff
decisions and their access, key handover, premises notes, evaluations and feeds."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from icalendar import Calendar

from tests.unit.fake_world import (
    ADMIN,
    AGENT,
    AGENT_SCHAERBEEK,
    FACILITATOR,
    LIBRARY,
    resources_uow,
)
from tests.unit.fakes import FakeUnitOfWork
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import LocalText
from vilco_core.resources import (
    BRUSSELS,
    BookingRequest,
    BookingStatus,
    ResourceKind,
    SlotConflict,
)
from vilco_core.services import bookings, handovers, premises, resources

NOW = dt.datetime(2027, 3, 8, 8, tzinfo=dt.UTC)  # Monday 8 March 2027
WED = dt.date(2027, 3, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), BRUSSELS)


def ask(resource_id: int, start: dt.datetime, hours: float = 2, **extra: object) -> BookingRequest:
    values: dict[str, object] = {
        "resource_id": resource_id,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=hours),
        "initiative": "Repair Café",
        "email": "repair@example.org",
    }
    return BookingRequest(**(values | extra))  # type: ignore[arg-type]


def codes(error: VilcoError) -> list[str]:
    if isinstance(error, ValidationErrors):
        return [p.code for p in error.problems]
    return [error.code]


def test_resources_instant_booking_is_confirmed_and_follow_link_reveals_access() -> None:
    uow, ids = resources_uow()
    asked = ask(ids["library"], at(WED, 10), email=" repair@example.org ", initiative=" R ")
    receipt = bookings.request_booking(uow, asked, NOW)
    assert (receipt.bookings[0].email, receipt.bookings[0].initiative) == (
        "repair@example.org",
        "R",
    )
    assert receipt.status is BookingStatus.CONFIRMED
    assert receipt.reference.startswith("BK-") and len(receipt.reference) == 9
    followed = bookings.follow_booking(uow, receipt.token)
    assert followed.reference == receipt.reference
    assert followed.resource.access_instructions.get("fr") == "Code 4821"
    assert all(
        LIBRARY.access_instructions.get("fr") not in repr(r) for r in resources.list_resources(uow)
    )
    with uow:  # only the hash of the token is stored
        assert uow.bookings.by_token(receipt.token) == []


def test_resources_request_waits_for_approval_and_hides_access_until_then() -> None:
    uow, ids = resources_uow()
    receipt = bookings.request_booking(uow, ask(ids["hall"], at(WED, 18)), NOW)
    assert receipt.status is BookingStatus.REQUESTED
    assert bookings.follow_booking(uow, receipt.token).resource.access_instructions == LocalText()
    for outsider in (AGENT_SCHAERBEEK, FACILITATOR, None):
        with pytest.raises(VilcoError, match="forbidden"):
            bookings.decide_request(uow, outsider, receipt.reference, True, NOW)
    bookings.decide_request(uow, AGENT, receipt.reference, True, NOW, note="ok")
    followed = bookings.follow_booking(uow, receipt.token)
    assert followed.status is BookingStatus.CONFIRMED
    assert followed.resource.access_instructions.get("nl") == "Code 4821"
    with pytest.raises(VilcoError, match="already_decided"):
        bookings.decide_request(uow, AGENT, receipt.reference, False, NOW)
    with uow:
        entry = uow.audit.entries()[-1]
    payload = json.loads(entry.payload)
    assert entry.kind == "staff.booking_confirmed" and payload["actor"] == "agent"
    assert payload["before"][0]["status"] == "requested"
    assert payload["after"][0]["status"] == "confirmed"
    assert "repair@example.org" not in entry.payload


def test_resources_a_taken_slot_names_the_next_free_slots_of_the_same_length() -> None:
    uow, ids = resources_uow()
    bookings.request_booking(uow, ask(ids["library"], at(WED, 10)), NOW)
    with pytest.raises(SlotConflict) as taken:
        bookings.request_booking(uow, ask(ids["library"], at(WED, 11)), NOW)
    assert taken.value.code == "resources.slot_taken"
    # 10:00-12:00 holds the room until 12:30 (buffer); free from 12:30, two hours each
    assert taken.value.free == (
        (at(WED, 12, 30), at(WED, 14, 30)),
        (at(WED, 14, 30), at(WED, 16, 30)),
        (at(WED, 16, 30), at(WED, 18, 30)),
    )
    with pytest.raises(SlotConflict):  # inside the buffer
        bookings.request_booking(uow, ask(ids["library"], at(WED, 12)), NOW)
    assert bookings.request_booking(uow, ask(ids["library"], at(WED, 12, 30)), NOW)


def test_resources_pending_requests_do_not_block_but_approval_checks_again() -> None:
    uow, ids = resources_uow()
    first = bookings.request_booking(uow, ask(ids["hall"], at(WED, 18)), NOW)
    second = bookings.request_booking(uow, ask(ids["hall"], at(WED, 19)), NOW)
    bookings.decide_request(uow, AGENT, first.reference, True, NOW)
    with pytest.raises(SlotConflict):
        bookings.decide_request(uow, AGENT, second.reference, True, NOW)
    assert bookings.follow_booking(uow, second.token).status is BookingStatus.REQUESTED
    refused = bookings.decide_request(uow, AGENT, second.reference, False, NOW, "taken")
    assert [b.status for b in refused] == [BookingStatus.REFUSED]


def test_resources_a_weekly_request_stores_every_occurrence_or_none() -> None:
    uow, ids = resources_uow()
    blocker = bookings.request_booking(
        uow, ask(ids["library"], at(WED + dt.timedelta(weeks=2), 10)), NOW
    )
    with pytest.raises(SlotConflict) as taken:
        bookings.request_booking(uow, ask(ids["library"], at(WED, 10), weeks=4), NOW)
    assert taken.value.free[0][0] > at(WED + dt.timedelta(weeks=2), 10)
    with uow:
        assert [b.reference for b in uow.bookings.every(ids["library"])] == [blocker.reference]
    receipt = bookings.request_booking(uow, ask(ids["library"], at(WED, 14), weeks=13), NOW)
    assert len(receipt.bookings) == 13
    assert {b.reference for b in receipt.bookings} == {receipt.reference}
    # wall-clock 14:00 in Brussels on each week, across the change to summer time (28 March)
    assert {b.starts_at.astimezone(BRUSSELS).time() for b in receipt.bookings} == {dt.time(14)}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"email": "not-an-address"}, "resources.bad_email"),
        ({"initiative": " "}, "errors.field_required"),
        ({"starts_at": at(WED, 7)}, "resources.outside_hours"),
        ({"starts_at": at(WED, 21)}, "resources.outside_hours"),  # would end at 23:00
        ({"starts_at": at(dt.date(2027, 3, 13), 10)}, "resources.outside_hours"),  # Saturday
        ({"starts_at": at(dt.date(2027, 3, 1), 10)}, "resources.in_past"),
        ({"starts_at": at(dt.date(2027, 9, 1), 10)}, "resources.beyond_horizon"),
        ({"attendees": 41}, "resources.too_many_people"),
        ({"weeks": 14}, "resources.bad_weeks"),
        ({"quantity": 2}, "resources.space_quantity"),
    ],
)
def test_resources_bad_requests_are_refused_and_change_nothing(
    change: dict[str, object], code: str
) -> None:
    uow, ids = resources_uow()
    request = ask(ids["library"], at(WED, 10))
    request = replace(request, **change)  # type: ignore[arg-type]
    if "starts_at" in change:
        request = replace(request, ends_at=request.starts_at + dt.timedelta(hours=2))
    with pytest.raises(VilcoError) as refused:
        bookings.request_booking(uow, request, NOW)
    assert code in codes(refused.value)
    with uow:
        assert uow.bookings.every() == []


def test_resources_garage_quantities_and_multi_day_loans() -> None:
    uow, ids = resources_uow()
    friday, monday = dt.date(2027, 3, 12), dt.date(2027, 3, 15)
    loan = ask(ids["tables"], at(friday, 17), quantity=10)
    loan = replace(loan, ends_at=at(monday, 10))  # over the weekend, collected and returned open
    assert bookings.request_booking(uow, loan, NOW).status is BookingStatus.CONFIRMED
    with pytest.raises(SlotConflict) as refused:
        bookings.request_booking(uow, ask(ids["tables"], at(monday, 9), quantity=15), NOW)
    assert refused.value.code == "resources.not_enough"
    assert refused.value.params["left"] == 10
    assert bookings.request_booking(uow, ask(ids["tables"], at(monday, 9), quantity=10), NOW)
    with pytest.raises(VilcoError) as too_many:
        bookings.request_booking(uow, ask(ids["tables"], at(WED, 9), quantity=21), NOW)
    assert codes(too_many.value) == ["resources.bad_request_quantity"]


def test_resources_agenda_shows_free_pending_and_taken_without_names() -> None:
    uow, ids = resources_uow()
    bookings.request_booking(uow, ask(ids["library"], at(WED, 10)), NOW)
    slots = resources.agenda(uow, ids["library"], WED, 1, NOW)
    assert [(s.starts_at.astimezone(BRUSSELS).hour, s.state) for s in slots] == [
        (9, "free"),
        (10, "taken"),
        (12, "free"),
    ]
    assert slots[1].ends_at == at(WED, 12, 30)  # the buffer is taken too
    assert "Repair" not in repr(slots)
    assert resources.agenda(uow, ids["library"], dt.date(2027, 3, 13), 1, NOW) == []  # Saturday
    bookings.request_booking(uow, ask(ids["hall"], at(WED, 18)), NOW)
    states = {s.state for s in resources.agenda(uow, ids["hall"], WED, 1, NOW)}
    assert states == {"free", "pending"}


def test_resources_cancel_by_the_follow_link_frees_the_slot() -> None:
    uow, ids = resources_uow()
    receipt = bookings.request_booking(uow, ask(ids["library"], at(WED, 10)), NOW)
    assert bookings.cancel_by_token(uow, receipt.token, NOW).status is BookingStatus.CANCELLED
    assert bookings.request_booking(uow, ask(ids["library"], at(WED, 10)), NOW)
    with pytest.raises(VilcoError, match="bad_link"):
        bookings.follow_booking(uow, "not-a-token")


def _ended_booking(uow: FakeUnitOfWork, resource_id: int) -> tuple[str, int]:
    receipt = bookings.request_booking(uow, ask(resource_id, at(WED, 10)), NOW)
    return receipt.token, receipt.bookings[0].id or 0


def test_resources_key_handover_return_and_overdue() -> None:
    uow, ids = resources_uow()
    _, booking_id = _ended_booking(uow, ids["library"])
    with pytest.raises(VilcoError, match="not_handed"):
        handovers.take_back(uow, AGENT, booking_id, NOW)
    with pytest.raises(VilcoError, match="forbidden"):
        handovers.hand_over(uow, AGENT_SCHAERBEEK, booking_id, NOW)
    handovers.hand_over(uow, AGENT, booking_id, at(WED, 9, 45))
    assert handovers.overdue_bookings(uow, AGENT, at(WED, 12, 20)) == []
    late = handovers.overdue_bookings(uow, AGENT, at(WED, 13))
    assert [b.id for b in late] == [booking_id] and late[0].handed_by == "agent"
    assert handovers.overdue_bookings(uow, AGENT_SCHAERBEEK, at(WED, 13)) == []
    back = handovers.take_back(uow, ADMIN, booking_id, at(WED, 13))
    assert back.returned_by == "admin"
    assert handovers.overdue_bookings(uow, AGENT, at(WED, 14)) == []
    with uow:
        kinds = [e.kind for e in uow.audit.entries()[-2:]]
    assert kinds == ["staff.booking_handed_over", "staff.booking_returned"]


def test_resources_premises_notes_and_evaluations_by_both_sides() -> None:
    uow, ids = resources_uow()
    token, booking_id = _ended_booking(uow, ids["library"])
    with pytest.raises(VilcoError) as bad_photo:
        premises.note_premises(uow, AGENT, booking_id, "check_in", "ok", NOW, photo=b"GIF89a")
    assert codes(bad_photo.value) == ["resources.bad_photo"]
    premises.note_premises(uow, AGENT, booking_id, "check_in", "Clean", NOW, photo=PNG)
    premises.note_premises_by_token(uow, token, booking_id, "check_out", "All tidy", NOW)
    notes = premises.premises_notes(uow, AGENT, booking_id)
    assert [(n.moment, n.author, n.photo) for n in notes] == [
        ("check_in", "agent", PNG),
        ("check_out", "initiative", None),
    ]
    with pytest.raises(VilcoError, match="too_early"):
        premises.evaluate_by_token(uow, token, booking_id, (5, 4, 5), "great", NOW)
    after = at(WED, 13)
    with pytest.raises(VilcoError) as bad_score:
        premises.evaluate_by_token(uow, token, booking_id, (6, 4, 5), "", after)
    assert codes(bad_score.value) == ["resources.bad_score"]
    assert premises.evaluated_by_token(uow, token) == frozenset()
    premises.evaluate_by_token(uow, token, booking_id, (5, 4, 5), "=HYPERLINK(1)", after)
    assert premises.evaluated_by_token(uow, token) == {booking_id}
    with pytest.raises(VilcoError, match="already_evaluated"):
        premises.evaluate_by_token(uow, token, booking_id, (1, 1, 1), "", after)
    premises.evaluate_as_agent(uow, AGENT, booking_id, (3, 2, 4), "key late", after)
    summary = premises.evaluation_summary(uow, AGENT)
    assert [(s.by, s.count, s.ease_of_access, s.state, s.usefulness) for s in summary] == [
        ("agent", 1, 3.0, 2.0, 4.0),
        ("initiative", 1, 5.0, 4.0, 5.0),
    ]
    assert premises.evaluation_summary(uow, AGENT_SCHAERBEEK) == []
    exported = premises.evaluations_csv(uow, AGENT, "fr")
    assert "'=HYPERLINK(1)" in exported and exported.startswith("resource_id,resource")
    agent_only, agent_id = _ended_booking(uow, ids["tables"])  # the agent's side only
    premises.evaluate_as_agent(uow, AGENT, agent_id, (4, 4, 4), "", after)
    assert premises.evaluated_by_token(uow, agent_only) == frozenset()
    with pytest.raises(VilcoError, match="bad_link"):  # another request's token
        other, _ = _ended_booking(uow, ids["tables"])
        premises.evaluate_by_token(uow, other, booking_id, (5, 5, 5), "", after)
    with pytest.raises(VilcoError, match="bad_link"):
        premises.evaluated_by_token(uow, "no-such-link")


def test_resources_staff_save_only_in_their_communes_with_audit() -> None:
    uow, ids = resources_uow()
    with pytest.raises(VilcoError, match="forbidden"):
        resources.save_resource(uow, AGENT_SCHAERBEEK, LIBRARY)
    with pytest.raises(VilcoError, match="forbidden"):
        resources.save_resource(uow, FACILITATOR, LIBRARY)
    stored = resources.get_managed_resource(uow, AGENT, ids["library"])
    with pytest.raises(VilcoError, match="forbidden"):  # moving it to another commune
        resources.save_resource(uow, AGENT, replace(stored, commune_code="21015"))
    with pytest.raises(ValidationErrors) as bad:
        resources.save_resource(uow, AGENT, replace(stored, lat=48.85, lon=2.35))
    assert codes(bad.value) == ["errors.outside_brussels"]
    resources.save_resource(uow, AGENT, replace(stored, capacity=50, active=False))
    with uow:
        entry = uow.audit.entries()[-1]
    payload = json.loads(entry.payload)
    assert entry.kind == "staff.resource_saved" and payload["actor"] == "agent"
    assert payload["before"]["capacity"] == 40 and payload["after"]["capacity"] == 50
    assert ids["library"] not in [r.id for r in resources.list_resources(uow)]
    with pytest.raises(VilcoError, match="not_found"):
        resources.get_resource(uow, ids["library"])
    assert [r.commune_code for r in resources.list_managed_resources(uow, AGENT)] == ["21013"] * 3


def test_resources_feeds_name_the_initiative_only_for_staff() -> None:
    uow, ids = resources_uow()
    receipt = bookings.request_booking(uow, ask(ids["library"], at(WED, 10)), NOW)
    public = Calendar.from_ical(resources.public_calendar(uow, ids["library"], "nl"))
    events = public.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Gereserveerd"]
    assert events[0].decoded("dtstart") == at(WED, 10)
    assert b"Repair" not in resources.public_calendar(uow, ids["library"], "fr")
    staff_feed = resources.staff_calendar(uow, AGENT, ids["library"], "fr")
    assert b"Repair Caf" in staff_feed and receipt.reference.encode() in staff_feed
    with pytest.raises(VilcoError, match="forbidden"):
        resources.staff_calendar(uow, AGENT_SCHAERBEEK, ids["library"], "fr")
    own = Calendar.from_ical(bookings.booking_ics(uow, receipt.token, "fr"))
    assert "Code 4821" in str(own.walk("VEVENT")[0]["description"])


def test_resources_cancelling_a_series_keeps_the_occurrence_already_begun() -> None:
    uow, ids = resources_uow()
    receipt = bookings.request_booking(uow, ask(ids["library"], at(WED, 10), weeks=3), NOW)
    followed = bookings.cancel_by_token(uow, receipt.token, at(WED, 11))
    assert [b.status for b in followed.bookings] == [
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        BookingStatus.CANCELLED,
    ]
    assert followed.status is BookingStatus.CONFIRMED  # the key is still out, say
    next_week = ask(ids["library"], at(WED + dt.timedelta(weeks=1), 10))
    assert bookings.request_booking(uow, next_week, NOW).status is BookingStatus.CONFIRMED


def test_resources_a_stored_resource_keeps_its_kind_and_its_booked_stock() -> None:
    uow, ids = resources_uow()
    tables = resources.get_managed_resource(uow, AGENT, ids["tables"])
    bookings.request_booking(uow, ask(ids["tables"], at(WED, 10), quantity=8), NOW)
    bookings.request_booking(uow, ask(ids["tables"], at(WED, 11), quantity=5), NOW)
    with pytest.raises(ValidationErrors) as kind:
        as_space = replace(tables, kind=ResourceKind.SPACE, quantity=1, address="Rue X",
                           lat=50.83, lon=4.34)  # fmt: skip
        resources.save_resource(uow, AGENT, as_space, NOW)
    assert codes(kind.value) == ["resources.kind_fixed"]
    with pytest.raises(ValidationErrors) as below:
        resources.save_resource(uow, AGENT, replace(tables, quantity=12), NOW)
    assert codes(below.value) == ["resources.stock_below_booked"]
    assert below.value.problems[0].params["booked"] == 13  # 8 + 5 from 11:00 to 12:00
    resources.save_resource(uow, AGENT, replace(tables, quantity=13), NOW)
    later = at(WED, 13)  # both loans over: the stock may drop
    resources.save_resource(uow, AGENT, replace(tables, quantity=2), later)
    assert resources.get_resource(uow, ids["tables"]).quantity == 2
