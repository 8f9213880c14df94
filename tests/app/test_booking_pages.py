"""The public pages of shared resources through AppTest: the spaces and garage list in French
and Dutch, a request on the instant library room (reference and follow link), the garage's
tables refused over the demo's slot with the next free slots as buttons, bad input refused
with nothing stored, and the follow page of a secret link (access instructions, notes,
cancelling, the evaluation only after the booking)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_link, snapshot, texts
from vilco_core.resources import BRUSSELS, BookingStatus
from vilco_core.services import bookings, resources
from vilco_core.store import SqlUnitOfWork, make_engine

OpenPage = Callable[..., AppTest]
LIBRARY, SCHOOL, TABLES = 1, 2, 6
DEMO_TOKEN = "demo-follow-repair-cafe"  # the library, day+1 18:00–20:00, confirmed
CUPS_TOKEN = "demo-6"  # 200 cups, ended three days ago, handed over, never returned
ATELIER_TOKEN = "demo-follow-atelier-velo"  # the school hall, day+3, awaiting approval
SCORES = ("ease", "state", "usefulness")


def _follow(url: str, token: str) -> bookings.FollowedRequest:
    engine = make_engine(url)
    try:
        return bookings.follow_booking(SqlUnitOfWork(engine), token)
    finally:
        engine.dispose()


def _party_day(url: str) -> dt.date:
    """The day of the demo's street party: 10 of the 20 tables out from 10:00 (day+5, or the
    next day the garage opens)."""
    engine = make_engine(url)
    try:
        now = dt.datetime.now(dt.UTC)
        slots = resources.agenda(SqlUnitOfWork(engine), TABLES, dt.date.today(), 14, now)
    finally:
        engine.dispose()
    return next(s.starts_at.astimezone(BRUSSELS).date() for s in slots if s.left == 10)


def _untranslated(at: AppTest) -> list[str]:
    return [text for text in texts(at) if "⟦" in text]


def _form(at: AppTest, initiative: str, email: str) -> None:
    by_label = {w.label: w for w in at.text_input}
    by_label.get("Nom de l’initiative", by_label.get("Naam van het initiatief")).input(initiative)
    by_label.get("E-mail de contact", by_label.get("Contact-e-mail")).input(email)


def _submit(at: AppTest) -> AppTest:
    [send] = [b for b in at.button if b.label in ("Envoyer la demande", "Aanvraag versturen")]
    return send.click().run()


@pytest.mark.parametrize(
    ("lang", "space", "item", "instant"),
    [
        ("fr", "#### Salle de lecture de la bibliothèque communale", "#### Tables pliantes",
         "Réservation confirmée immédiatement"),
        ("nl", "#### Leeszaal van de gemeentelijke bibliotheek", "#### Plooitafels",
         "Reservering meteen bevestigd"),
    ],
)  # fmt: skip
def test_spaces_list_renders_spaces_then_garage(
    open_page: OpenPage, lang: str, space: str, item: str, instant: str
) -> None:
    at = open_page("pages/spaces.py", lang=lang)
    assert not at.exception and not at.error
    markdown = [m.value for m in at.markdown]
    assert space in markdown and item not in markdown
    assert any(instant in m for m in markdown)
    assert len(at.get("deck_gl_json_chart")) == 1  # the map of spaces
    assert len(at.get("download_button")) == 4  # each space's public calendar
    assert _untranslated(at) == []
    at.radio(key="vilco_resource_kind").set_value("item").run()
    markdown = [m.value for m in at.markdown]
    assert item in markdown and space not in markdown
    assert at.get("deck_gl_json_chart") == []  # no map for the garage
    assert _untranslated(at) == []


def test_spaces_request_on_the_instant_library_gets_a_reference(
    open_page: OpenPage, demo_db: str
) -> None:
    at = open_page("pages/spaces.py", lang="fr")
    at.button(key=f"bk-choose-{LIBRARY}").click().run()
    free = [b for b in at.button if b.key and b.key.startswith("bk-slot-")]
    assert free and all("libre" in b.label for b in free)
    assert _untranslated(at) == []
    free[0].click().run()
    _form(at, "Repair Café du Midi", "midi@example.org")
    at = _submit(at)
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["C’est réservé : votre réservation est confirmée."]
    [heading] = [m.value for m in at.markdown if m.value.startswith("### Référence : BK-")]
    [link] = [c.value for c in at.code]
    base, rest = link.split("/booking?t=")
    token, lang = rest.split("&lang=")
    assert base.startswith("http") and len(token) > 20 and lang == "fr"
    followed = _follow(demo_db, token)
    assert followed.reference == heading.removeprefix("### Référence : ")
    assert followed.status is BookingStatus.CONFIRMED
    assert followed.bookings[0].initiative == "Repair Café du Midi"
    at.run()  # a rerun keeps the receipt on screen
    assert [c.value for c in at.code] == [link]
    at.button[-1].click().run()  # "make another booking": the link is gone for good
    assert at.code == [] and not at.exception


def test_spaces_tables_over_the_demo_slot_are_refused_with_next_slots(
    open_page: OpenPage, demo_db: str
) -> None:
    day = _party_day(demo_db)
    at = open_page("pages/spaces.py", lang="nl")
    at.radio(key="vilco_resource_kind").set_value("item").run()
    at.button(key=f"bk-choose-{TABLES}").click().run()
    at.selectbox(key=f"bk-day-{TABLES}").set_value(day).run()
    periods = [b.label for b in at.button if b.key and b.key.startswith("bk-slot-")]
    assert "10:00–18:00 · vrij · beschikbaar: 10" in periods
    at.selectbox(key=f"bk-start-{TABLES}-{day}").set_value("10:00").run()
    at.selectbox(key=f"bk-end-{TABLES}-{day}").set_value("12:00").run()
    at.number_input[0].set_value(15)
    _form(at, "Buurtfeest", "feest@example.org")
    before = snapshot(demo_db)
    at = _submit(at)
    [error] = [e.value for e in at.error]
    assert error.startswith("Er zijn er nog maar 10 over in dit tijdslot (u vraagt er 15).")
    suggested = [b for b in at.button if b.key and b.key.startswith("bk-next-")]
    assert suggested
    assert snapshot(demo_db) == before
    first = dt.datetime.fromisoformat(suggested[0].key.removeprefix("bk-next-"))
    suggested[0].click().run()  # fills the form's day and times
    start = first.astimezone(BRUSSELS)
    assert at.selectbox(key=f"bk-day-{TABLES}").value == start.date()
    assert at.selectbox(key=f"bk-start-{TABLES}-{start.date()}").value == f"{start:%H:%M}"
    assert not at.error


def test_spaces_bad_email_is_refused_and_nothing_stored(open_page: OpenPage, demo_db: str) -> None:
    at = open_page("pages/spaces.py", lang="fr")
    at.button(key=f"bk-choose-{LIBRARY}").click().run()
    _form(at, "Atelier", "pas-une-adresse")
    before = snapshot(demo_db)
    at = _submit(at)
    assert [e.value for e in at.error] == ["Indiquez une adresse e-mail valide."]
    assert at.code == [] and snapshot(demo_db) == before


def test_follow_page_shows_the_demo_booking_with_its_access(demo_db: str) -> None:
    at = open_link("pages/booking.py", "fr", t=DEMO_TOKEN)
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Confirmée"]
    assert "### Référence : BK-DEMO01" in [m.value for m in at.markdown]
    assert any("4821" in i.value for i in at.info)  # the side door's code: confirmed only
    assert [d.label for d in at.get("download_button")] == ["Ajouter à mon agenda (.ics)"]
    # The evaluation opens once the booking has ended: not yet.
    assert any(c.value.startswith("Vous pourrez évaluer le service") for c in at.caption)
    assert "Envoyer mon avis" not in [b.label for b in at.button]
    assert _untranslated(at) == []
    at.query_params.clear()  # Streamlit drops the link's parameters: the session keeps them
    at.run()
    assert "### Référence : BK-DEMO01" in [m.value for m in at.markdown]


def test_follow_page_refuses_a_wrong_token_showing_nothing_else(demo_db: str) -> None:
    at = open_link("pages/booking.py", "nl", t="not-a-real-token")
    assert [e.value for e in at.error] == ["Deze opvolglink is niet geldig."]
    assert not [m for m in at.markdown if "BK-" in m.value]
    assert at.success == [] and at.info == [] and at.get("download_button") == []
    at.button[0].click().run()  # "try another link": the paste field, the bad token gone
    assert at.error == [] and [w.label for w in at.text_input] == ["Opvolglink"]
    at.text_input[0].input(f"http://127.0.0.1:8501/booking?t={DEMO_TOKEN}&lang=nl")
    at.button[0].click().run()
    assert "### Referentie: BK-DEMO01" in [m.value for m in at.markdown]


def test_follow_page_of_a_request_hides_access_and_cancels_after_confirming(
    demo_db: str,
) -> None:
    at = open_link("pages/booking.py", "fr", t=ATELIER_TOKEN)
    assert [i.value for i in at.info] == ["En attente d’approbation par la commune"]
    assert at.get("download_button") == []
    at.button[0].click().run()  # "Annuler ma réservation"
    assert _follow(demo_db, ATELIER_TOKEN).status is BookingStatus.REQUESTED
    assert at.warning[0].value.startswith("Annuler vraiment ?")
    [yes] = [b for b in at.button if b.label == "Oui, annuler"]
    yes.click().run()
    assert _follow(demo_db, ATELIER_TOKEN).status is BookingStatus.CANCELLED
    assert [s.value for s in at.success] == ["Votre réservation est annulée."]


def test_follow_page_takes_a_check_in_note(demo_db: str) -> None:
    at = open_link("pages/booking.py", "fr", t=DEMO_TOKEN)
    at.text_area[0].input("Tables rangées, une chaise cassée.")
    [save] = [b for b in at.button if b.label == "Enregistrer la note"]
    save.click().run()
    assert "Note enregistrée, merci." in [s.value for s in at.success]
    [save] = [b for b in at.button if b.label == "Enregistrer la note"]
    save.click().run()  # an empty note is refused, in French
    assert at.error and not at.exception


def test_follow_page_evaluates_an_ended_loan_once(demo_db: str) -> None:
    at = open_link("pages/booking.py", "en", t=CUPS_TOKEN)
    [send] = [b for b in at.button if b.label == "Send my opinion"]
    send.click().run()  # no score given: refused
    assert at.error and "Thank you for your opinion." not in [s.value for s in at.success]
    for name in SCORES:
        at.radio(key=f"bk-score-{name}").set_value(4)
    [send] = [b for b in at.button if b.label == "Send my opinion"]
    send.click().run()
    assert "Thank you for your opinion." in [s.value for s in at.success]
    # once given, the form is gone (the core refuses a second one from a stale page too)
    done = "You have given your opinion on this booking. Thank you!"
    assert done in [s.value for s in at.success]
    assert "Send my opinion" not in [b.label for b in at.button] and at.error == []
    at = open_link("pages/booking.py", "en", t=CUPS_TOKEN)
    assert [s.value for s in at.success if s.value == done] == [done]
    assert "Send my opinion" not in [b.label for b in at.button]


def test_spaces_agenda_shows_a_pending_request_without_its_name(
    open_page: OpenPage, demo_db: str
) -> None:
    engine = make_engine(demo_db)
    try:
        now = dt.datetime.now(dt.UTC)
        slots = resources.agenda(SqlUnitOfWork(engine), SCHOOL, dt.date.today(), 14, now)
    finally:
        engine.dispose()
    [day] = {s.starts_at.astimezone(BRUSSELS).date() for s in slots if s.state == "pending"}
    at = open_page("pages/spaces.py", lang="fr")
    at.button(key=f"bk-choose-{SCHOOL}").click().run()
    at.selectbox(key=f"bk-day-{SCHOOL}").set_value(day).run()
    labels = [b.label for b in at.button if b.key and b.key.startswith("bk-slot-")]
    assert any(label.endswith("· demande en attente") for label in labels)
    assert not [text for text in texts(at) if "Atelier" in text or "velo@" in text]


def test_spaces_weekly_request_books_every_week_of_the_series(
    open_page: OpenPage, demo_db: str
) -> None:
    at = open_page("pages/spaces.py", lang="nl")
    at.button(key=f"bk-choose-{LIBRARY}").click().run()
    [free] = [b for b in at.button if b.key and b.key.startswith("bk-slot-")][:1]
    free.click().run()
    at.selectbox[-1].set_value(4)  # "Elke week, 4 weken"
    _form(at, "Taalcafé", "taal@example.org")
    at = _submit(at)
    assert not at.error
    [receipt] = [m.value for m in at.markdown if m.value.startswith("**Leeszaal")]
    assert len(receipt.split("  \n")) == 5  # the room's name, then four dates a week apart
