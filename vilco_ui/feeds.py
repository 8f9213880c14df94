"""Subscribable iCalendar feeds, served by `serve.py` beside the Streamlit app (ASGI routes):

- `/feeds/space-<id>.ics` — a resource's public feed: confirmed bookings, nobody named;
- `/feeds/staff-<id>-<signature>.ics` — its staff feed (initiative, reference, purpose); the
  signature is an HMAC of the id under `VILCO_FEED_KEY` (`resources.staff_feed_signature`);
- `/feeds/booking-<follow token>.ics` — a booker's own occurrences, by their follow link's token.

`?lang=nl|en|fr` picks the language of titles. Anything unknown or refused is a plain 404 (no
hint whether a resource or a token exists). The handler runs outside any Streamlit session: it
opens its own engine and a fresh unit of work per request.
"""

from __future__ import annotations

import functools
import re

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from vilco_core.errors import VilcoError
from vilco_core.i18n import normalise_language
from vilco_core.services import bookings, resources
from vilco_core.store import SqlUnitOfWork, database_url, make_engine, prepare_database
from vilco_ui.config import feed_key

ROUTE = "/feeds/{token}.ics"
_SPACE = re.compile(r"^space-(\d{1,9})$")
_STAFF = re.compile(r"^staff-(\d{1,9})-([0-9a-f]{32})$")
_BOOKING = re.compile(r"^booking-([A-Za-z0-9_\-]{8,128})$")


@functools.cache
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    prepare_database(engine)
    return engine


def _uow() -> SqlUnitOfWork:
    return SqlUnitOfWork(_engine(database_url()))


def public_path(resource_id: int) -> str:
    return f"/feeds/space-{resource_id}.ics"


def staff_path(resource_id: int, signature: str) -> str:
    return f"/feeds/staff-{resource_id}-{signature}.ics"


def booking_path(token: str) -> str:
    return f"/feeds/booking-{token}.ics"


def feed_body(name: str, language: str) -> bytes | None:
    """The .ics a feed name (the URL's `{token}`) stands for, or None."""
    try:
        if found := _SPACE.match(name):
            return resources.public_calendar(_uow(), int(found.group(1)), language)
        if found := _STAFF.match(name):
            resource_id, signature = int(found.group(1)), found.group(2)
            return resources.staff_feed(_uow(), resource_id, signature, feed_key(), language)
        if found := _BOOKING.match(name):
            return bookings.booking_ics(_uow(), found.group(1), language)
    except VilcoError:
        return None
    return None


def feed(request: Request) -> Response:
    """The route's handler (sync: Starlette runs it in its thread pool)."""
    language = normalise_language(request.query_params.get("lang"))
    body = feed_body(str(request.path_params.get("token", "")), language)
    if body is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    return Response(
        body,
        media_type="text/calendar",
        headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"},
    )
