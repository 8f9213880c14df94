"""`resources --json`, `book ... --json`, `bookings --resource ID --json`: shared resources and
their bookings, for scripts. `book` stores a request as an initiative would (confirmed at once
for an instant resource); a taken slot, too few items or a closed slot exit 2 with the reason
(and, for a taken slot, the next free slots). `bookings` is a staff listing (it names the
initiatives), run as the command line's administrator.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from vilco_core.errors import VilcoError
from vilco_core.resources import BRUSSELS, BookingRequest
from vilco_core.services import access, bookings, resources
from vilco_core.store import SqlUnitOfWork, database_url, make_engine, upgrade_database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = subparsers.add_parser("resources", help="list the shared spaces and garage items")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=_resources)
    book = subparsers.add_parser("book", help="book a shared resource for an initiative")
    book.add_argument("--resource", type=int, required=True)
    book.add_argument("--start", required=True, help="ISO time; Brussels time when naive")
    book.add_argument("--end", required=True, help="ISO time; Brussels time when naive")
    book.add_argument("--initiative", required=True)
    book.add_argument("--email", required=True)
    book.add_argument("--quantity", type=int, default=1)
    book.add_argument("--purpose", default="")
    book.add_argument("--weeks", type=int, default=1, help="repeat weekly (1 to 13 weeks)")
    book.add_argument("--json", action="store_true")
    book.set_defaults(handler=_book)
    listed = subparsers.add_parser("bookings", help="list the bookings of a resource")
    listed.add_argument("--resource", type=int, required=True)
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=_bookings)


def _uow() -> SqlUnitOfWork:
    engine = make_engine(database_url())
    upgrade_database(engine)
    return SqlUnitOfWork(engine)


def _resources(args: argparse.Namespace) -> int:
    items = [
        {
            "id": r.id,
            "kind": r.kind.value,
            "name": r.name.get("fr"),
            "commune": r.commune_code,
            "quantity": r.quantity,
            "instant": r.instant,
        }
        for r in resources.list_resources(_uow())
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
    else:
        for item in items:
            print(f"{item['id']:>4}  {item['kind']:<5} {item['quantity']:>4}  {item['name']}")
    return 0


def parse_moment(text: str) -> dt.datetime:
    """An ISO time; a naive one is Brussels time."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise VilcoError("resources.bad_time_text", text=text[:40]) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BRUSSELS)


def _book(args: argparse.Namespace) -> int:
    uow = _uow()
    request = BookingRequest(
        resource_id=args.resource,
        starts_at=parse_moment(args.start),
        ends_at=parse_moment(args.end),
        initiative=args.initiative,
        email=args.email,
        purpose=args.purpose,
        quantity=args.quantity,
        weeks=args.weeks,
    )
    receipt = bookings.request_booking(uow, request, dt.datetime.now(dt.UTC))
    result = {
        "booking": receipt.bookings[0].id,
        "status": receipt.status.value,
        "reference": receipt.reference,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{receipt.reference} {receipt.status.value}")
    return 0


def _bookings(args: argparse.Namespace) -> int:
    uow = _uow()
    found = bookings.list_bookings(uow, access.CLI_ACTOR, args.resource)
    items = [
        {
            "id": b.id,
            "reference": b.reference,
            "status": b.status.value,
            "start": b.starts_at.isoformat(),
            "end": b.ends_at.isoformat(),
            "quantity": b.quantity,
            "initiative": b.initiative,
        }
        for b in found
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
    else:
        for item in items:
            print(
                f"{item['reference']}  {item['status']:<10} {item['start']}  {item['initiative']}"
            )
    return 0
