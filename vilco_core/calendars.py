"""iCalendar (RFC 5545) feeds of shared resources, built with `icalendar`.

- A space's public feed: its confirmed bookings as "Booked" events, naming nobody.
- A space's staff feed: the same events with the initiative, its purpose and the reference.
- A booking's own file: its confirmed occurrences, with the access instructions for the booker.
Each event's UID is stable (`booking-<id>@vilco`), so a calendar that subscribes updates it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable

from icalendar import Calendar, Event

from vilco_core.i18n import translate
from vilco_core.resources import Booking, BookingStatus, Resource

PRODID = "-//vilco//shared resources//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(resource: Resource, booking: Booking, summary: str, language: str) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.id}@vilco")
    event.add("dtstamp", booking.created_at or booking.starts_at)
    event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
    event.add("dtend", booking.ends_at.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("location", resource.address or resource.pickup_place or resource.name.get(language))
    return event


def _confirmed(bookings: Iterable[Booking]) -> list[Booking]:
    return [b for b in bookings if b.status is BookingStatus.CONFIRMED]


def space_calendar(
    resource: Resource, bookings: Iterable[Booking], language: str, *, staff: bool = False
) -> bytes:
    """The resource's confirmed bookings; who booked only in the staff feed (`staff=True`)."""
    calendar = _calendar(resource.name.get(language))
    for booking in _confirmed(bookings):
        if staff:
            summary = f"{booking.initiative} ({booking.reference})"
            event = _event(resource, booking, summary, language)
            event.add("description", booking.purpose)
        else:
            summary = translate("resources.ical_taken", language)
            event = _event(resource, booking, summary, language)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def booking_calendar(resource: Resource, bookings: Iterable[Booking], language: str) -> bytes:
    """A booker's own events: their confirmed occurrences with the access instructions."""
    calendar = _calendar(resource.name.get(language))
    for booking in _confirmed(bookings):
        event = _event(
            resource, booking, f"{resource.name.get(language)} ({booking.reference})", language
        )
        event.add("description", resource.access_instructions.get(language))
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def feed_signature(resource_id: int, key: bytes) -> str:
    """The secret part of a space's staff feed URL: an HMAC-SHA256 of the resource id under the
    server's feed key (128 bits, hex). Nothing is stored: changing the key revokes every URL."""
    digest = hmac.new(key, f"vilco-staff-feed:{resource_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def feed_signature_matches(resource_id: int, key: bytes, signature: str) -> bool:
    return bool(key) and hmac.compare_digest(feed_signature(resource_id, key), signature)
