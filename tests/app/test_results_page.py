"""The results page through AppTest: the demo vote in French, Dutch and English."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import texts
from vilco_core import audit as chain
from vilco_core.ballots import Ballot
from vilco_core.i18n import translate
from vilco_core.model import Role, StaffUser
from vilco_core.rules import RULES
from vilco_core.services import audit, mixing, voting
from vilco_core.store import SqlUnitOfWork, make_engine

OpenPage = Callable[..., AppTest]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
PROVISIONAL = {
    "fr": "Résultats provisoires",
    "nl": "Voorlopige resultaten",
    "en": "Provisional results",
}
COMPARE = {
    "fr": "Ce qui change avec les Parts égales",
    "nl": "Wat er verandert met Gelijke delen",
    "en": "What changes with Equal Shares",
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_results_page_shows_the_demo_vote(open_page: OpenPage, lang: str) -> None:
    at = open_page("pages/results.py", lang=lang)
    assert not at.exception
    assert not [text for text in texts(at) if "⟦" in text]
    assert at.warning[0].value.startswith(PROVISIONAL[lang])
    assert COMPARE[lang] in [s.value for s in at.subheader]
    assert at.metric[0].value == "800"  # ballots
    assert len(at.get("vega_lite_chart")) == 1
    assert len(at.get("deck_gl_json_chart")) == 1
    assert len(at.get("download_button")) == 2
    assert len(cards(at)) == 25
    assert translate("results.winners_order", lang) in [c.value for c in at.caption]


def cards(at: AppTest) -> dict[str, str]:
    """The project cards drawn on the page: ref -> the sentence explaining it."""
    [drawn] = [h.proto.body for h in at.get("html") if "vilco-cards" in h.proto.body]
    found = CARD.findall(drawn)
    return {html.unescape(ref): html.unescape(why) for ref, why in found}


CARD = re.compile(r'class="vilco-ref">([^<]*)</span>.*?class="vilco-why">([^<]*)</p>', re.S)


def test_results_page_explains_equal_shares_in_dutch(open_page: OpenPage) -> None:
    at = open_page("pages/results.py", lang="nl")
    why = cards(at)
    assert why["SG-11"] == (
        "Gefinancierd: de 206 voorstanders betaalden elk €\u00a0218,45 uit hun gelijke deel."
    )
    assert why["SG-07"].startswith("Gefinancierd: de 187 voorstanders betaalden het uit hun")
    unfunded = [v for v in why.values() if v.startswith("Niet gefinancierd: de ")]
    assert unfunded and all("hadden samen nog maar €\u00a0" in v for v in unfunded)
    leaving = [e.value for e in at.error]
    assert any(
        "Vallen af met Gelijke delen" in v and "Vergroening van de Kerkstraat" in v for v in leaving
    )


def test_results_page_without_ballots(open_page: OpenPage) -> None:
    at = open_page("pages/results.py", lang="en")
    at.selectbox[0].set_value(2).run()  # the rolling call: one tab per quarter, none voted
    assert not at.exception
    assert [tab.label for tab in at.tabs] == [
        f"Quarter {q} {at.tabs[0].label[-4:]}" for q in (1, 2, 3, 4)
    ]
    assert [i.value for i in at.info] == [
        "No ballots yet: results will appear with the first votes."
    ] * 4


def test_results_page_shows_one_tab_per_envelope(open_page: OpenPage) -> None:
    at = open_page("pages/results.py", lang="nl")
    at.selectbox[0].set_value(3).run()  # the budget split by commune
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Sint-Gillis", "Schaarbeek", "Hele gemeente"]
    texts = " ".join(m.value for m in at.markdown)
    assert "niet besteed door de wijken" in texts  # the city part receives the leftovers
    assert any("hele gemeente" in c.value for c in at.caption)  # the flow is stated


def _head_at(url: str, seq: int) -> chain.ChainHead:
    engine = make_engine(url)
    try:
        return audit.chain_head(SqlUnitOfWork(engine), at=seq)
    finally:
        engine.dispose()


def _publish_buttons(at: AppTest, lang: str) -> list[Any]:
    return [b for b in at.button if b.label == translate("results.publish", lang)]


@pytest.mark.parametrize(
    ("user", "lang"), [("admin", "fr"), ("facilitator", "nl"), ("admin", "en")]
)
def test_results_page_staff_publish_the_tally(open_page: OpenPage, demo_db: str, user: str,
                                              lang: str) -> None:  # fmt: skip
    at = open_page("pages/results.py", user=user, lang=lang)
    assert not at.exception and not at.code
    [button] = _publish_buttons(at, lang)
    at = button.click().run()
    assert not at.exception
    engine = make_engine(demo_db)
    report = audit.verify_audit(SqlUnitOfWork(engine))
    engine.dispose()
    assert (report.chain_ok, report.tallies_ok) == (True, True)
    head = _head_at(demo_db, report.entries)  # the tally is the last entry
    assert head.day is not None and head.seq > 800
    published = translate("results.published", lang, seq=head.seq, day=head.day)
    assert published in [s.value for s in at.success]
    assert [c.value for c in at.code] == [f"{chain.group_hash(head.hash)}\n@{head.seq}"]
    assert not [text for text in texts(at) if "⟦" in text]


@pytest.mark.parametrize("user", [None, "officer"])
def test_results_page_no_publish_action_for_others(open_page: OpenPage, user: str | None) -> None:
    at = open_page("pages/results.py", user=user, lang="en")
    assert not at.exception and at.metric
    assert not _publish_buttons(at, "en") and not at.expander


def _announce(url: str, rule: str) -> None:
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            process = uow.processes.get(1)
            assert process is not None
            uow.processes.update(replace(process, rule=rule))
            uow.commit()
    finally:
        engine.dispose()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_results_page_renders_every_rule_the_process_form_offers(
    open_page: OpenPage, demo_db: str, rule: str
) -> None:
    """The process form offers every registered rule; "greedy-threshold" used to crash the
    public page with `VilcoError: rules.missing_threshold`."""
    _announce(demo_db, rule)
    at = open_page("pages/results.py", lang="en")
    assert not at.exception
    assert not [text for text in texts(at) if "⟦" in text]
    why = cards(at)
    assert len(why) == 25
    assert all(v.startswith(("Funded", "Not funded")) and v.endswith(".") for v in why.values())
    how = translate(f"results.how.{rule}", "en", url="https://equalshares.net")
    assert how in [m.value for m in at.markdown]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_results_page_shows_the_mixing_batches(
    open_page: OpenPage, demo_db: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's 800 ballots were mixed when loaded (a batch per channel and site); with k = 2,
    five phone ballots make two batches (2, then 2) and one ballot waits: the page says so,
    and the results count all 805."""
    monkeypatch.setenv("VILCO_MIX_BATCH", "2")
    engine = make_engine(demo_db)
    uow = SqlUnitOfWork(engine)
    codes = voting.issue_codes(uow, ADMIN, 1, 5, dt.date.today()).codes
    for code in codes:
        voting.cast_ballot(uow, code, Ballot(kind="approval", project_ids=("SG-01",)), "phone",
                           None, dt.date.today())  # fmt: skip
    report = mixing.mix_report(uow, 1)
    engine.dispose()
    assert report.batches[-2:] == (2, 2) and sum(report.batches[:-2]) == 800
    at = open_page("pages/results.py", lang=lang)
    assert not at.exception and at.metric[0].value == "805"
    assert translate("audit.mix_title", lang) in [s.value for s in at.subheader]
    captions = [c.value for c in at.caption]
    sizes = ", ".join(str(n) for n in report.batches)
    assert translate("audit.mix_batches", lang, k=2, sizes=sizes) in captions
    assert translate("audit.mix_pending", lang, pending=1) in captions


def test_results_page_draws_at_most_the_cap(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the cap the table shows every winner and then the most voted, and a caption says
    so (the downloads still list every project)."""
    from vilco_ui import results_view

    monkeypatch.setattr(results_view, "SHOWN_CAP", 20)
    at = open_page("pages/results.py", lang="en")
    assert not at.exception
    shown = cards(at)
    assert len(shown) == 20
    assert (
        "Only 20 of the 25 projects are drawn here (every winner, then the most voted); the CSV "
        "download lists them all."
    ) in [c.value for c in at.caption]
    winners = next(m.value for m in at.markdown if m.value.startswith("1. "))
    refs = [line.split("** (", 1)[1].split(")")[0] for line in winners.splitlines()]
    assert len(refs) > 1
    assert all(ref in shown for ref in refs)


ENGLISH_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")


@pytest.mark.parametrize(
    ("lang", "envelope", "thousands"),
    [("fr", "150\u202f000\u00a0€", "\u202f"), ("nl", "€\u00a0150.000", "."),
     ("en", "€150,000", ",")],
)  # fmt: skip
def test_results_page_writes_numbers_the_languages_way(
    open_page: OpenPage, lang: str, envelope: str, thousands: str
) -> None:
    at = open_page("pages/results.py", lang=lang)
    assert at.metric[3].value == envelope
    percent = {"fr": "(96,5\u00a0%)", "nl": "(96,5%)", "en": "(96.5%)"}[lang]
    assert percent in at.get("progress")[0].proto.text
    shown = (
        [m.value for m in at.markdown] + [c.value for c in at.caption] + list(cards(at).values())
    )
    if lang != "en":
        assert not [s for s in shown if ENGLISH_THOUSANDS.search(s)]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["config"]["locale"]["number"]["thousands"] == thousands
    assert spec["encoding"]["x"]["axis"]["format"] == "$,.0f"
    assert spec["encoding"]["x"]["title"] == translate("results.chart_cost", lang)
    assert spec["encoding"]["shape"]["field"] == spec["encoding"]["color"]["field"] == "outcome"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"title", "why"}


def test_results_page_says_how_equal_shares_chose(open_page: OpenPage) -> None:
    at = open_page("pages/results.py", lang="fr")
    how = next(m.value for m in at.markdown if m.value.startswith("Parts égales : le budget"))
    assert "(https://equalshares.net)" in how
    assert "dans l'ordre où ils ont été achetés" in how


def _two_outcomes() -> None:
    import datetime as dt

    import streamlit as st

    from vilco_core.services import ballots
    from vilco_ui import db, results_view

    st.session_state["vilco_language"] = "nl"
    results = ballots.compute_results(db.reading(), 1, dt.date.today())
    for label in ("Sint-Gillis", "Schaarbeek"):
        results_view.outcome(results, label=label)


def test_results_view_draws_one_outcome_per_envelope_under_its_label(demo_db: str) -> None:
    """A page showing several outcomes (one per sub-budget) calls `outcome` once each: each
    under its label, with its own chart and cards, and no widget clashes."""
    at = AppTest.from_function(_two_outcomes, default_timeout=60).run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Sint-Gillis", "Schaarbeek"]
    assert len(at.get("vega_lite_chart")) == 2
    assert len([h for h in at.get("html") if "vilco-cards" in h.proto.body]) == 2
