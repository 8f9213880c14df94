"""Citizen initiatives book in a real browser: on a 360×740 phone in Dutch, the instant library
room found in the list, a free slot tapped in the agenda, the request sent, the reference and
the follow link, which opens in a new tab and survives a reload; 15 garage tables over the
demo's street party (10 of 20 out) refused with "10 left". Screenshots in French and Dutch at
360 and 1280 px, with no English Streamlit default text on the page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from babel.dates import format_date
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import Server, settled, shot
from vilco_core.resources import BRUSSELS
from vilco_core.services import resources
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_ui.booking_view import INSTANT_COLOUR

pytestmark = pytest.mark.e2e
ENGLISH_DEFAULTS = ("Press Enter", "Drag and drop", "Browse files", "Upload", "200MB", "Traceback")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="nl-BE", is_mobile=True, has_touch=True
    )
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def _card(page: Page, resource_id: int) -> Locator:
    return page.locator(f".st-key-bk-card-{resource_id}")


def _no_english(page: Page) -> None:
    body = page.locator("body").inner_text()
    assert [s for s in ENGLISH_DEFAULTS if s in body] == []


def _snap(page: Page, target: Locator, name: str) -> None:
    target.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the scroll settles
    shot(page, name)


def _party_day(server: Server) -> dt.date:
    """The day of the demo's street party: 10 of the 20 tables out from 10:00 (day+5, or the
    next day the garage opens)."""
    engine = make_engine(server.database_url)
    try:
        now = dt.datetime.now(dt.UTC)
        slots = resources.agenda(SqlUnitOfWork(engine), 6, dt.date.today(), 14, now)
    finally:
        engine.dispose()
    return next(s.starts_at.astimezone(BRUSSELS).date() for s in slots if s.left == 10)


def _tap_instant_space(page: Page) -> None:
    """Tap the map's one green point (the instant library room), found by its colour: on a
    touch screen a first tap may only show its tooltip, a second opens it."""
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # deck.gl draws after the element shows
    shot(page, "booking-02-nl-360-map")
    box = chart.bounding_box()
    assert box is not None
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    hits = [
        (x, y)
        for x in range(image.width)
        for y in range(image.height)
        if all(abs(a - b) < 12 for a, b in zip(image.getpixel((x, y)), INSTANT_COLOUR, strict=True))
    ]
    assert len(hits) > 20, "the green point of the instant space is not on the map"
    scale = image.width / box["width"]
    x = box["x"] + sum(h[0] for h in hits) / len(hits) / scale
    y = box["y"] + sum(h[1] for h in hits) / len(hits) / scale
    back = page.get_by_role("button", name="Terug naar de lijst")
    page.touchscreen.tap(x, y)
    try:  # a first tap may already open it; tapping again then would hit the opened page
        expect(back).to_be_visible(timeout=3000)
    except AssertionError:
        page.touchscreen.tap(x, y)


def _pick_day(page: Page, day: dt.date, locale: str) -> None:
    """Choose `day` in the agenda's day list, once the page has finished its run (a run still
    drawing the page closes an open list)."""
    expect(page.get_by_role("button", name="Aanvraag versturen")).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    picker = page.get_by_test_id("stSelectbox").filter(has_text="Dag").first
    label = format_date(day, "EEE d MMM", locale=locale)
    option = page.get_by_role("option").filter(has_text=label).first
    for _attempt in range(3):
        picker.click()
        try:
            expect(option).to_be_visible(timeout=5000)
            break
        except AssertionError:
            continue
    option.click()


def test_e2e_initiative_books_a_room_on_a_phone_in_dutch(server: Server, phone: Page) -> None:
    phone.goto(f"{server.url}/spaces?lang=nl")
    expect(phone.get_by_role("heading", name="Een ruimte of materiaal lenen")).to_be_visible()
    expect(phone.get_by_test_id("stDeckGlJsonChart")).to_be_visible()  # the map of spaces
    shot(phone, "booking-01-nl-360-top")
    library = _card(phone, 1)
    expect(library.get_by_text("Leeszaal van de gemeentelijke bibliotheek")).to_be_visible()
    expect(library.get_by_text("Tot 40 personen")).to_be_visible()
    _tap_instant_space(phone)  # found on the map: the green point is the instant library room
    expect(phone.get_by_role("button", name="Terug naar de lijst")).to_be_visible()
    expect(
        phone.get_by_role("heading", name="Leeszaal van de gemeentelijke bibliotheek")
    ).to_be_visible()

    periods = phone.get_by_role("button").filter(has_text="· vrij")
    expect(periods.first).to_be_visible()
    _snap(phone, periods.first, "booking-03-nl-360-agenda")
    periods.first.click()
    phone.get_by_label("Naam van het initiatief").fill("Buurtcomité Fort")
    phone.get_by_label("Contact-e-mail").fill("fort@example.org")
    send = phone.get_by_role("button", name="Aanvraag versturen")
    _snap(phone, send, "booking-04-nl-360-form")
    _no_english(phone)
    send.click()

    expect(phone.get_by_text("Gereserveerd: uw reservering is bevestigd.")).to_be_visible()
    reference = phone.get_by_role("heading", name="Referentie: BK-")
    expect(reference).to_be_visible()
    number = reference.inner_text().split(": ")[1].strip()
    link = phone.get_by_test_id("stCode").inner_text().strip()
    assert "/booking?t=" in link
    _snap(phone, reference, "booking-05-nl-360-receipt")

    tab = phone.context.new_page()  # the follow link in a new tab: a fresh session
    tab.goto(link)
    expect(tab.get_by_role("heading", name=f"Referentie: {number}")).to_be_visible()
    expect(tab.get_by_text("Bevestigd", exact=True)).to_be_visible()
    expect(tab.get_by_text("code van de zijdeur: 4821")).to_be_visible()  # confirmed: access
    shot(tab, "booking-06-nl-360-follow")
    tab.reload()
    expect(tab.get_by_role("heading", name=f"Referentie: {number}")).to_be_visible()
    expect(tab.get_by_text("Mijn reservering annuleren")).to_be_visible()
    _no_english(tab)


def test_e2e_fifteen_tables_over_the_street_party_are_refused(server: Server, phone: Page) -> None:
    phone.goto(f"{server.url}/spaces?lang=nl")
    phone.get_by_text("Materiaal", exact=True).click()
    tables = _card(phone, 6)
    expect(phone.get_by_test_id("stDeckGlJsonChart")).to_have_count(0)  # the garage's list
    expect(tables.get_by_text("Plooitafels")).to_be_visible()
    expect(tables.get_by_text("In voorraad: 20")).to_be_visible()
    tables.get_by_role("button", name="Agenda en reservering").click()
    expect(phone.get_by_role("button", name="Terug naar de lijst")).to_be_visible()
    _pick_day(phone, _party_day(server), "nl_BE")
    party = phone.get_by_role("button").filter(has_text="10:00–18:00 · vrij · beschikbaar: 10")
    expect(party).to_be_visible()
    _snap(phone, party, "booking-07-nl-360-garage-agenda")
    party.click()
    # the tapped period fills the form (a rerun): typing before it ends would be wiped
    expect(phone.get_by_role("combobox", name="Afhalen om")).to_have_value("10:00")
    settled(phone)
    phone.get_by_label("Aantal").fill("15")
    phone.get_by_label("Naam van het initiatief").fill("Rommelmarkt")
    phone.get_by_label("Contact-e-mail").fill("markt@example.org")
    phone.get_by_role("button", name="Aanvraag versturen").click()
    refused = phone.get_by_text("Er zijn er nog maar 10 over in dit tijdslot (u vraagt er 15).")
    expect(refused).to_be_visible()
    _snap(phone, refused, "booking-08-nl-360-garage-refused")
    expect(phone.get_by_text("Volgende vrije tijdsloten: tik erop")).to_be_visible()
    _no_english(phone)


@pytest.mark.parametrize(("lang", "width"), [("fr", 360), ("fr", 1280), ("nl", 1280)])
def test_e2e_booking_screens(server: Server, browser: Browser, lang: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740 if width < 500 else 900},
                                  is_mobile=width < 500, has_touch=width < 500)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        choose = {"fr": "Agenda et réservation", "nl": "Agenda en reservering"}[lang]
        page.goto(f"{server.url}/spaces?lang={lang}")
        expect(page.get_by_role("button", name=choose).first).to_be_visible()
        shot(page, f"booking-10-{lang}-{width}-list")
        page.get_by_role("button", name=choose).first.click()
        week = {"fr": "La semaine", "nl": "De week"}[lang]
        if width > 500:  # the week table shows on wide screens only
            expect(page.get_by_text(week)).to_be_visible()
        else:
            expect(page.get_by_text(week)).to_be_hidden()
        _snap(page, page.get_by_role("button").filter(has_text=":").first,
              f"booking-11-{lang}-{width}-agenda")  # fmt: skip
        _no_english(page)
        page.goto(f"{server.url}/booking?t=demo-follow-repair-cafe&lang={lang}")
        expect(page.get_by_role("heading", name="BK-DEMO01")).to_be_visible()
        shot(page, f"booking-12-{lang}-{width}-follow")
        notes = {"fr": "État des lieux", "nl": "Staat van de ruimte"}[lang]
        page.get_by_text(notes).click()
        expect(page.get_by_test_id("stFileUploader")).to_be_visible()
        expect(page.get_by_text("Upload", exact=True)).to_be_hidden()  # our words instead
        _snap(page, page.get_by_test_id("stFileUploader"), f"booking-13-{lang}-{width}-notes")
        _no_english(page)
    finally:
        context.close()
