"""In a real browser: the results page on the demo vote, in French then in Dutch, on a phone
(360×740) and a laptop (1280×800). Every project's explanation is on screen in full (inside the
viewport, not clipped), no number is written the English way ("4,000") on a French or Dutch
page, and the page as a resident sees it is saved under test-artifacts/results-<lang>-<width>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ROOT, Server

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "test-artifacts"
ENGLISH_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")  # 4,000 or 24,000 (a French/Dutch decimal has 2)
TEXTS = {
    "fr": {
        "title": "Résultats du vote",
        "provisional": "Résultats provisoires",
        "compare": "Ce qui change avec les Parts égales",
        "leaving": "Sortent avec les Parts égales",
        "how": "Comment les lauréats ont été choisis",
        "funded": "Financé : ses ",
        "tooltip": "Jacques Franck",
    },
    "nl": {
        "title": "Resultaten van de stemming",
        "provisional": "Voorlopige resultaten",
        "compare": "Wat er verandert met Gelijke delen",
        "leaving": "Vallen af met Gelijke delen",
        "how": "Hoe de winnaars gekozen zijn",
        "funded": "Gefinancierd: de ",
        "tooltip": "Jacques Franck",
    },
}
# Every explanation's box against the viewport, and whether its text overflows its box.
MEASURE = """() => [...document.querySelectorAll('.vilco-why')].map(e => {
  const r = e.getBoundingClientRect();
  return {left: r.left, right: r.right, width: r.width, height: r.height,
          overflow: e.scrollWidth > e.clientWidth + 1, text: e.innerText};
})"""
CHART_LABELS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')]
  .map(e => e.textContent)"""


def _open(browser: Browser, server: Server, lang: str, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/results?lang={lang}")
    expect(page.get_by_role("heading", name=TEXTS[lang]["title"])).to_be_visible()
    expect(page.locator(".vilco-why").first).to_be_attached()
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(2)
    page.wait_for_timeout(1500)  # let vega draw
    return page


def _whole_page_shot(page: Page, name: str, width: int) -> None:
    """Streamlit scrolls inside its own container: grow the window to the content's height
    (same width) so the shot holds the whole page."""
    tall = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stAppViewContainer"], section.main\')].map(e => e.scrollHeight), 800)'
    )
    page.set_viewport_size({"width": width, "height": min(int(tall) + 100, 16000)})
    page.wait_for_timeout(1500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_e2e_results_page_reads_on_a_phone_and_a_laptop(
    server: Server, browser: Browser, lang: str
) -> None:
    texts = TEXTS[lang]
    for width, height in ((360, 740), (1280, 800)):
        page = _open(browser, server, lang, width, height)
        expect(page.get_by_text(texts["provisional"], exact=False)).to_be_visible()
        expect(page.get_by_role("heading", name=texts["how"])).to_be_visible()
        expect(page.get_by_role("heading", name=texts["compare"])).to_be_visible()
        expect(page.get_by_text(texts["leaving"], exact=False)).to_be_visible()
        expect(page.get_by_role("link", name="equalshares.net")).to_have_attribute(
            "href", "https://equalshares.net"
        )
        boxes = page.evaluate(MEASURE)
        assert len(boxes) == 25
        assert any(b["text"].startswith(texts["funded"]) for b in boxes)
        for box in boxes:  # every sentence wraps inside the screen, nothing is cut
            assert box["left"] >= 0 and box["right"] <= width, (width, box)
            assert box["height"] > 0 and not box["overflow"], (width, box)
        first = page.locator(".vilco-why").first
        first.scroll_into_view_if_needed()
        expect(first).to_be_in_viewport()
        body = page.inner_text("body")
        assert not ENGLISH_THOUSANDS.findall(body), ENGLISH_THOUSANDS.findall(body)[:5]
        labels = [s for s in page.evaluate(CHART_LABELS) if re.search(r"\d", s)]
        assert labels, "the chart's axes are drawn"
        assert not [s for s in labels if ENGLISH_THOUSANDS.search(s)], labels
        if width == 1280:  # a mark's title shows on hover
            page.locator('[data-testid="stVegaLiteChart"] g.mark-symbol path').first.hover()
            tooltip = page.locator("#vg-tooltip-element")
            expect(tooltip).to_contain_text(texts["tooltip"])  # the most voted project
            expect(tooltip).to_contain_text(texts["funded"])  # and why
        _whole_page_shot(page, f"results-{lang}-{width}", width)
        page.context.close()


ENVELOPES = {
    "fr": ("Deux rives", ["Saint-Gilles", "Schaerbeek"]),
    "nl": ("Twee oevers", ["Sint-Gillis", "Schaarbeek"]),
}


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_e2e_results_page_shows_one_outcome_per_district_on_a_phone(
    server: Server, browser: Browser, lang: str
) -> None:
    """The demo's "two banks" process: a tab per commune envelope and the city-wide part, each
    with its own winners and sentences, readable at 360 px."""
    name, districts = ENVELOPES[lang]
    page = _open(browser, server, lang, 360, 740)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=re.compile(name)).click()
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(3)
    labels = [tabs.nth(i).inner_text() for i in range(3)]
    assert [any(d in label for label in labels) for d in districts] == [True, True], labels
    for i in range(3):
        tabs.nth(i).click()
        panel = page.get_by_role("tabpanel")  # the shown one: hidden panels have no role
        expect(panel.locator(".vilco-why").first).to_be_visible()
        rights = panel.evaluate(
            "e => [...e.querySelectorAll('.vilco-why')].map(w => w.getBoundingClientRect().right)"
        )
        assert rights and max(rights) <= 360, rights
    body = page.inner_text("body")
    assert not ENGLISH_THOUSANDS.findall(body), ENGLISH_THOUSANDS.findall(body)[:5]
    tabs.nth(0).click()
    _whole_page_shot(page, f"results-envelopes-{lang}-360", 360)
    page.context.close()
