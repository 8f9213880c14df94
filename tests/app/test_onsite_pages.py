"""Codes, posters and signatures through AppTest: who may open them, and the support flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, open_link, texts
from vilco_core.model import LocalText, Role, StaffUser
from vilco_core.services import voting
from vilco_core.store import SqlUnitOfWork, make_engine

OpenPage = Callable[..., AppTest]
STAFF = ["pages/codes.py", "pages/posters.py", "pages/signatures.py"]


@pytest.mark.parametrize("page", [*STAFF, "pages/sign.py", "pages/vote.py", "pages/tallies.py"])
@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_onsite_pages_render_translated(open_page: OpenPage, page: str, lang: str) -> None:
    at = open_page(page, user="admin", lang=lang)
    assert not at.exception
    assert not [text for text in texts(at) if "⟦" in text]


@pytest.mark.parametrize("page", STAFF)
def test_onsite_staff_pages_refuse_anonymous_and_officer(open_page: OpenPage, page: str) -> None:
    assert open_page(page).warning and not open_page(page).title
    at = open_page(page, user="officer", lang="nl")
    assert [e.value for e in at.error] == ["Uw rol geeft geen toegang tot deze pagina."]


@pytest.mark.parametrize(("public", "warned"), [(None, True), ("https://vote.example.be", False)])
def test_onsite_posters_warn_when_qr_codes_lead_to_this_machine(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, public: str | None, warned: bool
) -> None:
    if public is None:
        monkeypatch.delenv("VILCO_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("VILCO_PUBLIC_URL", public)
    at = open_page("pages/posters.py", user="admin", lang="nl")
    local = [w.value for w in at.warning if "VILCO_PUBLIC_URL" in w.value]
    assert local == (["Deze QR-codes leiden naar http://localhost:8501, een adres van deze "
                      "computer dat telefoons niet bereiken: goed voor een proef, niet om af te "
                      "drukken. Zet het publieke adres van de app in VILCO_PUBLIC_URL."]
                     if warned else [])  # fmt: skip


def support_cards(url: str, count: int) -> list[str]:
    """`count` support cards of the demo's call (process 2), issued by the admin."""
    engine = make_engine(url)
    try:
        admin = StaffUser(username="admin", name="A", role=Role.ADMIN)
        issued = voting.issue_codes(SqlUnitOfWork(engine), admin, 2, count, dt.date.today(),
                                    "test", "support")  # fmt: skip
        return list(issued.codes)
    finally:
        engine.dispose()


def _sign(at: AppTest, name: str, postcode: str, code: str = "") -> AppTest:
    at.text_input(key="sign-code").input(code)
    at.text_input[1].input(name)
    at.text_input[2].input(postcode)
    return at.button[0].click().run()


def test_onsite_sign_flow_counts_once_and_shows_the_threshold(
    open_page: OpenPage, demo_db: str
) -> None:
    first, second = support_cards(demo_db, 2)
    at = open_page("pages/sign.py")
    at.selectbox[0].select_index(1).run()  # APP-02 (projects are ordered by ref)
    assert at.subheader[0].value == "Frigo solidaire place Lehon"
    at = _sign(at, "Ana Lopes", "1030", first)
    assert [s.value for s in at.success] == ["Merci ! Votre soutien est compté."]
    assert "Encore 24 soutien(s) pour atteindre le seuil de 25." in [c.value for c in at.caption]
    at = _sign(at, "ana  LOPES", "1030", second)
    assert [s.value for s in at.success] == [
        "Ce soutien était déjà enregistré : chaque personne compte une fois."
    ]
    at = _sign(at, "", "12")
    assert not at.exception and len(at.error) == 1 and "quatre chiffres" in at.error[0].value


def _with_params(script: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_onsite_sign_from_a_poster_preselects_its_project(demo_db: str) -> None:
    at = _with_params("pages/sign.py", site="5")  # the call's poster site (APP-01)
    assert at.subheader[0].value == "Fresque participative rue Josaphat"
    junk = _with_params("pages/sign.py", site="<script>alert(1)</script>")
    assert not junk.exception
    assert [e.value for e in junk.error] == [
        "Ce lien n'est pas reconnu. Choisissez le projet dans la liste."
    ]


def test_onsite_codes_page_issues_a_batch_once(open_page: OpenPage) -> None:
    at = open_page("pages/codes.py", user="facilitator")
    at.number_input[0].set_value(12)
    at.text_input[0].input("Stand Parvis")
    at = at.button[0].click().run()
    assert not at.exception
    assert "12 codes émis (lot 3)" in at.warning[0].value  # lots 1, 2: the demo votes
    labels = [b.label for b in at.get("download_button")]
    assert labels[:3] == [
        "Télécharger les codes (CSV)",
        "Télécharger les cartes (A4, PDF)",
        "Télécharger les cartes (A3, PDF)",
    ]
    assert at.dataframe[0].value.iloc[-1].tolist()[-3:] == [12, 0, 0]


def test_onsite_sign_page_shows_a_description_as_typed(demo_db: str) -> None:
    """The description is shown escaped: its image and HTML are text, nothing is fetched."""
    engine = make_engine(demo_db)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            for project in uow.projects.list_for_process(2):
                text = "![x](https://evil.example/p.png) <img src=https://evil.example/a.png>"
                uow.projects.update(replace(project, description=LocalText(fr=text, nl=text)))
            uow.commit()
    finally:
        engine.dispose()
    at = open_link("pages/sign.py")
    assert not at.exception
    shown = [m.value for m in at.markdown if "evil.example" in m.value]
    assert shown == [
        "\\!\\[x\\](https://evil.example/p.png) \\<img src=https://evil.example/a.png\\>"
    ]
