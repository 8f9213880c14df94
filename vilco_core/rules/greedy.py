"""Greedy-by-score rules, as Polish cities run them (Pabulib rules `greedy`, `greedy-no-skip`,
`greedy-threshold`).

Projects are taken in decreasing score (ties: the tie-breaking rank), each one that still fits in
the budget is funded. The score is the number of supporters (approval, choose-1), the points
received (cumulative) or Borda points `max_length - position` (ordinal). With approval scores
this is pabutools' `greedy_utilitarian_welfare` with `Cost_Sat`.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from vilco_core.rules.instance import Instance, IntArray, Profile
from vilco_core.rules.outcome import ProjectExplanation, Reason, explain

Explained = tuple[tuple[int, ...], dict[int, ProjectExplanation]]


def project_scores(instance: Instance, profile: Profile, score: str = "auto") -> IntArray:
    """Each project's greedy score; `score="approval"` counts the ballots naming it."""
    num = len(instance.projects)
    if score == "approval" or instance.vote_type in ("approval", "choose-1"):
        return profile.supporters(num)
    if instance.vote_type == "cumulative":
        return np.bincount(profile.projects, weights=profile.points, minlength=num).astype(np.int64)
    longest = int(profile.lengths.max()) if profile.num_voters else 0
    max_length = instance.max_length or longest
    borda = max_length - profile.position_of_entry
    return np.bincount(profile.projects, weights=borda, minlength=num).astype(np.int64)


def greedy_order(scores: IntArray, ranks: IntArray) -> list[int]:
    """Projects by decreasing score, ties by rank."""
    return sorted(range(len(scores)), key=lambda i: (-int(scores[i]), int(ranks[i])))


def greedy_by_score(
    instance: Instance,
    scores: IntArray,
    supporters: IntArray,
    ranks: IntArray,
    *,
    skip: bool = True,
    threshold: int | None = None,
    budget: int | None = None,
    taken: frozenset[int] = frozenset(),
) -> Explained:
    """Greedy selection. Invariant: the selected cost never exceeds the budget; with `skip`,
    the result is exhaustive among eligible projects (no eligible project still fits)."""
    left = instance.budget if budget is None else budget
    chosen: list[int] = []
    records: dict[int, ProjectExplanation] = {}
    stopped = False
    for i in greedy_order(scores, ranks):
        if i in taken:
            continue
        project = instance.projects[i]
        reason: Reason
        if threshold is not None and scores[i] < threshold:
            reason = "below_threshold"
        elif stopped:
            reason = "after_stop"
        elif project.cost <= left:
            reason = "selected"
        else:
            reason, stopped = "over_budget", not skip
        records[i] = reached(instance, i, reason, supporters, scores, left, len(chosen))
        if reason == "selected":
            chosen.append(i)
            left -= project.cost
    return tuple(chosen), records


def reached(instance: Instance, i: int, reason: Reason, supporters: IntArray, scores: IntArray,
            left: int, bought: int) -> ProjectExplanation:  # fmt: skip
    """Why project `i` won or lost when a greedy pass reached it with `left` units still free,
    `bought` projects already chosen (the greedy variants share this record)."""
    return explain(
        instance,
        i,
        reason,
        int(supporters[i]),
        score=int(scores[i]),
        budget_left=Fraction(left, instance.unit),
        round=bought + 1 if reason == "selected" else None,
    )
