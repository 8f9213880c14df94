"""Why a project was funded or not, in one plain sentence a resident reads, per language; and
how a rule chose its winners, in one short paragraph.

Pure: an `Outcome`'s `ProjectExplanation` in, a sentence out. The sentence depends on the rule's
family (`family_of`): the rules that share costs among supporters (Equal Shares) say what the
supporters paid or had left; sequential Phragmén what they had spent; greedy rules what was left
of the envelope when the project's turn came. Counts take the language's plural form
(`formats.plural`), amounts its money format. A reason without a sentence of its own (a rule
added later) still reads "Funded: …" / "Not funded: …" with the reason's own text.
"""

from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import Final, Literal

from vilco_core.i18n import CATALOGUE, translate
from vilco_core.i18n.formats import format_money, plural
from vilco_core.rules import RULES, ProjectExplanation

Family = Literal["shares", "phragmen", "greedy"]
EQUAL_SHARES_URL: Final = "https://equalshares.net"


def family_of(rule: str) -> Family:
    """How a rule's outcome is explained: cost sharing, Phragmén's loads, or greedy's budget."""
    if rule == "phragmen":
        return "phragmen"
    found = RULES.get(rule)
    return "shares" if found is not None and found.explains_price else "greedy"


def explain_project(
    record: ProjectExplanation, rule: str, language: str, *, budget: Fraction | None = None
) -> str:
    """One sentence: funded or not under `rule`, and the figures that say why. `budget`, the
    envelope, names a project costing more than all of it."""
    money = partial(format_money, language=language)
    cost, count, reason = money(record.cost), record.supporters, record.reason
    family = family_of(rule)
    if reason == "selected" and family == "shares" and record.price_per_voter is not None:
        paid_all = record.price_per_voter * count == record.cost
        key = "results.why.shares_selected" + ("" if paid_all else "_at_most")
        return plural(key, count, language, price=money(record.price_per_voter), cost=cost)
    if reason == "selected" and family == "phragmen" and record.price_per_voter is not None:
        price = money(record.price_per_voter)
        return plural("results.why.phragmen_selected", count, language, price=price, cost=cost)
    if reason == "selected" and record.cost == 0:
        return translate("results.why.free", language)
    if reason in ("selected", "over_budget", "completion") and record.budget_left is not None:
        left = money(record.budget_left)
        name = {"selected": "greedy_selected", "over_budget": "greedy_over_budget"}.get(reason)
        return translate(f"results.why.{name or reason}", language, left=left, cost=cost)
    if reason == "unaffordable" and record.supporters_money is not None:
        left = money(record.supporters_money)
        return plural("results.why.unaffordable", count, language, money=left, cost=cost)
    if reason == "below_threshold":
        return plural("results.why.below_threshold", record.score or 0, language)
    if reason == "not_reached" and budget is not None and record.cost > budget:
        return translate("results.why.too_expensive", language, cost=cost, budget=money(budget))
    if reason == "over_budget" and family == "phragmen":
        return translate("results.why.phragmen_over_budget", language)
    if f"results.why.{reason}" in CATALOGUE:  # after_stop, no_supporters, not_reached
        return translate(f"results.why.{reason}", language, cost=cost)
    said = translate(f"rules.reason.{reason}", language)
    key = "results.why.other_selected" if record.selected else "results.why.other"
    return translate(key, language, reason=said[:1].lower() + said[1:])


def how_chosen(rule: str, language: str) -> str:
    """A short paragraph: how `rule` chose its winners, and in which order they are listed."""
    if f"results.how.{rule}" in CATALOGUE:
        return translate(f"results.how.{rule}", language, url=EQUAL_SHARES_URL)
    label = RULES[rule].label if rule in RULES else f"rule.{rule}"
    name = translate(label, language) if label in CATALOGUE else rule
    return translate("results.how.other", language, rule=name)
