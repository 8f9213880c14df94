"""In a real browser: the results page on the demo vote, in French then in Dutch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, shot

pytestmark = pytest.mark.e2e


def _settle(page: Page) -> None:
    # Streamlit scrolls inside its own container: a tall window gets the whole page on the shot
    page.set_viewport_size({"width": 1280, "height": 4000})
    expect(page.get_by_test_id("stDeckGlJsonChart").first).to_be_visible()
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(2)
    page.wait_for_timeout(2000)  # let vega and deck.gl draw before the screenshot


def test_e2e_results_page_in_french_and_dutch(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/results")
    expect(page.get_by_role("heading", name="Résultats du vote")).to_be_visible()
    expect(page.get_by_text("Résultats provisoires", exact=False)).to_be_visible()
    expect(page.get_by_text("Parts égales (MES)", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="Ce qui change avec les Parts égales")).to_be_visible()
    expect(page.get_by_text("Sortent avec les Parts égales", exact=False)).to_be_visible()
    _settle(page)
    shot(page, "results-fr")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_text("Nederlands", exact=True).click()
    expect(page.get_by_role("heading", name="Resultaten van de stemming")).to_be_visible()
    expect(page.get_by_text("Voorlopige resultaten", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Wat er verandert met Gelijke delen")).to_be_visible()
    expect(page.get_by_text("Vallen af met Gelijke delen", exact=False)).to_be_visible()
    _settle(page)
    shot(page, "results-nl")
