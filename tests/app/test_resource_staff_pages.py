"""The staff pages of shared resources on the demo: spaces & garage (create, validation, an
agent's reach), the bookings desk (approve, hand over, take back, overdue, notes, the agent's
evaluation), the evaluation charts and their CSV; and the calendar feeds' handler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from icalendar import Calendar
from starlette.requests import Request
from streamlit.testing.v1 import AppTest

from tests.app.conftest import snapshot, texts
from vilco_core.calendars import feed_signature
from vilco_core.i18n import translate
from vilco_core.model import Role, StaffUser
from vilco_core.resources import BookingStatus
from vilco_core.services import bookings, premises, resources
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_ui import feeds, pages_table
from vilco_ui.config import DEMO_FEED_KEY

AGENT = StaffUser(username="agent", name="G", role=Role.AGENT, commune_codes=("21013",))
NEW = "space-form-new-space-0"


def _uow(url: str) -> SqlUnitOfWork:
    return SqlUnitOfWork(make_engine(url))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fill_new_space(at: AppTest, hours: str) -> None:
    for lang, name in {"fr": "Salle du Parvis", "nl": "Zaal van het Voorplein"}.items():
        at.text_input(key=f"{NEW}-name-{lang}").input(name)
    at.text_input(key=f"{NEW}-addr").input("Parvis de Saint-Gilles 1, 1060 Saint-Gilles")
    at.number_input(key=f"{NEW}-lat").set_value(50.8283)
    at.number_input(key=f"{NEW}-lon").set_value(4.3452)
    at.number_input(key=f"{NEW}-capacity").set_value(40)
    at.text_input(key=f"{NEW}-hours").input(hours)
    at.text_area(key=f"{NEW}-closures").input("2026-12-24..2027-01-01 congés")


def test_admin_creates_a_space(open_page: Callable[..., AppTest], demo_db: str) -> None:
    at = open_page("pages/manage_resources.py", user="admin", lang="fr")
    assert not at.exception
    deck = at.get("deck_gl_json_chart")[0].proto.json  # the point's map preview, offline
    assert "mapProvider" not in deck  # map_provider=None: no basemap tiles are fetched
    before = {r.id for r in resources.list_resources(_uow(demo_db))}
    at.selectbox(key=f"{NEW}-commune").set_value("21013")
    _fill_new_space(at, "mon-fri 09:00-18:00; sat 10:00-16:00")
    at.button(key=f"{NEW}-save").click().run()
    assert not at.exception and not at.error
    assert "« Salle du Parvis » enregistré." in [s.value for s in at.success]
    added = [r for r in resources.list_resources(_uow(demo_db)) if r.id not in before]
    assert [(r.name.get("nl"), r.commune_code, r.capacity) for r in added] == [
        ("Zaal van het Voorplein", "21013", 40)
    ]
    availability = added[0].availability
    assert len(availability.hours) == 6 and availability.closures[0].reason == "congés"
    assert at.text_input(key="space-form-new-space-1-name-fr").value == ""  # a fresh form


def test_unreadable_hours_are_refused_in_dutch_and_nothing_saved(
    open_page: Callable[..., AppTest], demo_db: str
) -> None:
    at = open_page("pages/manage_resources.py", user="admin", lang="nl")
    before = snapshot(demo_db)
    _fill_new_space(at, "lundi 9h-18h")
    at.number_input(key=f"{NEW}-lat").set_value(50.5)  # outside Brussels: the core says so
    at.button(key=f"{NEW}-save").click().run()
    message = at.error[0].value
    assert "‘lundi 9h-18h’ zijn onleesbaar" in message
    assert translate("errors.outside_brussels", "nl", lat=50.5, lon=4.3452)[:25] in message
    assert snapshot(demo_db) == before and not any("⟦" in x for x in texts(at))


def test_agent_reaches_only_saint_gilles(open_page: Callable[..., AppTest], demo_db: str) -> None:
    at = open_page("pages/manage_resources.py", user="agent", lang="fr")
    assert not at.exception
    assert at.selectbox(key=f"{NEW}-commune").options == ["Saint-Gilles"]
    editable = at.selectbox(key="space-edit-which").options
    assert len(editable) == 6 and not any(o.startswith(("3 ", "4 ")) for o in editable)
    schaerbeek = resources.get_managed_resource(
        _uow(demo_db), StaffUser(username="admin", name="A", role=Role.ADMIN), 3
    )
    with pytest.raises(Exception, match="forbidden"):
        resources.save_resource(_uow(demo_db), AGENT, schaerbeek)
    # editing a Saint-Gilles space: the library room's capacity
    at.selectbox(key="space-edit-which").set_value(1)
    at.run()
    at.number_input(key="space-form-1-0-capacity").set_value(12)
    at.button(key="space-form-1-0-save").click().run()
    assert not at.error
    assert resources.get_resource(_uow(demo_db), 1).capacity == 12


def test_staff_calendar_and_feed_urls(open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/manage_resources.py", user="agent", lang="en")
    assert "Download the staff calendar (.ics)" in [d.label for d in at.get("download_button")]
    codes = [c.value for c in at.code]
    first = at.selectbox(key="space-edit-which").value
    assert f"/feeds/space-{first}.ics?lang=en" in codes[0]
    signature = feed_signature(first, DEMO_FEED_KEY.encode())
    assert f"/feeds/staff-{first}-{signature}.ics?lang=en" in codes[1]


def test_agent_approves_the_demo_request(open_page: Callable[..., AppTest], demo_db: str) -> None:
    at = open_page("pages/bookings_desk.py", user="agent", lang="fr")
    assert any(m.value.startswith("**BK-DEMO02** · Préau") for m in at.markdown)
    at.text_input(key="space-note-BK-DEMO02").input("Clé à l’accueil")
    at.button(key="space-approve-BK-DEMO02").click().run()
    assert not at.exception and [s.value for s in at.success] == ["BK-DEMO02 approuvée."]
    (booking,) = bookings.list_bookings(_uow(demo_db), AGENT, resource_id=2)
    assert booking.status is BookingStatus.CONFIRMED and booking.decision_note == "Clé à l’accueil"
    assert not [b for b in at.button if b.key == "space-approve-BK-DEMO02"]


def test_hand_over_take_back_then_evaluate(open_page: Callable[..., AppTest], demo_db: str) -> None:
    at = open_page("pages/bookings_desk.py", user="agent", lang="nl")
    at.button(key="space-day-1-hand").click().run()
    assert [s.value for s in at.success] == ["BK-DEMO01: overhandigd."]
    assert not [b for b in at.button if b.key == "space-day-1-hand"]
    at.button(key="space-day-1-back").click().run()
    assert [s.value for s in at.success] == ["BK-DEMO01: teruggebracht."]
    (library,) = bookings.list_bookings(_uow(demo_db), AGENT, resource_id=1)
    assert library.handed_by == "agent" and library.returned_by == "agent"
    # returned: the agent's evaluation opens (before the booking's end)
    at.slider(key="space-day-1-ease").set_value(5)
    at.text_area(key="space-day-1-comment").input('=HYPERLINK("http://x")')
    at.button(key="FormSubmitter:space-day-1-evaluation-Evaluatie versturen").click().run()
    assert [s.value for s in at.success] == ["Evaluatie opgeslagen."]
    exported = premises.evaluations_csv(_uow(demo_db), AGENT, "nl")
    assert "'=HYPERLINK" in exported and ",agent,agent,5,3,3," in exported
    # once per side
    at.button(key="FormSubmitter:space-day-1-evaluation-Evaluatie versturen").click().run()
    assert at.error and "⟦" not in at.error[0].value


def test_a_check_in_note(open_page: Callable[..., AppTest], demo_db: str) -> None:
    at = open_page("pages/bookings_desk.py", user="agent", lang="en")
    area = next(a for a in at.text_area if a.label == "State of the premises or items")
    area.input("Chairs stacked, floor clean")
    at.button(key="FormSubmitter:space-day-1-note-Save the note").click().run()
    assert [s.value for s in at.success] == ["Note saved."]
    notes = premises.premises_notes(_uow(demo_db), AGENT, 1)
    assert [(n.moment, n.text) for n in notes] == [("check_in", "Chairs stacked, floor clean")]
    assert any(m.value.startswith("**Check-in** · agent") for m in at.markdown)


def test_overdue_cups_are_flagged(open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/bookings_desk.py", user="agent", lang="fr")
    (banner,) = at.error
    assert banner.value.startswith("### Retours en retard : 1")
    assert "BK-DEMO06" in banner.value and "200 × Gobelets" in banner.value
    out = [b for b in at.button if b.key == "space-out-6-back"]
    assert out and out[0].label == "Matériel rendu"
    out[0].click().run()
    assert not at.error  # taken back: no longer overdue


def test_evaluation_chart_and_numbers_per_language(
    open_page: Callable[..., AppTest], demo_db: str
) -> None:
    premises.evaluate_as_agent(_uow(demo_db), AGENT, 6, (4, 3, 5), "ok", _now())
    at = open_page("pages/resource_scores.py", user="agent", lang="fr")
    assert not at.exception and not at.info
    assert len(at.get("vega_lite_chart")) == 1
    table = at.dataframe[0].value
    assert list(table.iloc[0][["Facilité d’accès", "Utilité"]]) == ["4,0", "5,0"]
    english = open_page("pages/resource_scores.py", user="agent", lang="en")
    assert list(english.dataframe[0].value.iloc[0][["Ease of access", "Usefulness"]]) == [
        "4.0",
        "5.0",
    ]
    assert [d.label for d in english.get("download_button")] == ["Download every evaluation (CSV)"]


def test_no_evaluation_yet(open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/resource_scores.py", user="admin", lang="nl")
    assert [i.value for i in at.info] == ["Nog geen evaluaties."]
    assert at.get("download_button")[0].proto.disabled


@pytest.mark.parametrize("page", ["manage_resources", "bookings_desk", "resource_scores"])
def test_a_facilitator_is_refused(open_page: Callable[..., AppTest], page: str) -> None:
    at = open_page(f"pages/{page}.py", user="facilitator", lang="fr")
    assert [e.value for e in at.error] == [translate("access.forbidden", "fr")]
    assert not at.button and not at.title


def test_agent_sidebar_lists_only_the_resource_staff_pages() -> None:
    listed = [s.name for s in pages_table.PAGES if s.section == "staff" and s.listed(AGENT)]
    assert listed == ["bookings_desk", "manage_resources", "resource_scores", "login"]
    facilitator = StaffUser(username="f", name="F", role=Role.FACILITATOR)
    assert not {"bookings_desk", "manage_resources"} & {
        s.name for s in pages_table.PAGES if s.listed(facilitator)
    }


def _get(name: str, lang: str = "fr") -> tuple[int, bytes, str]:
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"/feeds/{name}.ics",
        "path_params": {"token": name},
        "query_string": f"lang={lang}".encode(),
        "headers": [],
    }
    response = feeds.feed(Request(scope))
    return response.status_code, bytes(response.body), response.media_type or ""


def test_feeds_public_staff_and_booking(demo_db: str) -> None:
    status, body, media = _get("space-1", "nl")
    assert (status, media) == (200, "text/calendar")
    events = Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Gereserveerd"]
    assert b"Repair" not in body and b"BK-DEMO01" not in body  # nobody named
    signature = feed_signature(1, DEMO_FEED_KEY.encode())
    status, body, _ = _get(f"staff-1-{signature}")
    staff_events = Calendar.from_ical(body).walk("VEVENT")
    assert status == 200 and "BK-DEMO01" in str(staff_events[0]["SUMMARY"])
    assert _get(f"staff-1-{'0' * 32}")[0] == 404
    assert _get(f"staff-3-{signature}")[0] == 404  # a signature holds for one resource only
    status, body, _ = _get("booking-demo-follow-repair-cafe", "en")
    assert status == 200 and Calendar.from_ical(body).walk("VEVENT")
    for junk in ("booking-no-such-token-here", "space-999", "space-x", "../etc/passwd"):
        assert _get(junk)[0] == 404


def test_staff_feed_off_without_a_key_outside_demo(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILCO_DEMO", "0")
    signature = feed_signature(1, DEMO_FEED_KEY.encode())
    assert _get(f"staff-1-{signature}")[0] == 404  # the demo key is refused outside demo mode
    monkeypatch.setenv("VILCO_FEED_KEY", "k" * 40)
    assert _get(f"staff-1-{feed_signature(1, b'k' * 40)}")[0] == 200


def test_agent_adds_a_garage_item(open_page: Callable[..., AppTest], demo_db: str) -> None:
    at = open_page("pages/manage_resources.py", user="agent", lang="nl")
    at.radio(key="space-new-kind").set_value("item").run()
    item = "space-form-new-item-0"
    assert len(at.get("deck_gl_json_chart")) == 1  # the edited library only: an item has no point
    at.text_input(key=f"{item}-name-fr").input("Chaises pliantes")
    at.text_input(key=f"{item}-name-nl").input("Klapstoelen")
    at.number_input(key=f"{item}-quantity").set_value(40)
    at.text_input(key=f"{item}-pickup").input("Magasin communal, rue de la Perche 12")
    at.text_area(key=f"{item}-conditions-fr").input("Caution de 20 €")
    at.toggle(key=f"{item}-instant").set_value(True)
    at.text_input(key=f"{item}-hours").input("mon-sat 08:00-20:00")
    at.number_input(key=f"{item}-max").set_value(3 * 24 * 60)
    at.button(key=f"{item}-save").click().run()
    assert [s.value for s in at.success] == ["‘Klapstoelen’ opgeslagen."]
    (chairs,) = [
        r for r in resources.list_resources(_uow(demo_db)) if r.name.get("nl") == "Klapstoelen"
    ]
    assert (chairs.kind.value, chairs.quantity, chairs.instant, chairs.commune_code) == (
        "item",
        40,
        True,
        "21013",
    )
    assert (
        chairs.conditions.get("fr") == "Caution de 20 €" and chairs.availability.max_minutes == 4320
    )


def test_feed_urls_use_the_public_address_when_set(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILCO_PUBLIC_URL", "https://participer.example.brussels/")
    at = open_page("pages/manage_resources.py", user="admin", lang="nl")
    urls = [c.value for c in at.code]
    assert urls[0] == "https://participer.example.brussels/feeds/space-1.ics?lang=nl"
    assert urls[1].startswith("https://participer.example.brussels/feeds/staff-1-")


def test_desk_summary_counts_requests_and_loans_out(open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/bookings_desk.py", user="agent", lang="en")
    assert "1 request(s) to decide · 1 key(s) or loan(s) out" in [c.value for c in at.caption]
    at.button(key="space-approve-BK-DEMO02").click().run()
    assert "0 request(s) to decide · 1 key(s) or loan(s) out" in [c.value for c in at.caption]
