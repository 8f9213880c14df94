"""Every page through AppTest: who may see it, in which language, and that it works."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest
from streamlit_authenticator.controllers.cookie_controller import CookieController

from tests.app.conftest import ROOT, texts
from vilco_core.demo import DEMO_PASSWORD
from vilco_core.i18n import translate
from vilco_core.services import staff
from vilco_core.store import SqlUnitOfWork, make_engine

PUBLIC = ["pages/home.py", "pages/map.py", "pages/login.py"]
STAFF = ["pages/processes.py", "pages/projects.py"]
OpenPage = Callable[..., AppTest]


@pytest.mark.parametrize("page", PUBLIC + STAFF + ["app.py"])
@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_pages_render_without_error_or_untranslated_key(
    open_page: OpenPage, page: str, lang: str
) -> None:
    at = open_page(page, user="admin", lang=lang)
    assert not at.exception
    assert not [text for text in texts(at) if "⟦" in text]


@pytest.mark.parametrize("page", STAFF)
def test_pages_staff_pages_refuse_anonymous(open_page: OpenPage, page: str) -> None:
    at = open_page(page)
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Cette page est réservée au personnel. Veuillez vous connecter."
    ]
    assert not at.title and not at.button


@pytest.mark.parametrize("page", STAFF)
def test_pages_staff_pages_refuse_the_poll_officer(open_page: OpenPage, page: str) -> None:
    at = open_page(page, user="officer", lang="nl")
    assert [e.value for e in at.error] == ["Uw rol geeft geen toegang tot deze pagina."]
    assert not at.title


@pytest.mark.parametrize("page", STAFF)
def test_pages_staff_pages_refuse_a_deleted_account(open_page: OpenPage, page: str) -> None:
    at = open_page(page, user="nobody")
    assert at.warning and not at.title


def test_pages_router_lists_staff_pages_only_for_staff(open_page: OpenPage) -> None:
    at = open_page("app.py")
    anonymous_links = [link.proto.page for link in at.sidebar.get("page_link")]
    assert "map" in anonymous_links and "processes" not in anonymous_links
    at.switch_page("pages/processes.py").run()  # registered, but the page refuses
    assert at.warning and not at.title
    admin = open_page("app.py", user="admin")
    assert "processes" in [link.proto.page for link in admin.sidebar.get("page_link")]
    admin.switch_page("pages/processes.py").run()
    assert admin.title[0].value == "Processus"


def test_pages_home_lists_running_processes_in_dutch(open_page: OpenPage) -> None:
    at = open_page("pages/home.py", lang="nl")
    assert at.title[0].value == "vilco — de collaboratieve stad"
    assert "Lopende processen: 3" in [s.value for s in at.subheader]
    assert any("Burgerbegroting" in m.value for m in at.markdown)


def test_pages_language_picker_switches_the_page(open_page: OpenPage) -> None:
    at = open_page("pages/home.py")
    assert at.title[0].value.endswith("la ville collaborative")
    at.sidebar.radio[0].set_value("nl").run()
    assert at.title[0].value.endswith("de collaboratieve stad")
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value.endswith("the collaborative city")


def test_pages_admin_creates_a_project_with_script_title(open_page: OpenPage) -> None:
    at = open_page("pages/projects.py", user="admin")
    form = {ti.label: ti for ti in reversed(at.text_input)}
    form["Identifiant"].set_value("NEW-1")
    form["Coût (€)"].set_value("2500")
    form["Titre (français)"].set_value("<script>alert(1)</script>")
    form["Titre (néerlandais)"].set_value("Nieuwe bloembakken")
    areas = {ta.label: ta for ta in reversed(at.text_area)}
    areas["Description (français)"].set_value("Des fleurs")
    areas["Description (néerlandais)"].set_value("Bloemen")
    at.button[0].click().run()
    assert not at.exception and not [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Projet « <script>alert(1)</script> » enregistré."]
    assert "<script>alert(1)</script>" in at.dataframe[0].value.iloc[:, 1].tolist()


def test_pages_project_form_reports_bad_input_and_writes_nothing(open_page: OpenPage) -> None:
    at = open_page("pages/projects.py", user="admin", lang="en")
    form = {ti.label: ti for ti in reversed(at.text_input)}
    form["Id"].set_value("SG-01")  # duplicate
    form["Cost (€)"].set_value("-3")
    at.button[0].click().run()
    assert not at.exception
    message = at.error[0].value
    assert "positive amount" in message and "required" in message
    assert len(at.dataframe[0].value) == 25


def test_pages_admin_creates_a_rolling_process(open_page: OpenPage) -> None:
    at = open_page("pages/processes.py", user="admin", lang="en")
    form = {ti.label: ti for ti in reversed(at.text_input)}
    form["Name (French)"].set_value("Appel continu")
    form["Name (Dutch)"].set_value("Doorlopende oproep")
    form["Envelope (€)"].set_value("40000")
    at.multiselect[0].set_value(["21013"])
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception and not [e.value for e in at.error]
    assert at.success[0].value == "Process ‘Appel continu’ saved."


def test_pages_facilitator_cannot_pick_other_communes(open_page: OpenPage) -> None:
    at = open_page("pages/processes.py", user="facilitator")
    assert at.multiselect[0].options == ["Saint-Gilles"]


def test_pages_map_escapes_titles_and_draws_without_tiles(open_page: OpenPage) -> None:
    at = open_page("pages/map.py", lang="nl")
    deck = at.get("deck_gl_json_chart")[0].proto.json
    assert "Gedeelde moestuinbakken" in deck
    assert "mapProvider" not in deck  # map_provider=None: no basemap tiles are fetched
    assert "Lijst van de projecten" in [e.label for e in at.expander]


@pytest.mark.parametrize(("basemap", "tiles"), [(None, False), ("none", False), ("carto", True)])
def test_pages_map_is_offline_unless_carto_is_asked_for(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, basemap: str | None, tiles: bool
) -> None:
    if basemap is None:
        monkeypatch.delenv("VILCO_BASEMAP", raising=False)
    else:
        monkeypatch.setenv("VILCO_BASEMAP", basemap)
    at = open_page("pages/map.py", lang="fr")
    deck = at.get("deck_gl_json_chart")[0].proto.json
    assert ("mapProvider" in deck) is tiles


def test_pages_upload_limit_is_the_apps_own() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 5  # MB: the app's 5,000,000-byte checks fit in


def test_pages_login_locks_after_five_failures(open_page: OpenPage) -> None:
    at = open_page("pages/login.py", lang="en")
    for attempt in range(6):
        at.text_input[0].set_value("admin")
        at.text_input[1].set_value(f"wrong-{attempt}")
        at.button[0].click().run()
    assert any("locked for 15 minutes" in e.value for e in at.error)
    at.text_input[0].set_value("admin")
    at.text_input[1].set_value("vilco-demo-2026")
    at.button[0].click().run()
    assert any("locked" in e.value for e in at.error)
    assert not at.session_state["authentication_status"]


def test_pages_login_with_the_right_password(open_page: OpenPage) -> None:
    at = open_page("pages/login.py", lang="fr")
    at.text_input[0].set_value("admin")
    at.text_input[1].set_value("vilco-demo-2026")
    at.button[0].click().run()
    assert at.session_state["authentication_status"] is True
    assert at.title[0].value == "Bienvenue, Admin démo"


def _cookie_for(monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    """A valid signed login cookie for `username`, as a browser would send it back."""
    token = {"username": username, "exp_date": dt.datetime.now().timestamp() + 3600}
    monkeypatch.setattr(CookieController, "get_cookie", lambda self: token)


def _lock(url: str, username: str) -> None:
    engine = make_engine(url)
    for _ in range(staff.MAX_FAILED_LOGINS):
        staff.log_in(SqlUnitOfWork(engine), username, "wrong", dt.datetime.now(dt.UTC), demo=True)
    engine.dispose()


@pytest.mark.parametrize("locked", [False, True])
def test_pages_cookie_login_refused_while_the_account_is_locked(
    demo_db: str, monkeypatch: pytest.MonkeyPatch, locked: bool
) -> None:
    _cookie_for(monkeypatch, "facilitator")
    if locked:
        _lock(demo_db, "facilitator")
    at = AppTest.from_file(str(ROOT / "pages/processes.py"), default_timeout=60).run()
    assert not at.exception
    assert bool(at.session_state["authentication_status"]) is not locked
    assert (translate("access.login_required", "fr") in [w.value for w in at.warning]) is locked


def _disable(url: str, username: str) -> None:
    engine = make_engine(url)
    admin = staff.get_staff_user(SqlUnitOfWork(engine), "admin")
    staff.disable_user(SqlUnitOfWork(engine), admin, username, dt.datetime.now(dt.UTC))
    engine.dispose()


def test_pages_disabled_account_refused_by_password_cookie_and_open_session(
    open_page: OpenPage, demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disable(demo_db, "facilitator")
    at = open_page("pages/login.py", lang="fr")
    at.text_input[0].set_value("facilitator")
    at.text_input[1].set_value(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.session_state["authentication_status"]
    assert [e.value for e in at.error] == [translate("login.disabled", "fr")]
    at = open_page("pages/processes.py", user="facilitator")  # a session opened before
    assert at.warning and not at.title
    _cookie_for(monkeypatch, "facilitator")
    at = AppTest.from_file(str(ROOT / "pages/processes.py"), default_timeout=60).run()
    assert not at.exception and not at.session_state["authentication_status"]


def test_pages_demo_accounts_refused_outside_demo_mode(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VILCO_DEMO")
    monkeypatch.setenv("VILCO_COOKIE_KEY", "a-real-commune-key-of-at-least-32-bytes!")
    at = AppTest.from_file(str(ROOT / "pages/login.py"), default_timeout=60).run()
    at.text_input[0].set_value("admin")
    at.text_input[1].set_value(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.session_state["authentication_status"]
    assert translate("login.failed", "fr") in [e.value for e in at.error]
    _cookie_for(monkeypatch, "admin")
    at = AppTest.from_file(str(ROOT / "pages/processes.py"), default_timeout=60).run()
    assert not at.session_state["authentication_status"]


def test_pages_login_pause_only_after_a_failed_login(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILCO_LOGIN_SLEEP", "3")
    at = AppTest.from_file(str(ROOT / "pages/login.py"), default_timeout=60).run()
    started = time.monotonic()
    at.run()  # an anonymous run (a checkbox tick on /vote) does not pause
    assert time.monotonic() - started < 3
    at.text_input[0].set_value("admin")
    at.text_input[1].set_value("wrong")
    started = time.monotonic()
    at.button[0].click().run()
    assert time.monotonic() - started >= 3


def test_pages_process_form_refuses_a_phase_with_one_date() -> None:
    import pandas as pd

    from vilco_ui.forms import _half_dated

    day = dt.date(2027, 2, 1)
    rows = [{"phase": "Vote", "starts_on": None, "ends_on": day}]
    assert _half_dated(pd.DataFrame(rows)) == "Vote"
    rows = [{"phase": "Vote", "starts_on": day, "ends_on": day}, {"phase": "Propositions",
            "starts_on": None, "ends_on": None}]  # fmt: skip
    assert _half_dated(pd.DataFrame(rows)) == ""
