"""In a real browser: a facilitator uploads a pool and quotas, publishes the lottery, enters the
seed in the projected ceremony and sees the panel; then anyone reproduces it on the check page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, shot, staff_login
from vilco_core.services import draws
from vilco_core.store import SqlUnitOfWork, make_engine

pytestmark = pytest.mark.e2e
QUOTAS = "feature,value,min,max\ngender,woman,3,5\ngender,man,3,5\nage,young,2,5\nage,old,2,5\n"


def _files(folder: Path) -> tuple[Path, Path]:
    """A small synthetic pool (with contact columns that must not be published) and quotas."""
    lines = ["id,name,email,gender,age"]
    for i in range(40):
        gender, age = ("woman", "man")[i % 2], ("young", "old")[(i // 3) % 2]
        lines.append(f"E{i:02d},Personne {i},e{i}@example.org,{gender},{age}")
    pool, quotas = folder / "pool.csv", folder / "quotas.csv"
    pool.write_text("\n".join(lines) + "\n", encoding="utf-8")
    quotas.write_text(QUOTAS, encoding="utf-8")
    return pool, quotas


def _login(page: Page, server: Server) -> None:
    staff_login(page, server, "facilitator")
    expect(page.get_by_text("Bienvenue, Facilitatrice Saint-Gilles")).to_be_visible()


def test_e2e_facilitator_draws_a_panel_and_the_public_reproduces_it(
    server: Server, page: Page, browser: Browser, tmp_path: Path
) -> None:
    pool, quotas = _files(tmp_path)
    _login(page, server)
    page.get_by_role("link", name="Tirage au sort").click()
    expect(page.get_by_role("heading", name="Tirage au sort d'un panel")).to_be_visible()
    wanted = page.get_by_text("Quotas — 40 volontaires, panel de 8")
    for attempt in range(3):  # a value typed or a file sent during a rerun can be dropped
        size = page.get_by_label("Taille du panel")
        size.fill("8")
        size.press("Enter")
        page.wait_for_timeout(1500 * (attempt + 1))  # the rerun that takes the size
        page.locator(".st-key-draw-pool input[type=file]").set_input_files(pool)
        expect(page.get_by_text("pool.csv")).to_be_visible()
        page.locator(".st-key-draw-quotas input[type=file]").set_input_files(quotas)
        try:
            expect(wanted).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            continue
    expect(wanted).to_be_visible()
    page.get_by_role("button", name="Calculer la loterie").click()
    expect(page.get_by_text("Loterie prête", exact=False)).to_be_visible()
    page.get_by_role("button", name="Publier la loterie").click()
    expect(page.get_by_text("Loterie publiée.", exact=False)).to_be_visible()

    page.get_by_text("Mode projecteur (masque le menu)").click()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    page.get_by_label("Graine (par ex. les dés lancés par les témoins)").fill("4 2 6 1 3 5")
    page.get_by_label("Témoins (un nom par ligne)").fill("Ana Peeters\nJef Dupont")
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.get_by_text("Mode projecteur (masque le menu)").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, "draw-ceremony")
    page.get_by_role("button", name="Tirer le panel").click()
    expect(page.get_by_text("8 membres tirés ; tous les quotas sont respectés.")).to_be_visible()
    expect(page.get_by_text("Ana Peeters, Jef Dupont")).to_be_visible()
    page.get_by_text("Mode projecteur (masque le menu)").click()
    page.set_viewport_size({"width": 1280, "height": 2900})  # the page scrolls inside Streamlit
    page.wait_for_timeout(1500)  # let the chart draw
    shot(page, "draw-panel")

    engine = make_engine(server.database_url)
    draw = draws.list_draws(SqlUnitOfWork(engine), 1)[0]
    engine.dispose()
    assert draw.seed == "4 2 6 1 3 5" and len(draw.panel) == 8
    assert "example.org" not in draw.pool_csv

    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    visitor = public.new_page()
    visitor.goto(f"{server.url}/verify")
    expect(visitor.get_by_role("heading", name="Vérifier un tirage au sort")).to_be_visible()
    visitor.get_by_text("Utiliser le vivier publié").click()
    visitor.locator(".st-key-verify-pool input[type=file]").set_input_files(pool)
    seed = visitor.get_by_label("Graine")
    seed.fill("4 2 6 1 3 5")
    seed.press("Enter")
    visitor.get_by_role("button", name="Vérifier").click()
    expect(visitor.get_by_text("Même panel : les 8 membres tirés", exact=False)).to_be_visible()
    expect(visitor.get_by_text(draw.lottery_sha256).first).to_be_visible()
    visitor.set_viewport_size({"width": 1280, "height": 1700})
    visitor.wait_for_timeout(500)
    shot(visitor, "verify")
    seed.fill("4 2 6 1 3 6")
    seed.press("Enter")
    visitor.get_by_role("button", name="Vérifier").click()
    expect(visitor.get_by_text("Panel différent de celui publié", exact=False)).to_be_visible()
    public.close()
