"""Outcome rules: which projects win, under a rule the commune announced, and why.

The public entry point is `compute_outcome(instance, profile, rule=..., utility=...,
completion=..., tie_breaking=...)`, returning an `Outcome` (winners in selection order plus one
`ProjectExplanation` per project). `RULES`, `UTILITIES`, `COMPLETIONS` and `TIE_BREAKINGS` list
the accepted names; `rule_from_meta` maps a Pabulib META `rule` to our parameters. Rules are pure:
values in, a value out, deterministic (ties by the named tie-breaking, stored in the outcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from vilco_core.errors import VilcoError
from vilco_core.rules import equal_shares
from vilco_core.rules.greedy import greedy_by_score, project_scores
from vilco_core.rules.instance import Instance, IntArray, Profile, Project, VoteType
from vilco_core.rules.outcome import Outcome, ProjectExplanation, Reason
from vilco_core.rules.phragmen import sequential_phragmen
from vilco_core.rules.tiebreaking import TIE_BREAKINGS, TieBreaking, tie_ranks

RuleName = Literal["greedy", "greedy-no-skip", "greedy-threshold", "mes", "phragmen"]
Utility = Literal["cost", "cardinality"]
Completion = Literal["none", "add1", "add1-pabutools", "add1-greedy"]
Score = Literal["auto", "approval"]
RULES: tuple[RuleName, ...] = ("greedy", "greedy-no-skip", "greedy-threshold", "mes", "phragmen")
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
    "RuleSpec",
    "TieBreaking",
    "VoteType",
    "compute_outcome",
    "rule_from_meta",
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

    `utility` and `completion` apply to `mes`; `score="approval"` makes greedy count supporters
    whatever the ballot type (pabutools' `greedy_utilitarian_welfare` with `Cost_Sat`).
    """
    _check(rule, RULES, "rules.unknown_rule")
    _check(utility, UTILITIES, "rules.unknown_utility")
    _check(completion, COMPLETIONS, "rules.unknown_completion")
    _check(score, SCORES, "rules.unknown_score")
    supporters = profile.supporters(len(instance.projects))
    ranks = tie_ranks(instance, supporters, tie_breaking)
    scores = project_scores(instance, profile, score)
    if rule == "mes":
        chosen, records, level = _mes(instance, profile, ranks, scores, utility, completion)
    elif rule == "phragmen":
        (chosen, records), level = sequential_phragmen(instance, profile, ranks), None
    else:
        chosen, records = _greedy(instance, rule, scores, supporters, ranks)
        level = None
    return _outcome(
        instance,
        chosen,
        _complete_records(instance, records, supporters, scores),
        RuleSpec(rule=rule, utility=utility, completion=completion, tie_breaking=tie_breaking),  # type: ignore[arg-type]
        level,
    )


def _check(name: str, allowed: tuple[str, ...], code: str) -> None:
    if name not in allowed:
        raise VilcoError(code, name=name, allowed=", ".join(allowed))


Records = dict[int, ProjectExplanation]


def _greedy(
    instance: Instance, rule: str, scores: IntArray, supporters: IntArray, ranks: IntArray
) -> tuple[tuple[int, ...], Records]:
    threshold = None
    if rule == "greedy-threshold":
        if instance.min_project_score is None:
            raise VilcoError("rules.missing_threshold")
        threshold = instance.min_project_score
    skip = rule != "greedy-no-skip"
    return greedy_by_score(instance, scores, supporters, ranks, skip=skip, threshold=threshold)


def _mes(
    instance: Instance,
    profile: Profile,
    ranks: IntArray,
    scores: IntArray,
    utility: str,
    completion: str,
) -> tuple[tuple[int, ...], Records, Fraction | None]:
    data = equal_shares.prepare(instance, profile, ranks, utility)
    if profile.num_voters == 0:
        return (), {}, None
    if completion == "none":
        run = equal_shares.equal_shares_fixed(data)
    elif completion == "add1-pabutools":
        run = equal_shares.equal_shares_add1_pabutools(data)
    else:
        run = equal_shares.equal_shares_add1(data)
    chosen, records = run.selected, dict(run.records)
    if completion == "add1-greedy":
        chosen, records = _greedy_completion(instance, chosen, records, scores, profile, ranks)
    return chosen, records, run.voter_budget / instance.unit


def _greedy_completion(
    instance: Instance,
    chosen: tuple[int, ...],
    records: Records,
    scores: IntArray,
    profile: Profile,
    ranks: IntArray,
) -> tuple[tuple[int, ...], Records]:
    """Spend what MES left on the remaining projects, greedily by score (skipping)."""
    left = instance.budget - equal_shares.total_cost(instance, chosen)
    supporters = profile.supporters(len(instance.projects))
    extra, extra_records = greedy_by_score(
        instance, scores, supporters, ranks, budget=left, taken=frozenset(chosen)
    )
    for i in extra:
        rec = extra_records[i]
        records[i] = ProjectExplanation(
            project_id=rec.project_id,
            cost=rec.cost,
            selected=True,
            reason="completion",
            supporters=rec.supporters,
            score=rec.score,
            budget_left=rec.budget_left,
            round=len(chosen) + (rec.round or 0),
        )
    return (*chosen, *extra), records


def _complete_records(
    instance: Instance, records: Records, supporters: IntArray, scores: IntArray
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
