"""On a phone-sized screen (360x740) in a real browser: a card's QR link, three taps, the
receipt; the same link again says "already used"; a poster's link asks for a code, in Dutch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, shot
from vilco_core.model import Role, StaffUser
from vilco_core.services import voting
from vilco_core.store import SqlUnitOfWork, make_engine

pytestmark = pytest.mark.e2e
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fr-BE", is_mobile=True, has_touch=True
    )
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def _codes(server: Server, count: int) -> tuple[str, ...]:
    engine = make_engine(server.database_url)
    try:
        return voting.issue_codes(SqlUnitOfWork(engine), ADMIN, 1, count, dt.date.today()).codes
    finally:
        engine.dispose()


def _vote_three_taps(page: Page, vote: str, confirm: str) -> None:
    page.get_by_test_id("stCheckbox").first.click()  # tap 1: a project
    page.get_by_role("button", name=vote, exact=True).click()  # tap 2
    page.get_by_role("button", name=confirm, exact=True).click()  # tap 3


def test_e2e_vote_on_a_phone_in_french_and_dutch(server: Server, phone: Page) -> None:
    card, typed = _codes(server, 2)
    phone.goto(f"{server.url}/vote?c={card}")
    expect(phone.get_by_text("Cochez les projets que vous approuvez.")).to_be_visible()
    expect(phone.get_by_role("checkbox").first).to_be_visible()  # the ballot, not its skeleton
    shot(phone, "vote-01-fr-ballot")
    _vote_three_taps(phone, "Voter", "Confirmer")
    expect(phone.get_by_text("Merci, votre vote est enregistré.")).to_be_visible()
    expect(phone.get_by_text("Votre reçu :")).to_be_visible()
    shot(phone, "vote-02-fr-receipt")

    phone.goto(f"{server.url}/vote?c={card}")  # the card scanned again, in a fresh session
    expect(phone.get_by_text("Ce code a déjà été utilisé")).to_be_visible()
    shot(phone, "vote-03-fr-already-used")

    phone.goto(f"{server.url}/vote?site=2&lang=nl")  # a poster, printed for Dutch speakers
    expect(phone.get_by_text("Plek: Parvis de Saint-Gilles")).to_be_visible()
    expect(phone.get_by_label("Code van uw stemkaart")).to_be_visible()
    shot(phone, "vote-04-nl-poster-asks-code")
    phone.get_by_label("Code van uw stemkaart").fill(typed.lower())
    phone.get_by_role("button", name="Verder").click()
    expect(phone.get_by_text("Vink de projecten aan die u goedkeurt.")).to_be_visible()
    _vote_three_taps(phone, "Stemmen", "Bevestigen")
    expect(phone.get_by_text("Bedankt, uw stem is geregistreerd.")).to_be_visible()
    shot(phone, "vote-05-nl-receipt")

    phone.goto(f"{server.url}/vote?c=%3Cscript%3Ealert(1)%3C/script%3E")
    expect(phone.get_by_text("Ce lien de vote n'est pas reconnu.")).to_be_visible()
    expect(phone.get_by_text("Traceback")).to_have_count(0)
    shot(phone, "vote-06-junk-link")
