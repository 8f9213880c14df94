"""Outcome rules: which projects win, under a rule the commune announced, and why.

The public entry point is `compute_outcome(instance, profile, rule=..., utility=...,
completion=..., tie_breaking=...)`, returning an `Outcome` (winners in selection order plus one
`ProjectExplanation` per project). `RULES` is the registry of rules (name -> `Rule`, see
`vilco_core.rules.registry`); `UTILITIES`, `COMPLETIONS` and `TIE_BREAKINGS` list the accepted
parameter values; `rule_from_meta` maps a Pabulib META `rule` to our parameters. Rules are pure:
values in, a value out, deterministic (ties by the named tie-breaking, stored in the outcome).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from vilco_core.errors import VilcoError
from vilco_core.rules import equal_shares
from vilco_core.rules.greedy import project_scores
from vilco_core.rules.instance import Instance, IntArray, Profile, Project, VoteType
from vilco_core.rules.outcome import Outcome, ProjectExplanation, Reason
from vilco_core.rules.registry import RULES, Rule, RuleInput, RuleRun, round_rules, rule_label
from vilco_core.rules.tiebreaking import TIE_BREAKINGS, TieBreaking, tie_ranks

RuleName = str  # a key of `RULES`
Utility = Literal["cost", "cardinality"]
Completion = Literal["none", "add1", "add1-pabutools", "add1-greedy"]
Score = Literal["auto", "approval"]
UTILITIES: tuple[Utility, ...] = ("cost", "cardinality")
COMPLETIONS: tuple[Completion, ...] = ("none", "add1", "add1-pabutools", "add1-greedy")
SCORES: tuple[Score, ...] = ("auto", "approval")

__all__ = [
    "COMPLETIONS",
    "RULES",
    "SCORES",
    "TIE_BREAKINGS",
    "UTILITIES",
    "Instance",
    "Outcome",
    "Profile",
    "Project",
    "ProjectExplanation",
    "Rule",
    "RuleInput",
    "RuleRun",
    "RuleSpec",
    "TieBreaking",
    "VoteType",
    "compute_outcome",
    "round_rules",
    "rule_from_meta",
    "rule_label",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSpec:
    """A rule and its parameters, as stored with every result."""

    rule: RuleName
    utility: Utility = "cost"
    completion: Completion = "none"
    tie_breaking: TieBreaking = "lexicographic"


_META_RULES: dict[str, RuleSpec] = {
    "greedy": RuleSpec(rule="greedy"),
    "greedy-no-skip": RuleSpec(rule="greedy-no-skip"),
    "greedy-threshold": RuleSpec(rule="greedy-threshold"),
    "greedy-exclusive": RuleSpec(rule="greedy-exclusive"),
    "equalshares": RuleSpec(rule="mes"),
    "equalshares/add1": RuleSpec(rule="mes", completion="add1"),
    "equalshares/add1-comparison": RuleSpec(rule="mes", completion="add1"),
}


def rule_from_meta(meta_rule: str) -> RuleSpec | None:
    """Our rule for a Pabulib META `rule` value (None when we do not implement it)."""
    return _META_RULES.get(meta_rule.strip().lower())


def compute_outcome(
    instance: Instance,
    profile: Profile,
    *,
    rule: str = "greedy",
    utility: str = "cost",
    completion: str = "none",
    tie_breaking: str = "lexicographic",
    score: str = "auto",
) -> Outcome:
    """Run `rule` and explain every project. Raises `VilcoError("rules.*")` on bad names.

    `utility` and `completion` apply to the rules reading them (`Rule.parameters`: `mes`);
    `score="approval"` makes greedy count supporters whatever the ballot type (pabutools'
    `greedy_utilitarian_welfare` with `Cost_Sat`).
    """
    _check(rule, RULES, "rules.unknown_rule")  # the registry, as it is now
    _check(utility, UTILITIES, "rules.unknown_utility")
    _check(completion, COMPLETIONS, "rules.unknown_completion")
    _check(score, SCORES, "rules.unknown_score")
    supporters = profile.supporters(len(instance.projects))
    ranks = tie_ranks(instance, supporters, tie_breaking)
    scores = project_scores(instance, profile, score)
    given = RuleInput(instance=instance, profile=profile, supporters=supporters, scores=scores,
                      ranks=ranks, utility=utility, completion=completion)  # fmt: skip
    run = RULES[rule].function(given)
    return _outcome(
        instance,
        run.chosen,
        _complete_records(instance, run.records, supporters, scores),
        RuleSpec(rule=rule, utility=utility, completion=completion, tie_breaking=tie_breaking),  # type: ignore[arg-type]
        run.voter_budget,
    )


def _check(name: str, allowed: Iterable[str], code: str) -> None:
    names = tuple(allowed)
    if name not in names:
        raise VilcoError(code, name=name, allowed=", ".join(names))


def _complete_records(
    instance: Instance,
    records: dict[int, ProjectExplanation],
    supporters: IntArray,
    scores: IntArray,
) -> tuple[ProjectExplanation, ...]:
    """One record per project, in the instance's order."""
    out = []
    for i, project in enumerate(instance.projects):
        record = records.get(i)
        if record is None:
            reason: Reason = "no_supporters" if supporters[i] == 0 else "not_reached"
            record = ProjectExplanation(
                project_id=project.project_id,
                cost=instance.money(project.cost),
                selected=False,
                reason=reason,
                supporters=int(supporters[i]),
                score=int(scores[i]),
            )
        out.append(record)
    return tuple(out)


def _outcome(
    instance: Instance,
    chosen: tuple[int, ...],
    records: tuple[ProjectExplanation, ...],
    spec: RuleSpec,
    level: Fraction | None,
) -> Outcome:
    return Outcome(
        rule=spec.rule,
        utility=spec.utility,
        completion=spec.completion,
        tie_breaking=spec.tie_breaking,
        selected=tuple(instance.projects[i].project_id for i in chosen),
        cost=instance.money(equal_shares.total_cost(instance, chosen)),
        budget=instance.money(instance.budget),
        explanations=records,
        voter_budget=level,
    )
