"""The results page through AppTest: the demo vote in French, Dutch and English."""

from __future__ import annotations

import datetime as dt
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
    explanations = at.dataframe[0].value
    assert len(explanations) == 25


def test_results_page_explains_equal_shares_in_dutch(open_page: OpenPage) -> None:
    at = open_page("pages/results.py", lang="nl")
    why = at.dataframe[0].value.set_index("Project")["Uitleg"]
    playground = next(v for k, v in why.items() if k.startswith("SG-11"))
    assert playground.startswith("Gekozen — Prijs per voorstander:")
    assert "ronde 1" in playground
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
    assert len(at.dataframe[0].value) == 25


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
    table = at.dataframe[0].value
    assert len(table) == 20
    assert (
        "Only 20 of the 25 projects are drawn here (every winner, then the most voted); the CSV "
        "download lists them all."
    ) in [c.value for c in at.caption]
    winners = next(m.value for m in at.markdown if m.value.startswith("1. "))
    refs = [line.split("** (", 1)[1].split(")")[0] for line in winners.splitlines()]
    assert len(refs) > 1
    assert all(any(cell.startswith(ref) for cell in table["Project"]) for ref in refs)
