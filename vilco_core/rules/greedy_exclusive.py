"""Greedy with mutually exclusive projects (Pabulib rule `greedy-exclusive`, as Warsaw runs it).

Pabulib's format describes `greedy-exclusive` as standard greedy in which projects that conflict
(planned for the very same place, or in one exclusive zone) cannot all be funded: a hierarchy
decides which one goes ahead. Warsaw (from 2024 on) and Ruda Śląska 2026 declare it: of two
projects for the same place, the one with more votes is funded and the other one is excluded
(Pabulib's comments on Warsaw: "the results in the `selected` column may differ from those
obtained by simply applying the greedy rule").

So: projects by decreasing score (ties: the tie-breaking rank), each one that still fits in the
budget is funded, unless a project it conflicts with was funded before it (reason `excluded`;
the relation is symmetric, `Project.excludes` on either side). With `Instance.min_project_score`
set (META `min_project_score_threshold`), projects below it are not eligible. Without declared
conflicts the rule is Pabulib's `greedy`, which is how Mokotów 2024's `selected` column comes out:
its file lists no conflicts, none of them changed the outcome. pabutools has no such rule.
"""

from __future__ import annotations

from vilco_core.rules.greedy import Explained, greedy_order, reached
from vilco_core.rules.instance import Instance, IntArray
from vilco_core.rules.outcome import ProjectExplanation, Reason


def conflicts(instance: Instance) -> dict[int, frozenset[int]]:
    """Per project index, the projects it may not be funded with (both directions merged)."""
    index = instance.index()
    found: dict[int, set[int]] = {i: set() for i in range(len(instance.projects))}
    for i, project in enumerate(instance.projects):
        for other in project.excludes:
            j = index.get(other)
            if j is not None and j != i:
                found[i].add(j)
                found[j].add(i)
    return {i: frozenset(js) for i, js in found.items()}


def greedy_exclusive_by_score(
    instance: Instance, scores: IntArray, supporters: IntArray, ranks: IntArray
) -> Explained:
    """Greedy selection skipping what no longer fits and what conflicts with a funded project.

    Invariants: the selected cost never exceeds the budget; no two selected projects conflict;
    every eligible project not selected either no longer fits or conflicts with a selected one."""
    threshold = instance.min_project_score
    excluded_by = conflicts(instance)
    left = instance.budget
    chosen: list[int] = []
    funded: set[int] = set()
    records: dict[int, ProjectExplanation] = {}
    for i in greedy_order(scores, ranks):
        reason: Reason
        if threshold is not None and scores[i] < threshold:
            reason = "below_threshold"
        elif excluded_by[i] & funded:
            reason = "excluded"
        elif instance.projects[i].cost <= left:
            reason = "selected"
        else:
            reason = "over_budget"
        records[i] = reached(instance, i, reason, supporters, scores, left, len(chosen))
        if reason == "selected":
            chosen.append(i)
            funded.add(i)
            left -= instance.projects[i].cost
    return tuple(chosen), records
