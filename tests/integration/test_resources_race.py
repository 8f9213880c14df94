"""No double booking, enforced by the database (issue 16), on a SQLite file and on PostgreSQL:
20 concurrent requests for one slot confirm exactly one and tell the others the next free
slots; concurrent garage requests never exceed the stock; a raw insert past the services (an
overlapping confirmed booking, an exceeded stock) is refused by the database itself."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import DBAPIError

from vilco_core.communes import COMMUNES
from vilco_core.errors import VilcoError
from vilco_core.model import LocalText
from vilco_core.resources import (
    BRUSSELS,
    WEEKDAYS_9_TO_22,
    BookingRequest,
    BookingStatus,
    Resource,
    ResourceKind,
    SlotConflict,
)
from vilco_core.services import access, bookings, resources
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database
from vilco_core.store.tables_resources import BookingRow

NOW = dt.datetime(2027, 3, 8, 8, tzinfo=dt.UTC)  # a Monday
START = dt.datetime(2027, 3, 10, 10, tzinfo=BRUSSELS)  # Wednesday 10:00
REQUESTS = 20


def _engine(database_url: str) -> Engine:
    engine = make_engine(database_url)
    upgrade_database(engine)
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.communes.add_missing(COMMUNES)
        uow.commit()
    return engine


def _resource(engine: Engine, kind: ResourceKind, quantity: int = 1) -> int:
    resource = Resource(
        id=None,
        kind=kind,
        commune_code="21013",
        name=LocalText(fr="Salle", nl="Zaal"),
        instant=True,
        availability=WEEKDAYS_9_TO_22,
        quantity=quantity,
        address="Rue de Rome 28, 1060 Saint-Gilles",
        lat=50.8296,
        lon=4.3497,
    )
    return resources.save_resource(SqlUnitOfWork(engine), access.CLI_ACTOR, resource)


def _request(resource_id: int, n: int, quantity: int = 1, hours: int = 2) -> BookingRequest:
    return BookingRequest(
        resource_id=resource_id,
        starts_at=START,
        ends_at=START + dt.timedelta(hours=hours),
        initiative=f"Initiative {n}",
        email=f"i{n}@example.org",
        quantity=quantity,
    )


def _race(engine: Engine, requests: list[BookingRequest]) -> list[object]:
    start = threading.Barrier(len(requests))

    def attempt(request: BookingRequest) -> object:
        uow = SqlUnitOfWork(engine)  # each request its own unit of work (and connection)
        start.wait()
        try:
            return bookings.request_booking(uow, request, NOW)
        except VilcoError as error:
            return error

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(attempt, requests))


def test_resources_race_twenty_requests_for_one_slot_confirm_exactly_one(
    database_url: str,
) -> None:
    engine = _engine(database_url)
    try:
        space = _resource(engine, ResourceKind.SPACE)
        results = _race(engine, [_request(space, n) for n in range(REQUESTS)])
        receipts = [r for r in results if isinstance(r, bookings.BookingReceipt)]
        conflicts = [r for r in results if isinstance(r, SlotConflict)]
        assert len(receipts) == 1 and receipts[0].status is BookingStatus.CONFIRMED
        assert len(conflicts) == REQUESTS - 1
        assert {c.code for c in conflicts} == {"resources.slot_taken"}
        for conflict in conflicts:  # the next free slots of the same length, after the taken one
            assert len(conflict.free) == 3
            assert conflict.free[0] == (
                START + dt.timedelta(hours=2),
                START + dt.timedelta(hours=4),
            )
            assert all(e - s == dt.timedelta(hours=2) for s, e in conflict.free)
            assert "12:00–14:00" in str(conflict.params["next"])
        stored = bookings.list_bookings(SqlUnitOfWork(engine), access.CLI_ACTOR, space)
        assert [b.status for b in stored] == [BookingStatus.CONFIRMED]
    finally:
        engine.dispose()


def test_resources_race_garage_requests_never_exceed_the_stock(database_url: str) -> None:
    engine = _engine(database_url)
    try:
        tables = _resource(engine, ResourceKind.ITEM, quantity=20)
        results = _race(engine, [_request(tables, n, quantity=3) for n in range(REQUESTS)])
        receipts = [r for r in results if isinstance(r, bookings.BookingReceipt)]
        conflicts = [r for r in results if isinstance(r, SlotConflict)]
        assert len(receipts) == 6  # 6 × 3 = 18 ≤ 20 < 21
        assert len(conflicts) == REQUESTS - 6
        assert {c.params["left"] for c in conflicts} == {2}
    finally:
        engine.dispose()


def test_resources_race_fifteen_tables_when_ten_are_out_is_refused_with_ten_left(
    database_url: str,
) -> None:
    engine = _engine(database_url)
    try:
        tables = _resource(engine, ResourceKind.ITEM, quantity=20)
        uow = SqlUnitOfWork(engine)
        bookings.request_booking(uow, _request(tables, 1, quantity=10, hours=8), NOW)
        overlapping = replace(
            _request(tables, 2, quantity=15),
            starts_at=START + dt.timedelta(hours=3),
            ends_at=START + dt.timedelta(hours=10),
        )
        with pytest.raises(SlotConflict) as refused:
            bookings.request_booking(uow, overlapping, NOW)
        assert refused.value.code == "resources.not_enough"
        assert refused.value.params["left"] == 10 and refused.value.params["asked"] == 15
        receipt = bookings.request_booking(uow, replace(overlapping, quantity=10), NOW)
        assert receipt.status is BookingStatus.CONFIRMED  # exactly the 10 left
    finally:
        engine.dispose()


def _raw_insert(
    engine: Engine,
    resource_id: int,
    hour: int,
    quantity: int = 1,
    status: str = "confirmed",
    exclusive: bool = True,
) -> None:
    """A confirmed booking written past the services and the repository."""
    starts_at = dt.datetime(2027, 3, 10, hour, tzinfo=dt.UTC)
    ends_at = starts_at + dt.timedelta(hours=2)
    with engine.begin() as connection:
        connection.execute(
            insert(BookingRow.__table__).values(
                resource_id=resource_id,
                reference=f"BK-RAW{hour:03d}",
                token_hash="0" * 64,
                status=status,
                exclusive=exclusive,
                starts_at=starts_at,
                ends_at=ends_at,
                blocks_until=ends_at,
                quantity=quantity,
                initiative="raw",
                email="raw@example.org",
                purpose="",
                attendees=0,
                created_at=starts_at,
                decision_note="",
            )
        )


def test_resources_race_the_database_refuses_a_raw_overlapping_booking(database_url: str) -> None:
    engine = _engine(database_url)
    try:
        space = _resource(engine, ResourceKind.SPACE)
        _raw_insert(engine, space, 9)
        _raw_insert(engine, space, 11)  # touching, not overlapping: [9, 11) then [11, 13)
        with pytest.raises(DBAPIError, match="overlap"):
            _raw_insert(engine, space, 12)
        with pytest.raises(DBAPIError, match="overlap"):  # the kind of the resource decides
            _raw_insert(engine, space, 12, exclusive=False)
    finally:
        engine.dispose()


def test_resources_race_the_database_refuses_a_raw_booking_past_the_stock(
    database_url: str,
) -> None:
    engine = _engine(database_url)
    try:
        tables = _resource(engine, ResourceKind.ITEM, quantity=20)
        _raw_insert(engine, tables, 9, quantity=10)
        _raw_insert(engine, tables, 10, quantity=10)  # 20 at 10:00: the whole stock
        _raw_insert(engine, tables, 11, quantity=10)  # the first is back at 11:00
        with pytest.raises(DBAPIError, match="stock"):
            _raw_insert(engine, tables, 10, quantity=1)
    finally:
        engine.dispose()


def test_resources_race_twenty_concurrent_approvals_confirm_exactly_one(
    database_url: str,
) -> None:
    """Requests wait for approval side by side; approving them all at once (each in its own
    unit of work) confirms one, the others are refused with the next free slots."""
    engine = _engine(database_url)
    try:
        hall = _resource(engine, ResourceKind.SPACE)
        uow = SqlUnitOfWork(engine)
        resource = resources.get_managed_resource(uow, access.CLI_ACTOR, hall)
        resources.save_resource(uow, access.CLI_ACTOR, replace(resource, instant=False))
        references = [
            bookings.request_booking(uow, _request(hall, n), NOW).reference for n in range(REQUESTS)
        ]
        start = threading.Barrier(REQUESTS)

        def approve(reference: str) -> object:
            own = SqlUnitOfWork(engine)
            start.wait()
            try:
                return bookings.decide_request(own, access.CLI_ACTOR, reference, True, NOW)
            except VilcoError as error:
                return error

        with ThreadPoolExecutor(REQUESTS) as pool:
            results = list(pool.map(approve, references))
        assert sum(isinstance(r, list) for r in results) == 1
        assert {r.code for r in results if isinstance(r, VilcoError)} == {"resources.slot_taken"}
        statuses = [b.status for b in bookings.list_bookings(uow, access.CLI_ACTOR, hall)]
        assert sorted(statuses) == [BookingStatus.CONFIRMED] + [BookingStatus.REQUESTED] * 19
    finally:
        engine.dispose()


def test_resources_race_the_database_refuses_a_raw_confirmation_of_an_overlap(
    database_url: str,
) -> None:
    engine = _engine(database_url)
    try:
        space = _resource(engine, ResourceKind.SPACE)
        _raw_insert(engine, space, 9)
        _raw_insert(engine, space, 10, status="requested")
        with pytest.raises(DBAPIError, match="overlap"), engine.begin() as connection:
            connection.execute(
                update(BookingRow.__table__)
                .where(BookingRow.__table__.c.status == "requested")
                .values(status="confirmed")
            )
    finally:
        engine.dispose()
