"""In a real browser: a staff URL on a fresh server is refused; the demo admin logs in,
creates a project, switches to Dutch and finds it on the map — with no remote request."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, shot, staff_login

pytestmark = pytest.mark.e2e


def _remote_requests(page: Page) -> list[str]:
    remote: list[str] = []
    page.on(
        "request",
        lambda r: (
            remote.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None)
            and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    return remote


def test_e2e_staff_url_first_on_a_fresh_server_is_refused(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/processes")
    page.wait_for_timeout(4000)
    shot(page, "01-staff-url-refused")
    expect(page.get_by_text("Cette page est réservée au personnel")).to_be_visible()
    expect(page.get_by_label("Nom (français)")).to_have_count(0)
    shot(page, "01-staff-url-refused")


def test_e2e_admin_creates_a_project_and_sees_it_on_the_dutch_map(
    server: Server, page: Page
) -> None:
    remote = _remote_requests(page)
    staff_login(page, server, "admin")
    expect(page.get_by_text("Bienvenue, Admin démo")).to_be_visible()
    shot(page, "02-logged-in")

    page.get_by_role("link", name="Projets").click()
    expect(page.get_by_role("heading", name="Projets")).to_be_visible()
    form = page.get_by_test_id("stForm").filter(visible=True).first
    form.get_by_label("Identifiant").fill("E2E-1")
    form.get_by_label("Coût (€)").fill("3150")
    form.get_by_label("Titre (français)").fill("Bancs en bois place Bethléem")
    form.get_by_label("Titre (néerlandais)").fill("Houten banken op het Bethlehemplein")
    form.get_by_label("Description (français)").fill("Quatre bancs en bois local.")
    form.get_by_label("Description (néerlandais)").fill("Vier banken van lokaal hout.")
    form.get_by_label("Latitude").fill("50.8296")
    form.get_by_label("Longitude").fill("4.3391")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Projet « Bancs en bois place Bethléem » enregistré.")).to_be_visible()
    shot(page, "03-project-created")

    page.get_by_text("Nederlands", exact=True).click()
    expect(page.get_by_role("link", name="Kaart")).to_be_visible()
    page.get_by_role("link", name="Kaart").click()
    expect(page.get_by_role("heading", name="Projectenkaart")).to_be_visible()
    page.get_by_text("Lijst van de projecten").click()
    expect(page.get_by_text("26 project(en)", exact=False)).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    page.wait_for_timeout(1500)  # let deck.gl draw before the screenshot
    shot(page, "04-map-in-dutch")
    assert remote == [], f"the page fetched remote resources: {remote[:5]}"
