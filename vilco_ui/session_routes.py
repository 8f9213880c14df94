"""The two HTTP routes of staff sessions, served by `serve.py` beside the Streamlit app:

- `GET /staff-session/open?grant=…&next=/page` redeems a login's one-time grant
  (`staff_sessions.redeem_grant`) for a random token, sets it as the `vilco_staff` cookie
  (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS, Max-Age the session's lifetime) and
  sends the browser back to `next` (a page of this app, else `/login`);
- `GET /staff-session/close` ends the cookie's session server-side (a logout already did) and
  deletes the cookie, then sends the browser to `/login`.

A refused grant sets nothing and still redirects. Both answer `Cache-Control: no-store` and
`Referrer-Policy: no-referrer` (the grant is in the URL). The handlers run outside any Streamlit
session: each opens a fresh unit of work on its own engine.
"""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from vilco_core.services import staff_sessions
from vilco_core.store import SqlUnitOfWork, database_url, make_engine, prepare_database
from vilco_ui.auth import (
    CLOSE_ROUTE,
    COOKIE_NAME,
    OPEN_ROUTE,
    lifetime,
    local_path,
    session_key,
)

__all__ = ["CLOSE_ROUTE", "OPEN_ROUTE", "close_session", "open_session"]


@functools.cache
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    prepare_database(engine)
    return engine


def _uow() -> SqlUnitOfWork:
    return SqlUnitOfWork(_engine(database_url()))


def _redirect(target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    return request.url.scheme == "https" or forwarded == "https"


def open_session(request: Request) -> Response:
    """The route's handler (sync: Starlette runs it in its thread pool)."""
    response = _redirect(local_path(request.query_params.get("next")))
    try:
        key = session_key()
    except RuntimeError:  # no cookie key: the app itself refuses to serve
        return response
    now = dt.datetime.now(dt.UTC)
    token = staff_sessions.redeem_grant(_uow(), request.query_params.get("grant", ""), now, key)
    if token is not None:
        response.set_cookie(
            COOKIE_NAME,
            token,
            max_age=int(lifetime().total_seconds()),
            path="/",
            secure=_secure(request),
            httponly=True,
            samesite="strict",
        )
    return response


def close_session(request: Request) -> Response:
    response = _redirect("/login")
    token = request.cookies.get(COOKIE_NAME)
    if token:
        try:
            key = session_key()
        except RuntimeError:
            key = b""
        if key:
            staff_sessions.close_session_by_token(_uow(), token, dt.datetime.now(dt.UTC), key)
    response.delete_cookie(
        COOKIE_NAME, path="/", secure=_secure(request), httponly=True, samesite="strict"
    )
    return response
