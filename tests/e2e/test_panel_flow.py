"""A panel evening in real browsers: the facilitator creates a session and runs two rounds,
three members vote from phones (360x740) that follow the facilitator without reloading, and
the projector (1920x1080, French and Dutch side by side) refreshes itself to show both rounds."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Server, shot, staff_login

pytestmark = pytest.mark.e2e
MEMBERS = ("Alice", "Bob", "Chloé")


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def _open(browser: Browser, contexts: list[BrowserContext], width: int, height: int,
          mobile: bool = False) -> Page:  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-BE",
                                  is_mobile=mobile, has_touch=mobile)  # fmt: skip
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def _login(page: Page, server: Server) -> None:
    staff_login(page, server, "facilitator")
    expect(page.get_by_text("Bienvenue, Facilitatrice Saint-Gilles")).to_be_visible()


def _create_session(page: Page) -> dict[str, str]:
    page.get_by_role("link", name="Sessions de panel").click()
    page.get_by_label("Titre de la session").fill("Panel du jeudi")
    page.get_by_label("Membres (un par ligne : identifiant ou nom)").fill("\n".join(MEMBERS))
    page.get_by_role("button", name="Créer la session et ses codes").click()
    expect(page.get_by_text("3 codes personnels créés")).to_be_visible()
    page.get_by_text("Montrer les QR codes à l'écran").click()
    codes = {}
    for name in MEMBERS:
        caption = page.get_by_text(re.compile(f"^{name} · ")).inner_text()
        codes[name] = caption.split(" · ")[1].strip()
    return codes


def _open_round(page: Page, kind: str, number: int) -> None:
    page.get_by_test_id("stForm").get_by_text(kind, exact=True).click()
    page.get_by_role("button", name="Ouvrir le tour").click()
    expect(page.get_by_text(f"Le tour {number} est ouvert")).to_be_visible()


def _vote(phone: Page, number: int, picks: tuple[int, ...]) -> None:
    expect(phone.get_by_role("heading", name=f"Tour {number}")).to_be_visible(timeout=15_000)
    boxes = phone.get_by_test_id("stCheckbox")
    for i in picks:
        boxes.nth(i).click()
    phone.get_by_role("button", name="Envoyer mon vote").click()
    expect(phone.get_by_text(f"Votre vote du tour {number} est enregistré.")).to_be_visible()


def test_e2e_panel_two_rounds_on_phones_and_projector(
    server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    facilitator = _open(browser, contexts, 1400, 1000)
    _login(facilitator, server)
    codes = _create_session(facilitator)
    phones = [_open(browser, contexts, 360, 740, mobile=True) for _ in MEMBERS]
    for phone, name in zip(phones, MEMBERS, strict=True):
        phone.goto(f"{server.url}/panel?c={codes[name]}")
        expect(phone.get_by_text("En attente du prochain tour de vote")).to_be_visible()
    projector = _open(browser, contexts, 1920, 1080)
    projector.goto(f"{server.url}/projector?session=1&langs=fr+nl")
    expect(projector.get_by_text("En attente du prochain tour de vote")).to_be_visible()

    _open_round(facilitator, "Répartir le budget", 1)  # the phones follow without reloading
    for phone, picks in zip(phones, [(0, 1), (0, 2), (1,)], strict=True):
        _vote(phone, 1, picks)
    phones[0].get_by_role("heading", name="Panel du jeudi").scroll_into_view_if_needed()
    shot(phones[0], "panel-member")
    expect(projector.get_by_text("PROVISOIRE · VOORLOPIG")).to_be_visible(timeout=10_000)
    ballots = projector.get_by_test_id("stMetric").nth(1)  # members present, ballots
    expect(ballots).to_contain_text("3", timeout=10_000)
    phones[2].get_by_test_id("stCheckbox").nth(3).click()  # Chloé changes her mind
    phones[2].get_by_role("button", name="Remplacer mon vote").click()
    expect(phones[2].get_by_text("Votre vote du tour 1 est enregistré.")).to_be_visible()
    facilitator.get_by_role("button", name="Clore le tour 1").click()
    expect(facilitator.get_by_text("Ouvrir le tour 2")).to_be_visible()
    expect(projector.get_by_text("DÉFINITIF · DEFINITIEF")).to_be_visible(timeout=15_000)
    expect(ballots).to_contain_text("3")
    expect(phones[0].get_by_text("Le tour 1 est clos")).to_be_visible(timeout=10_000)
    projector.wait_for_timeout(3_000)  # the map is redrawn when the winners change
    shot(projector, "projector-round1")

    _open_round(facilitator, "Approbation", 2)
    for phone, picks in zip(phones, [(3,), (3, 4), (4,)], strict=True):
        _vote(phone, 2, picks)
    facilitator.get_by_role("button", name="Clore le tour 2").click()
    expect(projector.get_by_text(re.compile("Tour 2 · Ronde 2"))).to_be_visible(timeout=10_000)
    expect(projector.get_by_text("DÉFINITIF · DEFINITIEF")).to_be_visible(timeout=10_000)
    expect(projector.get_by_role("heading", name="Tour 1 · Ronde 1")).to_be_visible()
    projector.wait_for_timeout(3_000)
    shot(projector, "projector-round2")
    expect(facilitator.get_by_text("Du tour 1 au tour 2")).to_be_visible()  # what moved
    expect(facilitator.get_by_text("3 / 3")).to_be_visible()  # who joined, not who voted what
