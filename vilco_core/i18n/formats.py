"""Numbers, money, percentages, dates and plural forms as each language writes them.

One Babel locale per language (`LOCALES`): Belgian French (`24 000 €`, `12,3 %`, `5 mars
2027`), Belgian Dutch (`€ 24.000`, `12,3%`, `5 maart 2027`) and British English (`€24,000`,
`12.3%`, `5 March 2027`: day before month, as in Belgium). Money is whole euros when the amount
is whole, else to the cent. `number_locale` gives the same conventions to the charts (a
Vega-Lite `config.locale.number`), so an axis reads "4 000" in French, never "4,000".
`plural` picks a text's plural form by the language's CLDR rule (French: 0 and 1 are singular).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from typing import Any, Final

from babel import Locale
from babel.dates import format_date as babel_date
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from babel.numbers import format_percent as babel_percent

from vilco_core.i18n import CATALOGUE, normalise_language, translate

LOCALES: Final[dict[str, str]] = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
CURRENCY: Final = "EUR"


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES.get(normalise_language(language), "fr_BE"))


def format_integer(value: int, language: str) -> str:
    """A count with the language's thousands separator: `12 345` (fr), `12.345` (nl)."""
    return format_decimal(value, locale=_locale(language))


def format_money(amount: Fraction | int, language: str) -> str:
    """An amount in euros (exact), rounded to the cent; whole euros are written without
    decimals: `24 000 €` (fr), `€ 24.000` (nl), `€24,000` (en), `218,45 €` (fr)."""
    cents = Decimal(Fraction(amount).numerator) / Decimal(Fraction(amount).denominator) * 100
    cents = cents.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    locale = _locale(language)
    pattern = _pattern(locale)
    if cents % 100 == 0:  # whole euros: the same pattern without its decimals
        pattern = pattern.replace("0.00", "0")
    return format_currency(
        cents / 100, CURRENCY, format=pattern, locale=locale, currency_digits=cents % 100 != 0
    )


def format_cents(cents: int, language: str) -> str:
    """An amount stored in integer cents (see `format_money`)."""
    return format_money(Fraction(cents, 100), language)


def format_percent(share: Fraction | float, language: str, digits: int = 1) -> str:
    """A share (0.123) as a percentage with `digits` decimals: `12,3 %` (fr), `12.3%` (en)."""
    own = str(_locale(language).percent_formats[None].pattern).split(";")[0]
    pattern = own.replace("#,##0", "#,##0" + ("." + "0" * digits if digits else ""), 1)
    value = Decimal(float(share)).quantize(Decimal(1).scaleb(-(digits + 2)), ROUND_HALF_UP)
    return babel_percent(value, format=pattern, locale=_locale(language))


def format_date(day: dt.date, language: str) -> str:
    """A date in words: `5 mars 2027` (fr), `5 maart 2027` (nl), `5 March 2027` (en)."""
    return babel_date(day, format="long", locale=_locale(language))


def plural_form(count: int, language: str) -> str:
    """The CLDR plural category of `count` in `language` (`one`, `other`, ...)."""
    return str(_locale(language).plural_form(abs(count)))


def plural(key: str, count: int, language: str, /, **params: Any) -> str:
    """The text `<key>.<form>` for `count` (`one`, `other`...; `other` when the language's
    form has no text of its own), with `params` and `count` (formatted) filled in."""
    form = plural_form(count, language)
    chosen = f"{key}.{form}" if f"{key}.{form}" in CATALOGUE else f"{key}.other"
    return translate(chosen, language, count=format_integer(count, language), **params)


@cache
def number_locale(language: str) -> dict[str, Any]:
    """The language's number conventions for Vega-Lite charts (`config.locale.number`, d3's
    format locale): decimal sign, thousands separator, grouping and the euro's place, so an
    axis formatted `,.0f` or `$,.0f` reads as the text around it."""
    locale = _locale(language)
    symbol, pattern = get_currency_symbol(CURRENCY, locale=locale), _pattern(locale)
    prefix = pattern.startswith("¤")
    spaced = "\u00a0" if "¤\u00a0" in pattern or "\u00a0¤" in pattern else ""
    percent = str(locale.percent_formats[None].pattern).split(";")[0].replace("#,##0", "")
    return {
        "decimal": locale.number_symbols["latn"]["decimal"],
        "thousands": locale.number_symbols["latn"]["group"],
        "grouping": [3],
        "currency": [symbol + spaced, ""] if prefix else ["", spaced + symbol],
        "percent": percent.replace("%", locale.number_symbols["latn"]["percentSign"]),
    }


def _pattern(locale: Locale) -> str:
    return str(locale.currency_formats["standard"].pattern).split(";")[0]
