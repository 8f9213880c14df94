"""One plain sentence per project, for every rule, reason and language, with the figures written
the language's way and counts in the right plural form; one paragraph per rule on how it chose."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vilco_core.explanations import EQUAL_SHARES_URL, explain_project, family_of, how_chosen
from vilco_core.i18n import LANGUAGES, MISSING_MARK
from vilco_core.rules import RULES, ProjectExplanation
from vilco_core.rules.outcome import REASONS, Reason

FUNDED = {"fr": "Financé", "nl": "Gefinancierd", "en": "Funded"}
NOT_FUNDED = {"fr": "Non financé", "nl": "Niet gefinancierd", "en": "Not funded"}
NBSP = "\u00a0"


def _record(reason: Reason, supporters: int = 412, **figures: object) -> ProjectExplanation:
    values: dict[str, object] = {
        "cost": Fraction(24000) if reason != "selected" else Fraction(18 * supporters),
        "score": supporters,
        "budget_left": Fraction(8500),
        "price_per_voter": Fraction(18),
        "supporters_money": Fraction(3120),
        "round": 3,
    }
    values.update(figures)
    return ProjectExplanation(
        project_id="P",
        selected=reason in ("selected", "completion"),
        reason=reason,
        supporters=supporters,
        **values,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize("rule", sorted(RULES))
def test_explanations_one_sentence_for_every_rule_reason_and_language(
    rule: str, reason: Reason, language: str
) -> None:
    text = explain_project(_record(reason), rule, language, budget=Fraction(150000))
    assert MISSING_MARK not in text and "{" not in text
    opening = FUNDED[language] if reason in ("selected", "completion") else NOT_FUNDED[language]
    assert text.startswith(opening + ("" if language != "fr" else " ")), text
    assert text.endswith(".") and text.count(". ") == 0 and text.count(opening) == 1, text


@pytest.mark.parametrize(
    ("rule", "record", "language", "sentence"),
    [
        ("mes", _record("selected"), "en",
         "Funded: its 412 supporters each paid €18 from their equal share."),
        ("mes", _record("selected"), "fr",
         f"Financé : ses 412 partisans ont chacun payé 18{NBSP}€ sur leur part égale."),
        ("mes", _record("selected", cost=Fraction(7000)), "en",
         "Funded: its 412 supporters paid it from their equal shares, at most €18 each."),
        ("mes", _record("unaffordable", 96), "en",
         "Not funded: its 96 supporters had €3,120 left between them, it costs €24,000."),
        ("mes", _record("unaffordable", 96), "fr",
         f"Non financé : ses 96 partisans n'avaient plus que 3\u202f120{NBSP}€ à eux tous, "
         f"il coûte 24\u202f000{NBSP}€."),
        ("mes", _record("unaffordable", 96), "nl",
         f"Niet gefinancierd: de 96 voorstanders hadden samen nog maar €{NBSP}3.120 over, "
         f"het kost €{NBSP}24.000."),
        ("mes", _record("unaffordable", 1), "en",
         "Not funded: its 1 supporter had €3,120 left, it costs €24,000."),
        ("mes", _record("unaffordable", 1), "nl",
         f"Niet gefinancierd: 1 voorstander had nog maar €{NBSP}3.120 over, "
         f"het kost €{NBSP}24.000."),
        ("greedy", _record("over_budget"), "en",
         "Not funded: €8,500 were left when its turn came, it costs €24,000."),
        ("greedy", _record("over_budget"), "nl",
         f"Niet gefinancierd: er was nog maar €{NBSP}8.500 over toen het aan de beurt kwam, "
         f"het kost €{NBSP}24.000."),
        ("greedy", _record("selected", budget_left=Fraction(26400)), "fr",
         f"Financé : il restait 26\u202f400{NBSP}€ quand son tour est venu, il coûte "
         f"7\u202f416{NBSP}€."),
        ("greedy-threshold", _record("below_threshold", 1), "fr",
         "Non financé : sa 1 voix est sous le minimum requis."),
        ("greedy-threshold", _record("below_threshold", 0), "fr",
         "Non financé : sa 0 voix est sous le minimum requis."),
        ("greedy-threshold", _record("below_threshold", 0), "en",
         "Not funded: its 0 votes are below the minimum required."),
        ("greedy", _record("no_supporters", 0), "en", "Not funded: nobody voted for it."),
        ("mes", _record("not_reached", cost=Fraction(200000)), "en",
         "Not funded: it costs €200,000, more than the whole budget of €150,000."),
        ("phragmen", _record("selected", price_per_voter=Fraction(7704, 100)), "en",
         "Funded: its 412 supporters shared its cost; each of them had then spent €77.04 in all."),
        ("mes", _record("selected", price_per_voter=Fraction(21845, 100),
                        cost=Fraction(21845, 100) * 412), "fr",
         f"Financé : ses 412 partisans ont chacun payé 218,45{NBSP}€ sur leur part égale."),
    ],
)  # fmt: skip
def test_explanations_say_the_figures_in_words(
    rule: str, record: ProjectExplanation, language: str, sentence: str
) -> None:
    assert explain_project(record, rule, language, budget=Fraction(150000)) == sentence


def test_explanations_a_reason_without_a_sentence_still_reads_funded_or_not() -> None:
    odd = _record("after_stop", price_per_voter=None, budget_left=None)
    text = explain_project(odd, "greedy-no-skip", "en")
    assert text.startswith("Not funded: the count stopped at an earlier project that no")
    unknown = _record("unaffordable", supporters_money=None)  # no figures to give
    assert explain_project(unknown, "mes", "en") == (
        "Not funded: its supporters no longer had enough money to pay for it."
    )


def test_explanations_families_follow_the_registry() -> None:
    assert family_of("mes") == "shares" and family_of("phragmen") == "phragmen"
    assert {family_of(r) for r in RULES if r.startswith("greedy")} == {"greedy"}
    assert family_of("not-a-rule") == "greedy"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("rule", [*sorted(RULES), "not-a-rule"])
def test_explanations_how_each_rule_chose_and_in_which_order(rule: str, language: str) -> None:
    text = how_chosen(rule, language)
    assert MISSING_MARK not in text and "{" not in text and len(text) < 700
    order = {"fr": "dans l'ordre où", "nl": "in de volgorde waarin", "en": "in the order"}
    assert order[language] in text.lower()
    assert (f"]({EQUAL_SHARES_URL})" in text) == (rule == "mes")
