"""Money, counts, percentages, dates and plural forms as French, Dutch and English write them,
and the same number conventions handed to the charts."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from vilco_core.i18n.formats import (
    format_cents,
    format_date,
    format_integer,
    format_money,
    format_percent,
    number_locale,
    plural,
    plural_form,
)

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("amount", "language", "text"),
    [
        (Fraction(24000), "fr", f"24{NNBSP}000{NBSP}€"),
        (Fraction(24000), "nl", f"€{NBSP}24.000"),
        (Fraction(24000), "en", "€24,000"),
        (Fraction(21845, 100), "fr", f"218,45{NBSP}€"),
        (Fraction(21845, 100), "nl", f"€{NBSP}218,45"),
        (Fraction(21845, 100), "en", "€218.45"),
        (Fraction(1, 3), "fr", f"0,33{NBSP}€"),  # rounded to the cent
        (Fraction(1, 200), "en", "€0.01"),  # half a cent rounds up
        (Fraction(1234567, 1), "fr", f"1{NNBSP}234{NNBSP}567{NBSP}€"),
        (0, "en", "€0"),
    ],
)
def test_formats_money(amount: Fraction, language: str, text: str) -> None:
    assert format_money(amount, language) == text


def test_formats_cents_integers_percentages_and_dates() -> None:
    assert format_cents(312000, "fr") == f"3{NNBSP}120{NBSP}€"
    assert format_cents(5, "nl") == f"€{NBSP}0,05"
    assert [format_integer(4000, lang) for lang in ("fr", "nl", "en")] == [
        f"4{NNBSP}000",
        "4.000",
        "4,000",
    ]
    assert [format_percent(Fraction(965, 1000), lang) for lang in ("fr", "nl", "en")] == [
        f"96,5{NBSP}%",
        "96,5%",
        "96.5%",
    ]
    assert format_percent(0.5, "en", digits=0) == "50%"
    day = dt.date(2027, 3, 5)
    assert [format_date(day, lang) for lang in ("fr", "nl", "en")] == [
        "5 mars 2027",
        "5 maart 2027",
        "5 March 2027",
    ]


@pytest.mark.parametrize(
    ("language", "forms"),
    [("fr", ["one", "one", "other"]), ("nl", ["other", "one", "other"]),
     ("en", ["other", "one", "other"])],
)  # fmt: skip
def test_formats_plural_forms_follow_each_language(language: str, forms: list[str]) -> None:
    assert [plural_form(n, language) for n in (0, 1, 2)] == forms


def test_formats_plural_texts_carry_the_formatted_count() -> None:
    assert plural("results.vote_count", 1, "en") == f"1{NBSP}vote"
    assert plural("results.vote_count", 0, "en") == f"0{NBSP}votes"
    assert plural("results.vote_count", 1200, "nl") == f"1.200{NBSP}stemmen"
    assert plural("results.vote_count", 1, "nl") == f"1{NBSP}stem"
    assert plural("results.vote_count", 1200, "fr") == f"1{NNBSP}200{NBSP}voix"


def test_formats_charts_get_the_same_conventions() -> None:
    assert number_locale("fr") == {"decimal": ",", "thousands": NNBSP, "grouping": [3],
                                   "currency": ["", f"{NBSP}€"], "percent": f"{NBSP}%"}  # fmt: skip
    assert number_locale("nl")["thousands"] == "." and number_locale("nl")["currency"] == [
        f"€{NBSP}",
        "",
    ]
    assert number_locale("en")["thousands"] == "," and number_locale("en")["currency"] == ["€", ""]
