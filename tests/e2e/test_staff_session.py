"""In a real browser: a staff login survives a reload, a second tab and a server restart (the
session lives in the database behind an HttpOnly cookie), and ends for good at logout — the
old cookie, injected into a fresh browser, is refused. A staff URL opened first thing on a fresh
server is refused too."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    STAFF_COOKIE,
    Server,
    restart_server,
    settled,
    shot,
    staff_cookie,
    staff_login,
    start_server,
)

pytestmark = pytest.mark.e2e

TITLE = "Sessions du panel citoyen"
REFUSED = "Cette page est réservée au personnel"


def _logged_in_on_sessions(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/sessions")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    settled(page)
    expect(page.get_by_text(REFUSED)).to_have_count(0)


def _refused_on_sessions(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/sessions")
    expect(page.get_by_text(REFUSED)).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_have_count(0)


def test_e2e_staff_session_survives_reload_tab_and_restart_and_ends_at_logout(
    browser: Browser, tmp_path: Path
) -> None:
    server = start_server(tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        staff_login(page, server, "facilitator")
        cookie = next(c for c in context.cookies() if c.get("name") == STAFF_COOKIE)
        assert cookie.get("httpOnly") and cookie.get("sameSite") == "Strict"
        assert STAFF_COOKIE not in page.evaluate("document.cookie")  # no script can read it
        token = cookie.get("value")
        _logged_in_on_sessions(page, server)
        page.reload()
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        settled(page)
        shot(page, "staff-session-after-reload")

        second = context.new_page()
        second.set_default_timeout(30_000)
        _logged_in_on_sessions(second, server)
        second.close()

        server = restart_server(server, tmp_path)
        _logged_in_on_sessions(page, server)
        shot(page, "staff-session-after-restart")

        page.goto(f"{server.url}/login")
        expect(page.get_by_text("Bienvenue, ")).to_be_visible()
        settled(page)
        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
        page.wait_for_timeout(1000)  # the logout route deletes the cookie
        settled(page)
        assert staff_cookie(page) is None
        _refused_on_sessions(page, server)
        shot(page, "staff-session-after-logout")

        stolen = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
        try:
            stolen.add_cookies(
                [{"name": STAFF_COOKIE, "value": str(token), "url": server.url, "httpOnly": True}]
            )
            thief = stolen.new_page()
            thief.set_default_timeout(30_000)
            _refused_on_sessions(thief, server)
            shot(thief, "staff-session-stolen-cookie-refused")
        finally:
            stolen.close()
    finally:
        context.close()
        server.stop()


def test_e2e_staff_session_url_first_on_a_fresh_server_is_refused(
    server: Server, page: Page
) -> None:
    _refused_on_sessions(page, server)
    settled(page)
    expect(page.get_by_text(REFUSED)).to_be_visible()
