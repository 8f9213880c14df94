"""The staff login through AppTest and the two session routes (`vilco_ui.session_routes`,
called with plain Starlette requests): a login opens a server-side session and sends the
browser to the route with a one-time grant; the route sets an HttpOnly, SameSite=Strict cookie
once; a logout revokes the session, in every tab; the close route deletes the cookie."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable

import pytest
from starlette.requests import Request
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT
from vilco_core.i18n import translate
from vilco_core.services import staff_sessions
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_ui import auth, session_routes
from vilco_ui.config import DEMO_COOKIE_KEY

KEY = DEMO_COOKIE_KEY.encode()
OpenPage = Callable[..., AppTest]


def _request(path: str, query: dict[str, str] | None = None, cookie: str = "") -> Request:
    headers = [(b"host", b"vilco.test")] + ([(b"cookie", cookie.encode())] if cookie else [])
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "server": ("vilco.test", 80),
            "path": path,
            "query_string": urllib.parse.urlencode(query or {}).encode(),
            "headers": headers,
        }
    )


def _log_in(at: AppTest, username: str = "facilitator") -> AppTest:
    at.text_input[0].set_value(username)
    at.text_input[1].set_value("vilco-demo-2026")
    return at.button[0].click().run()


def _grant_url(at: AppTest) -> str:
    scripts = [h.proto.body for h in at.get("html")]
    found = [s for s in scripts if auth.OPEN_ROUTE in s]
    assert found, scripts
    return found[0].split('"')[1]


def test_staff_session_login_sends_the_browser_to_the_cookie_route(
    open_page: OpenPage, demo_db: str
) -> None:
    at = _log_in(open_page("pages/login.py", lang="fr"))
    assert at.title[0].value.startswith("Bienvenue")
    url = urllib.parse.urlsplit(_grant_url(at))
    query = dict(urllib.parse.parse_qsl(url.query))
    assert url.path == auth.OPEN_ROUTE and query["next"] == "/login"
    response = session_routes.open_session(_request(url.path, query))
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{auth.COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Max-Age=86400" in cookie and "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    engine = make_engine(demo_db)
    resumed = staff_sessions.resume_session(
        SqlUnitOfWork(engine), token, dt.datetime.now(dt.UTC), KEY, demo=True
    )
    engine.dispose()
    assert resumed is not None and resumed.user.username == "facilitator"
    again = session_routes.open_session(_request(url.path, query))  # the grant is spent
    assert "set-cookie" not in again.headers


def test_staff_session_route_refuses_a_bad_grant_and_a_foreign_next() -> None:
    response = session_routes.open_session(
        _request(auth.OPEN_ROUTE, {"grant": "made-up", "next": "https://evil.example/"})
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "set-cookie" not in response.headers


@pytest.mark.usefixtures("demo_db")
def test_staff_session_logout_revokes_in_every_tab_and_the_route_clears_the_cookie(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _log_in(open_page("pages/login.py", lang="fr"))
    url = urllib.parse.urlsplit(_grant_url(at))
    query = dict(urllib.parse.parse_qsl(url.query))
    cookie = session_routes.open_session(_request(url.path, query)).headers["set-cookie"]
    token = cookie.split(";")[0].split("=", 1)[1]
    monkeypatch.setattr(auth, "cookie_token", lambda: token)
    tab = AppTest.from_file(str(ROOT / "pages/sessions.py"), default_timeout=60).run()
    assert not tab.exception and tab.title[0].value == translate("panel.sessions_title", "fr")
    at.sidebar.button[0].click().run()  # logout in the first tab
    assert not at.session_state["authentication_status"]
    assert [b.label for b in at.button] == [translate("login.submit", "fr")]
    assert any(auth.CLOSE_ROUTE in h.proto.body for h in at.get("html"))
    tab.run()  # the other tab's next run
    assert translate("access.login_required", "fr") in [w.value for w in tab.warning]
    fresh = AppTest.from_file(str(ROOT / "pages/sessions.py"), default_timeout=60).run()
    assert translate("access.login_required", "fr") in [w.value for w in fresh.warning]
    closed = session_routes.close_session(
        _request(auth.CLOSE_ROUTE, cookie=f"{auth.COOKIE_NAME}={token}")
    )
    assert closed.status_code == 303 and closed.headers["location"] == "/login"
    assert f'{auth.COOKIE_NAME}=""' in closed.headers["set-cookie"]
    assert "Max-Age=0" in closed.headers["set-cookie"]
