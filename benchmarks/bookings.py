"""Booking races on SQLite and PostgreSQL: N initiatives request the same slot at once, each in
its own unit of work, then N request distinct slots at once; and the agenda of a busy space.

    python benchmarks/bookings.py --db sqlite --requests 20     # or --db postgres

Printed: how many were confirmed (must be 1, then N), the wall time of each race, and that time
as a ratio of a reference run in the same process (N empty units of work opened at once), so
the numbers compare across loaded machines. The agenda line times 62 days of a space holding
200 bookings against the same reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vilco_core.communes import COMMUNES
from vilco_core.errors import VilcoError
from vilco_core.model import LocalText
from vilco_core.resources import (
    BRUSSELS,
    WEEKDAYS_9_TO_22,
    BookingRequest,
    Resource,
    ResourceKind,
    day_agenda,
)
from vilco_core.services import access, bookings, resources
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HALF_HOUR = dt.timedelta(minutes=30)


def _race(n: int, action: Callable[[int], object]) -> tuple[float, list[object]]:
    start = threading.Barrier(n)

    def run(i: int) -> object:
        start.wait()
        try:
            return action(i)
        except VilcoError as error:
            return error

    began = time.perf_counter()
    with ThreadPoolExecutor(n) as pool:
        results = list(pool.map(run, range(n)))
    return time.perf_counter() - began, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    if args.db == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    else:
        with make_engine(POSTGRES).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        _bench(engine, args.requests)
    finally:
        engine.dispose()
        if args.db == "postgres":
            with make_engine(POSTGRES).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _bench(engine: Engine, n: int) -> None:
    upgrade_database(engine)
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.communes.add_missing(COMMUNES)
        uow.commit()
    space = Resource(id=None, kind=ResourceKind.SPACE, commune_code="21013",
                     name=LocalText(fr="Salle", nl="Zaal"), instant=True,
                     availability=WEEKDAYS_9_TO_22, address="Rue de Rome 28", lat=50.8296,
                     lon=4.3497)  # fmt: skip
    space_id = resources.save_resource(uow, access.CLI_ACTOR, space)
    now = dt.datetime.now(dt.UTC)
    day = (now + dt.timedelta(days=2)).date()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)

    def request(i: int, half_hours: int) -> object:
        start = dt.datetime.combine(day, dt.time(10), BRUSSELS) + half_hours * HALF_HOUR
        asked = BookingRequest(resource_id=space_id, starts_at=start,
                               ends_at=start + HALF_HOUR,
                               initiative=f"I{i}", email=f"i{i}@example.org")  # fmt: skip
        return bookings.request_booking(SqlUnitOfWork(engine), asked, now)

    def empty(_i: int) -> object:
        own = SqlUnitOfWork(engine)
        with own:
            return own.resources.get(space_id)

    reference, _ = _race(n, empty)
    same, results = _race(n, lambda i: request(i, 0))
    confirmed = sum(isinstance(r, bookings.BookingReceipt) for r in results)
    print(f"same slot: {confirmed}/{n} confirmed in {same:.3f} s = {same / reference:.1f}× ref")
    distinct, results = _race(min(n, 12), lambda i: request(i, 1 + i))
    confirmed = sum(isinstance(r, bookings.BookingReceipt) for r in results)
    print(f"distinct slots: {confirmed}/{min(n, 12)} confirmed in {distinct:.3f} s = "
          f"{distinct / reference:.1f}× ref")  # fmt: skip
    held = [r.bookings[0] for r in results if isinstance(r, bookings.BookingReceipt)] * 17
    began = time.perf_counter()
    cells = sum(len(day_agenda(space, held, day + dt.timedelta(days=d), now)) for d in range(62))
    agenda = time.perf_counter() - began
    print(f"agenda 62 days × {len(held)} bookings: {cells} cells in {agenda:.3f} s = "
          f"{agenda / reference:.1f}× ref (ref: {n} empty units of work at once, "
          f"{reference:.3f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
