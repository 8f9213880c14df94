"""The phone vote and the poll officer's page through AppTest: three taps to a receipt, junk
links refused with one message and nothing written, paper ballots and reconciliation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_link, snapshot, texts
from vilco_core.model import LocalText, Role, StaffUser
from vilco_core.services import voting
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_ui.widgets import inert_markdown

OpenPage = Callable[..., AppTest]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
BAD_LINK = "Ce lien de vote n'est pas reconnu. Tapez le code imprimé sur votre carte de vote."


def _codes(url: str, count: int) -> tuple[str, ...]:
    engine = make_engine(url)
    try:
        return voting.issue_codes(SqlUnitOfWork(engine), ADMIN, 1, count, dt.date.today()).codes
    finally:
        engine.dispose()


def _vote(lang: str | None = None, **params: str) -> AppTest:
    return open_link("pages/vote.py", lang, **params)


def test_vote_three_taps_from_card_to_receipt(demo_db: str) -> None:
    [code] = _codes(demo_db, 1)
    at = _vote(c=code)
    assert not at.exception and not at.error
    at.checkbox[0].check().run()  # tap 1
    at.button[0].click().run()  # tap 2: "Voter"
    assert "**Confirmez-vous ce vote ?**" in [m.value for m in at.markdown]
    at.button[0].click().run()  # tap 3: "Confirmer"
    assert [s.value for s in at.success] == ["Merci, votre vote est enregistré."]
    [receipt] = [m.value[17:] for m in at.markdown if m.value.startswith("### Votre reçu : ")]
    assert len(receipt) == 10
    at.run()  # a second tap on a stale page: the same receipt, no second ballot
    assert f"### Votre reçu : {receipt}" in [m.value for m in at.markdown]
    again = _vote(c=code)
    assert [e.value for e in again.error] == [
        "Ce code a déjà été utilisé : un seul vote par carte."
    ]


def test_vote_poster_asks_for_a_code_in_its_language(demo_db: str) -> None:
    [code] = _codes(demo_db, 1)
    at = _vote(site="2", lang="nl")
    assert at.caption[0].value == "Plek: Parvis de Saint-Gilles"
    assert at.text_input[0].label == "Code van uw stemkaart"
    at.text_input[0].input(code.lower().replace("-", " "))
    at.button[0].click().run()
    assert [e.value for e in at.error] == [] and len(at.checkbox) > 0
    assert not [x for x in texts(at) if "⟦" in x]


@pytest.mark.parametrize(
    "junk",
    ["", "x" * 10_240, "1; DROP TABLE ballots; --", "' OR '1'='1", "<script>alert(1)</script>"],
)
@pytest.mark.parametrize("param", ["c", "site"])
def test_vote_junk_links_get_one_message_and_write_nothing(
    demo_db: str, param: str, junk: str
) -> None:
    before = snapshot(demo_db)
    at = _vote(**{param: junk})
    assert not at.exception
    assert [e.value for e in at.error] == [BAD_LINK]
    assert at.text_input[0].label == "Code de votre carte de vote"  # it asks for a code
    assert snapshot(demo_db) == before


def test_vote_officer_enters_paper_ballots_and_sees_gaps(open_page: OpenPage, demo_db: str) -> None:
    codes = _codes(demo_db, 2)
    at = open_page("pages/tallies.py", user="officer")
    assert not at.exception and at.title[0].value == "Bulletins papier et décomptes"
    at.text_area[0].input(f"{codes[0]} ; SG-01 SG-04\n{codes[0]} ; SG-01\nnonsense\n")
    at.button[1].click().run()
    assert [s.value for s in at.success] == ["1 bulletin(s) papier enregistré(s)."]
    assert [e.value for e in at.error] == [
        "Ligne 2 refusée : Ce code a déjà été utilisé : un seul vote par carte.",
        "Ligne 3 refusée : ligne illisible : « CODE ; REF REF ... » attendu",
    ]
    at.number_input[0].set_value(3).run()
    at.button[2].click().run()
    assert "Écart entre l'urne et les bulletins enregistrés" in at.warning[0].value
    log = at.dataframe[1].value
    assert log.iloc[0].tolist()[1:] == ["Rue de la Victoire 70", "officer", "Saisie", 1, 2, ""]


def test_vote_officer_page_refuses_residents(open_page: OpenPage) -> None:
    at = open_page("pages/tallies.py")
    assert at.warning and not at.title


ATTACK = "Voir ![plan](https://evil.example/p.png) <img src=https://evil.example/a.png>"


def _describe_every_project(url: str, text: str) -> None:
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            for project in uow.projects.list_for_process(1):
                uow.projects.update(replace(project, description=LocalText(fr=text, nl=text)))
            uow.commit()
    finally:
        engine.dispose()


def test_vote_descriptions_load_no_outside_image(demo_db: str) -> None:
    """A description's Markdown image used to be fetched when a voter hovered its help icon."""
    _describe_every_project(demo_db, ATTACK)
    [code] = _codes(demo_db, 1)
    at = _vote(c=code)
    assert not at.exception and at.checkbox
    for box in at.checkbox:
        assert box.help == inert_markdown(ATTACK)
        assert "![" not in box.help.replace("\\!\\[", "") and "<img" not in box.help.replace(
            "\\<img", ""
        )
