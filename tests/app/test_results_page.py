"""The results page through AppTest: the demo vote in French, Dutch and English."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import texts

OpenPage = Callable[..., AppTest]
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
    at.selectbox[0].set_value(2).run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "No ballots yet: results will appear with the first votes."
    ]
