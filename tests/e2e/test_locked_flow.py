"""In a real browser, during the demo's vote: the facilitator's process form shows what decides
the result disabled with the reason, offers only Saint-Gilles (Schaerbeek shown as fixed), and
the projects page withdraws a project only with a reason; the results page names it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, shot, staff_login

pytestmark = pytest.mark.e2e


def _login(page: Page, server: Server) -> None:
    staff_login(page, server, "facilitator")
    expect(page.get_by_text("Bienvenue, Facilitatrice Saint-Gilles")).to_be_visible()


def test_e2e_locked_process_and_withdrawal(server: Server, page: Page) -> None:
    _login(page, server)
    page.get_by_role("link", name="Processus").click()
    page.get_by_label("Processus à modifier").click()
    page.get_by_role("option", name="Quartiers vivants").click()
    expect(page.get_by_text("Le vote est ouvert : la règle")).to_be_visible()
    expect(page.get_by_role("textbox", name="Enveloppe (€)")).to_be_disabled()
    expect(page.get_by_text("Schaerbeek", exact=False).first).to_be_visible()
    shot(page, "locked-process-form")
    page.get_by_role("link", name="Projets").click()
    page.get_by_role("tab", name="Retirer du bulletin").click()
    page.get_by_role("button", name="Retirer", exact=True).click()
    expect(page.get_by_text("Un retrait demande un motif")).to_be_visible()
    page.get_by_label("Motif (affiché sur la page des résultats)").fill(
        "Permis refusé par la Région"
    )
    page.get_by_role("button", name="Retirer", exact=True).click()
    expect(page.get_by_text("a été retiré du bulletin")).to_be_visible()
    shot(page, "locked-withdrawal")
    page.get_by_role("link", name="Résultats").click()
    expect(page.get_by_text("Retiré pendant le vote")).to_be_visible(timeout=60_000)
    shot(page, "locked-results")
