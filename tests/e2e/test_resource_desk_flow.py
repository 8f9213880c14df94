"""In a real browser at 1280 px, on `streamlit run serve.py`: the demo agent approves the request
BK-DEMO02, hands the key over and takes it back, writes the agent's evaluation (French, then
Dutch); the space's public and staff calendar feeds, fetched over HTTP, are valid iCalendar."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, shot, staff_login

pytestmark = pytest.mark.e2e
CSV = (
    b"kind,commune,name_fr,name_nl,hours,address,lat,lon,quantity\n"
    b"item,21013,Chaises,Stoelen,mon-sat 08:00-20:00,,,,40\n"
    b"space,21015,Salle,Zaal,mon-fri 09:00-17:00,Rue X 1,50.86,4.37,1\n"
)


def _png() -> bytes:
    """A 4×4 green PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x0b\x6e\x4f" * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


def _ics(url: str) -> Calendar:
    with urllib.request.urlopen(url, timeout=20) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        return Calendar.from_ical(response.read())


def test_e2e_agent_approves_hands_over_takes_back_and_evaluates(server: Server, page: Page) -> None:
    staff_login(page, server, "agent")
    expect(page.get_by_role("link", name="Accueil des réservations")).to_be_visible()
    expect(page.get_by_role("link", name="Projets")).to_have_count(0)  # not an agent's page

    page.get_by_role("link", name="Accueil des réservations").click()
    expect(page.get_by_role("heading", name="Accueil des réservations")).to_be_visible()
    expect(page.get_by_text("Retours en retard : 1")).to_be_visible()  # the demo cups
    request = page.locator(".st-key-space-request-BK-DEMO02")
    expect(request).to_contain_text("Atelier")
    request.get_by_label("Note pour l’initiative (facultatif)").fill("Clé à l’accueil")
    shot(page, "resources-01-desk-request-fr")
    request.get_by_role("button", name="Approuver").click()
    expect(page.get_by_text("BK-DEMO02 approuvée.")).to_be_visible()
    expect(page.locator(".st-key-space-request-BK-DEMO02")).to_have_count(0)

    page.get_by_text("Nederlands", exact=True).click()
    page.get_by_role("tab", name="Bevestigde reserveringen").click()
    card = page.locator("[class*='st-key-space-day-']").filter(has_text="BK-DEMO02").first
    expect(card).to_contain_text("sleutel nog niet overhandigd")
    card.get_by_text("Notities bij aankomst / vertrek").click()  # check-in note with a photo
    card.get_by_label("Staat van de ruimte of het materiaal").fill("Zaal proper, 30 stoelen.")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "zaal.png", "mimeType": "image/png", "buffer": _png()}]
    )
    card.get_by_role("button", name="Notitie opslaan").click()
    expect(page.get_by_text("Notitie opgeslagen.")).to_be_visible()
    card = page.locator("[class*='st-key-space-day-']").filter(has_text="BK-DEMO02").first
    card.get_by_text("Notities bij aankomst / vertrek").click()
    expect(card.get_by_text("Zaal proper, 30 stoelen.")).to_be_visible()
    expect(card.get_by_role("img")).to_have_count(1)
    card.get_by_role("button", name="Sleutel overhandigd").click()
    expect(page.get_by_text("BK-DEMO02: overhandigd.")).to_be_visible()
    page.get_by_role("tab", name="Bevestigde reserveringen").click()
    card = page.locator("[class*='st-key-space-day-']").filter(has_text="BK-DEMO02").first
    expect(card).to_contain_text("overhandigd op")
    card.scroll_into_view_if_needed()
    shot(page, "resources-02-desk-handed-nl")
    card.get_by_role("button", name="Sleutel teruggebracht").click()
    expect(page.get_by_text("BK-DEMO02: teruggebracht.")).to_be_visible()

    page.get_by_role("tab", name="Bevestigde reserveringen").click()
    card = page.locator("[class*='st-key-space-day-']").filter(has_text="BK-DEMO02").first
    card.get_by_text("Evaluatie door de beheerder").click()
    card.get_by_label("Opmerking").fill("Sleutel netjes terug, zaal proper.")
    shot(page, "resources-03-evaluation-nl")
    card.get_by_role("button", name="Evaluatie versturen").click()
    expect(page.get_by_text("Evaluatie opgeslagen.")).to_be_visible()

    page.get_by_role("link", name="Evaluaties van ruimtes").click()
    expect(page.get_by_role("heading", name="Evaluaties van ruimtes en materiaal")).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    page.wait_for_timeout(1000)
    shot(page, "resources-04-scores-nl")

    page.get_by_text("Français", exact=True).click()
    page.get_by_role("link", name="Espaces et ressourcerie").click()
    expect(page.get_by_role("heading", name="Ressources partagées")).to_be_visible()
    page.get_by_role("tab", name="Modifier").click()
    page.get_by_text("Calendriers").click()
    codes = page.get_by_test_id("stCode").filter(visible=True)
    expect(codes).to_have_count(2)
    public_url, staff_url = (c.inner_text().strip() for c in codes.all())
    shot(page, "resources-05-edit-fr")

    page.get_by_role("tab", name="Importer un CSV").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "ressources.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_role("button", name="Importer", exact=True).click()
    # the Schaerbeek row, named once; nothing imported
    expect(
        page.get_by_text("Ligne 3 : Vous ne gérez pas la commune 21015.", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("Chaises")).to_have_count(0)
    shot(page, "resources-06-import-errors-fr")

    # the first managed resource is the library room (1): its feeds over HTTP
    assert public_url.startswith(f"{server.url}/feeds/space-1.ics")
    public = _ics(public_url)
    summaries = [str(e["SUMMARY"]) for e in public.walk("VEVENT")]
    assert summaries and set(summaries) == {"Réservé"}
    staff = _ics(staff_url)
    assert any("BK-DEMO01" in str(e["SUMMARY"]) for e in staff.walk("VEVENT"))
    school = _ics(f"{server.url}/feeds/space-2.ics?lang=nl")  # the approved request is in it
    assert [str(e["SUMMARY"]) for e in school.walk("VEVENT")] == ["Gereserveerd"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(staff_url.replace("staff-1-", "staff-2-"), timeout=20)
    assert refused.value.code == 404
    refused.value.close()  # the error holds the response's socket
