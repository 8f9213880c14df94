"""Issue #16's whole story in one run, on one server, in two browsers: an initiative on a
360×740 phone in Dutch finds the Saint-Gilles school hall (a space that needs approval) on the
map, opens its agenda, taps a free period, sends its request and gets a reference and a follow
link, whose page shows the request awaiting approval without the access instructions; the
Saint-Gilles agent at 1280 px approves THAT reference, hands the key over, takes it back and
writes the agent's evaluation; the initiative's follow link then shows the booking confirmed
with the agent's note and its access instructions, and the evaluation form open, which closes
once the initiative has evaluated.
Screenshots `story-NN-…png` in test-artifacts/e2e/."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import Server, shot, staff_login
from tests.e2e.test_booking_flow import _card, _no_english, _snap
from vilco_ui.booking_view import APPROVAL_COLOUR

pytestmark = pytest.mark.e2e
SCHOOL = 2  # the Préau of the Parvis school, Saint-Gilles: approval needed, the agent's commune
SCHOOL_NL = "Speelplaatszaal van de gemeenteschool aan het Voorplein"
ACCESS_NL = "Sleutel ophalen bij de dienst Verenigingsleven"
AWAITING_NL = "Wacht op goedkeuring door de gemeente"
EVALUATED_NL = "U hebt uw mening over deze reservering gegeven. Bedankt!"
NOTE = "Bienvenue au Parvis : la clé vous attend."


def _context(browser: Browser, **options: object) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(**options)  # type: ignore[arg-type]
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """The initiative: a phone in Dutch."""
    yield from _context(browser, viewport={"width": 360, "height": 740}, locale="nl-BE",
                        is_mobile=True, has_touch=True)  # fmt: skip


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    """The agent: a desktop browser of its own (no session shared with the phone)."""
    yield from _context(browser, viewport={"width": 1280, "height": 800}, locale="fr-BE")


def _settled(page: Page) -> None:
    """The current Streamlit run is over (no "running" widget)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def _tap_school_on_the_map(page: Page) -> None:
    """Tap the westernmost blue point of the map, the school hall (lon 4.3455; blue = needs
    approval, the green library lies east of it): on a touch screen a first tap may only show
    its tooltip, a second opens it."""
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # deck.gl draws after the element shows
    shot(page, "story-02-nl-360-map")
    box = chart.bounding_box()
    assert box is not None
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    pixels = image.load()
    hits = [
        (x, y)
        for x in range(image.width)
        for y in range(image.height)
        if all(abs(a - b) < 12 for a, b in zip(pixels[x, y], APPROVAL_COLOUR, strict=True))
    ]
    assert len(hits) > 60, "the blue points of the spaces that need approval are not on the map"
    west = min(x for x, _ in hits)
    point = [(x, y) for x, y in hits if x < west + 14 * image.width / box["width"]]
    scale = image.width / box["width"]
    x = box["x"] + sum(h[0] for h in point) / len(point) / scale
    y = box["y"] + sum(h[1] for h in point) / len(point) / scale
    back = page.get_by_role("button", name="Terug naar de lijst")
    page.touchscreen.tap(x, y)
    try:  # a first tap may already open it; tapping again then would hit the opened page
        expect(back).to_be_visible(timeout=3000)
    except AssertionError:
        page.touchscreen.tap(x, y)
    expect(back).to_be_visible()


def _request_the_school_hall(phone: Page, server: Server) -> tuple[str, str, str]:
    """Step 1: the phone finds the hall, books a free period; (reference, period, follow link)."""
    phone.goto(f"{server.url}/spaces?lang=nl")
    expect(phone.get_by_role("heading", name="Een ruimte of materiaal lenen")).to_be_visible()
    expect(_card(phone, SCHOOL).get_by_text(SCHOOL_NL)).to_be_visible()  # in the list too
    expect(_card(phone, SCHOOL).get_by_text("Na goedkeuring")).to_be_visible()
    expect(phone.get_by_test_id("stDeckGlJsonChart")).to_be_visible()
    _settled(phone)
    shot(phone, "story-01-nl-360-spaces")
    _no_english(phone)
    _tap_school_on_the_map(phone)
    expect(phone.get_by_role("heading", name=SCHOOL_NL)).to_be_visible()
    expect(phone.get_by_text(ACCESS_NL)).to_have_count(0)  # never on the public page

    periods = phone.get_by_role("button").filter(has_text="· vrij")
    expect(periods.first).to_be_visible()
    _settled(phone)
    _snap(phone, periods.first, "story-03-nl-360-agenda")
    free = periods.first.inner_text()
    start = re.search(r"(\d\d:\d\d)–", free)
    assert start is not None, free
    periods.first.click()
    # the tapped period fills the form: it starts at that period's start
    expect(phone.get_by_role("combobox", name="Begin")).to_have_value(start.group(1))
    phone.get_by_label("Naam van het initiatief").fill("Repair Café Voorplein")
    phone.get_by_label("Contact-e-mail").fill("repair@example.org")
    phone.get_by_label("Waarvoor?").fill("Herstelcafé voor fietsen en kleine toestellen")
    phone.get_by_label("Aantal deelnemers").fill("35")
    send = phone.get_by_role("button", name="Aanvraag versturen")
    _snap(phone, send, "story-04-nl-360-form")
    _no_english(phone)
    send.click()

    expect(
        phone.get_by_text("Aanvraag verstuurd: ze wacht op goedkeuring door de gemeente.")
    ).to_be_visible()
    heading = phone.get_by_role("heading", name="Referentie: BK-")
    expect(heading).to_be_visible()
    reference = heading.inner_text().split(": ")[1].strip()
    assert re.fullmatch(r"BK-[A-Z0-9]{6}", reference) and reference != "BK-DEMO02", reference
    link = phone.get_by_test_id("stCode").inner_text().strip()
    assert link.startswith(f"{server.url}/booking?t=") and link.endswith("&lang=nl"), link
    when = phone.get_by_text(SCHOOL_NL).locator("xpath=..").inner_text()
    period = when.split("\n")[-1].strip()  # `wo 2 dec. 17:00–19:00`
    assert start.group(1) in period, when
    _snap(phone, heading, "story-05-nl-360-receipt")
    _no_english(phone)
    return reference, period, link


def _follow_awaiting(phone: Page, reference: str, period: str, link: str) -> None:
    """Step 1 (end): the follow link shows the request awaiting approval, no access yet."""
    phone.goto(link)
    expect(phone.get_by_role("heading", name=f"Referentie: {reference}")).to_be_visible()
    expect(phone.get_by_text(AWAITING_NL, exact=True)).to_be_visible()
    expect(phone.get_by_text(period)).to_be_visible()
    expect(phone.get_by_role("button", name="Mijn reservering annuleren")).to_be_visible()
    _settled(phone)  # the whole page is drawn: what is absent is really absent
    expect(phone.get_by_text(ACCESS_NL)).to_have_count(0)  # hidden until approved
    expect(phone.get_by_text("Toegang", exact=True)).to_have_count(0)
    expect(phone.get_by_text("Bericht van de gemeente")).to_have_count(0)  # nothing decided
    expect(phone.get_by_role("button", name="Mijn mening versturen")).to_have_count(0)
    _snap(phone, phone.get_by_text(period), "story-06-nl-360-follow-awaiting")
    _no_english(phone)


def _desk_card(desk: Page, reference: str) -> Locator:
    desk.get_by_role("tab", name="Réservations confirmées").click()
    card = desk.locator("[class*='st-key-space-day-']").filter(has_text=reference)
    expect(card).to_have_count(1)
    return card


def _agent_approves_hands_over_takes_back(desk: Page, server: Server, reference: str) -> None:
    """Step 2: the agent logs in, approves THAT reference, hands the key over, takes it back,
    writes the agent's evaluation."""
    staff_login(desk, server, "agent")
    desk.get_by_role("link", name="Accueil des réservations").click()
    expect(desk.get_by_role("heading", name="Accueil des réservations")).to_be_visible()

    request = desk.locator(f".st-key-space-request-{reference}")
    expect(request).to_contain_text("Repair Café Voorplein")
    expect(request).to_contain_text("repair@example.org")
    expect(request).to_contain_text("35")
    expect(desk.locator(".st-key-space-request-BK-DEMO02")).to_have_count(1)  # another one
    request.get_by_label("Note pour l’initiative (facultatif)").fill(NOTE)
    request.scroll_into_view_if_needed()
    shot(desk, "story-07-fr-1280-desk-request")
    _no_english(desk)  # no "Press Enter to apply" under the note being typed
    request.get_by_role("button", name="Approuver").click()
    expect(desk.get_by_text(f"{reference} approuvée.")).to_be_visible()
    expect(desk.locator(f".st-key-space-request-{reference}")).to_have_count(0)
    expect(desk.locator(".st-key-space-request-BK-DEMO02")).to_have_count(1)  # not decided

    card = _desk_card(desk, reference)
    expect(card).to_contain_text("clé pas encore remise")
    card.get_by_role("button", name="Clé remise").click()
    expect(desk.get_by_text(f"{reference} : remis.")).to_be_visible()
    card = _desk_card(desk, reference)
    expect(card).to_contain_text("remise le")
    card.scroll_into_view_if_needed()
    shot(desk, "story-08-fr-1280-desk-handed")
    card.get_by_role("button", name="Clé rendue").click()
    expect(desk.get_by_text(f"{reference} : rendu.")).to_be_visible()

    card = _desk_card(desk, reference)
    expect(card).to_contain_text("rendue le")
    card.get_by_text("Évaluation de l’agent").click()
    card.get_by_label("Commentaire").fill("Clé rendue à temps, préau rangé.")
    card.scroll_into_view_if_needed()
    shot(desk, "story-09-fr-1280-desk-evaluation")
    _no_english(desk)  # nor "Press Ctrl+Enter to submit form" under the comment
    card.get_by_role("button", name="Envoyer l’évaluation").click()
    expect(desk.get_by_text("Évaluation enregistrée.")).to_be_visible()


def _scores(form: Locator, score: str) -> None:
    """The same score to the three questions of the initiative's evaluation form."""
    for question in ("Toegankelijkheid", "Staat van de ruimte", "Echt nut"):
        radio = form.get_by_test_id("stRadio").filter(has_text=question)
        radio.get_by_text(score, exact=True).click()


def _initiative_evaluates(phone: Page, reference: str, link: str) -> None:
    """Step 3: the follow link now shows the booking confirmed, the access instructions and
    the evaluation form (the key came back); one evaluation only."""
    phone.goto(link)
    expect(phone.get_by_role("heading", name=f"Referentie: {reference}")).to_be_visible()
    expect(phone.get_by_text("Bevestigd", exact=True)).to_be_visible()
    expect(phone.get_by_text(AWAITING_NL, exact=True)).to_have_count(0)
    expect(phone.get_by_text("Toegang", exact=True)).to_be_visible()
    expect(phone.get_by_text("Bericht van de gemeente")).to_be_visible()  # the agent's note
    expect(phone.get_by_text(NOTE)).to_be_visible()
    access = phone.get_by_text(ACCESS_NL)
    expect(access).to_be_visible()
    _settled(phone)
    _snap(phone, access, "story-10-nl-360-follow-confirmed")
    form = phone.get_by_test_id("stForm").filter(has_text="Mijn mening versturen")
    expect(form).to_have_count(1)  # open: the key came back, though the booking lies ahead
    _scores(form, "4")
    form.get_by_label("Opmerking (facultatief)").fill("Vlotte sleuteloverdracht, propere zaal.")
    send = form.get_by_role("button", name="Mijn mening versturen")
    _snap(phone, send, "story-11-nl-360-evaluation")
    _no_english(phone)
    send.click()
    expect(phone.get_by_text("Bedankt voor uw mening.")).to_be_visible()
    done = phone.get_by_text(EVALUATED_NL)
    expect(done).to_be_visible()
    _settled(phone)
    expect(phone.get_by_role("button", name="Mijn mening versturen")).to_have_count(0)
    _snap(phone, done, "story-12-nl-360-evaluated")
    phone.reload()  # a second evaluation: the form stays closed for good
    expect(phone.get_by_role("heading", name=f"Referentie: {reference}")).to_be_visible()
    expect(done).to_be_visible()
    _settled(phone)
    expect(phone.get_by_role("button", name="Mijn mening versturen")).to_have_count(0)
    expect(phone.get_by_text("Bedankt voor uw mening.")).to_have_count(0)  # the flash is gone
    _snap(phone, done, "story-13-nl-360-evaluated-again")


def test_e2e_story_initiative_books_agent_approves_key_goes_and_returns_both_evaluate(
    server: Server, phone: Page, desk: Page
) -> None:
    reference, period, link = _request_the_school_hall(phone, server)
    _follow_awaiting(phone, reference, period, link)
    _agent_approves_hands_over_takes_back(desk, server, reference)
    _initiative_evaluates(phone, reference, link)
