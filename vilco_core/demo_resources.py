"""The demo's shared resources (`data/demo_resources.json`): a school hall and a library room
in Saint-Gilles, a community room and a sports hall in Schaerbeek, the Saint-Gilles garage
(gazebos 6, tables 20, benches 30, reusable cups 500) and a few bookings around the day the
demo loads. The library room books instantly, weekdays 9:00–22:00.

Demo follow links carry fixed tokens (`/booking?t=demo-follow-repair-cafe`): demo data only.
`load_demo_resources` loads nothing when the database already holds resources.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from vilco_core.model import LocalText
from vilco_core.resource_validation import parse_hours
from vilco_core.resources import (
    BRUSSELS,
    Availability,
    Booking,
    BookingStatus,
    Closure,
    Resource,
    ResourceKind,
)
from vilco_core.services.bookings import token_hash
from vilco_core.unit_of_work import UnitOfWork


def _availability(spec: dict[str, Any], today: dt.date) -> Availability:
    return Availability(
        hours=parse_hours(spec["hours"]) or (),
        closures=tuple(
            Closure(
                starts_on=today + dt.timedelta(days=start),
                ends_on=today + dt.timedelta(days=end),
                reason=reason,
            )
            for start, end, reason in spec.get("closures", [])
        ),
        min_minutes=spec["min_minutes"],
        max_minutes=spec["max_minutes"],
        buffer_minutes=spec["buffer_minutes"],
        horizon_days=spec["horizon_days"],
    )


def _space(spec: dict[str, Any], today: dt.date) -> Resource:
    return Resource(
        id=None,
        kind=ResourceKind.SPACE,
        commune_code=spec["commune"],
        name=LocalText.of(spec["name"]),
        description=LocalText.of(spec["description"]),
        instant=spec["instant"],
        availability=_availability(spec, today),
        address=spec["address"],
        lat=spec["lat"],
        lon=spec["lon"],
        capacity=spec["capacity"],
        accessibility=LocalText.of(spec["accessibility"]),
        rules=LocalText.of(spec["rules"]),
        access_instructions=LocalText.of(spec["access"]),
    )


def _item(garage: dict[str, Any], spec: dict[str, Any], today: dt.date) -> Resource:
    return Resource(
        id=None,
        kind=ResourceKind.ITEM,
        commune_code=garage["commune"],
        name=LocalText.of(spec["name"]),
        instant=True,
        availability=_availability(garage, today),
        quantity=spec["quantity"],
        pickup_place=garage["pickup_place"],
        conditions=LocalText.of(garage["conditions"]),
    )


def _open_day(resource: Resource, day: dt.date) -> dt.date:
    """`day`, or the next day the resource opens (a demo booking never falls on a closed day)."""
    a = resource.availability
    for shift in range(14):
        found = day + dt.timedelta(days=shift)
        closed = any(c.starts_on <= found <= c.ends_on for c in a.closures)
        if not closed and any(h.weekday == found.weekday() for h in a.hours):
            return found
    return day


def _at(day: dt.date, time: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(time)).replace(tzinfo=BRUSSELS)


def load_demo_resources(uow: UnitOfWork, today: dt.date, data_dir: Path) -> bool:
    """Load the demo resources and bookings; False (nothing written) when resources exist."""
    spec = json.loads((data_dir / "demo_resources.json").read_text(encoding="utf-8"))
    with uow:
        if uow.resources.list():
            return False
        ids = {s["key"]: uow.resources.add(_space(s, today)) for s in spec["spaces"]}
        garage = spec["garage"]
        ids |= {i["key"]: uow.resources.add(_item(garage, i, today)) for i in garage["items"]}
        for number, b in enumerate(spec["bookings"], start=1):
            resource = uow.resources.get(ids[b["resource"]])
            assert resource is not None  # added above
            day = _open_day(resource, today + dt.timedelta(days=b["day"]))
            starts_at = _at(day, b["start"])
            status = BookingStatus(b["status"])
            booking = Booking(
                id=None,
                resource_id=ids[b["resource"]],
                reference=f"BK-DEMO{number:02d}",
                status=status,
                starts_at=starts_at,
                ends_at=_at(day, b["end"]),
                initiative=b["initiative"],
                email=b["email"],
                purpose=b["purpose"],
                attendees=b.get("attendees", 0),
                quantity=b.get("quantity", 1),
                created_at=starts_at - dt.timedelta(days=7),
                decided_by="agent" if status is BookingStatus.CONFIRMED else None,
                handed_at=starts_at if b.get("handed") else None,
                handed_by="agent" if b.get("handed") else None,
            )
            uow.bookings.add(booking, token_hash(b.get("token") or f"demo-{number}"))
        uow.commit()
    return True
