"""Ballot types and their validation: approval, knapsack, cumulative points and ranked ballots.

A `Ballot` names projects (and, for cumulative ballots, the points given to each); `BallotRules`
states what the process allows. `validate_ballot` returns the ballot unchanged or raises a
`VilcoError("ballot.*")` that the UI translates; a ballot that fails is never stored. Costs are
integer minor units, the knapsack minimum share an exact `Fraction` of the budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from vilco_core.errors import VilcoError

BallotKind = Literal["approval", "knapsack", "cumulative", "ranked"]
BALLOT_KINDS: tuple[BallotKind, ...] = ("approval", "knapsack", "cumulative", "ranked")


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotRules:
    """What one process accepts. Unset limits do not apply.

    approval/ranked: `min_projects`, `max_projects`; knapsack: `budget` (minor units) and
    `min_share` (share of the budget that must be used); cumulative: `total_points` (the most a
    voter may hand out) and `max_points_per_project`.
    """

    kind: BallotKind
    min_projects: int = 1
    max_projects: int | None = None
    budget: int | None = None
    min_share: Fraction | None = None
    total_points: int | None = None
    max_points_per_project: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Ballot:
    """Projects named by one voter, in the voter's order; `points` aligned (cumulative)."""

    kind: BallotKind
    project_ids: tuple[str, ...]
    points: tuple[int, ...] = ()

    @property
    def weights(self) -> tuple[int, ...]:
        """What the ballot gives each of its projects: its points, or 1 each (approval)."""
        return self.points or (1,) * len(self.project_ids)


def supported(ballots: Iterable[Ballot]) -> set[str]:
    """The projects that at least one of `ballots` gives something to."""
    return {ref for b in ballots for ref, x in zip(b.project_ids, b.weights, strict=True) if x > 0}


def validate_ballot(ballot: Ballot, rules: BallotRules, costs: Mapping[str, int]) -> Ballot:
    """The ballot if `rules` accept it; otherwise `VilcoError` with a `ballot.*` code."""
    if ballot.kind != rules.kind:
        raise VilcoError("ballot.wrong_kind", kind=ballot.kind, expected=rules.kind)
    _check_projects(ballot, costs)
    _check_count(ballot, rules)
    if rules.kind == "knapsack":
        _check_knapsack(ballot, rules, costs)
    if rules.kind == "cumulative":
        _check_points(ballot, rules)
    return ballot


def _check_projects(ballot: Ballot, costs: Mapping[str, int]) -> None:
    if not ballot.project_ids:
        raise VilcoError("ballot.empty")
    seen: set[str] = set()
    for pid in ballot.project_ids:
        if pid not in costs:
            raise VilcoError("ballot.unknown_project", project=pid)
        if pid in seen:
            raise VilcoError("ballot.duplicate_project", project=pid)
        seen.add(pid)


def _check_count(ballot: Ballot, rules: BallotRules) -> None:
    count = len(ballot.project_ids)
    if count < rules.min_projects:
        raise VilcoError("ballot.too_few", count=count, minimum=rules.min_projects)
    if rules.max_projects is not None and count > rules.max_projects:
        raise VilcoError("ballot.too_many", count=count, maximum=rules.max_projects)


def _check_knapsack(ballot: Ballot, rules: BallotRules, costs: Mapping[str, int]) -> None:
    if rules.budget is None:
        raise VilcoError("ballot.missing_budget")
    spent = sum(costs[pid] for pid in ballot.project_ids)
    if spent > rules.budget:
        raise VilcoError("ballot.over_budget", spent=spent, budget=rules.budget)
    if rules.min_share is not None and spent < rules.min_share * rules.budget:
        share = f"{float(rules.min_share) * 100:.0f}"
        raise VilcoError("ballot.under_min_spend", spent=spent, share=share)


def _check_points(ballot: Ballot, rules: BallotRules) -> None:
    if len(ballot.points) != len(ballot.project_ids):
        raise VilcoError(
            "ballot.points_mismatch", projects=len(ballot.project_ids), points=len(ballot.points)
        )
    for pid, points in zip(ballot.project_ids, ballot.points, strict=True):
        if points <= 0:
            raise VilcoError("ballot.negative_points", project=pid, points=points)
        cap = rules.max_points_per_project
        if cap is not None and points > cap:
            raise VilcoError("ballot.points_over_cap", project=pid, points=points, cap=cap)
    total = sum(ballot.points)
    if rules.total_points is not None and total > rules.total_points:
        raise VilcoError("ballot.points_over_total", total=total, maximum=rules.total_points)
