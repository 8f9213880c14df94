"""What a rule returns: the winners and, per project, the numbers that explain the outcome.

An `Outcome` records the rule, its parameters (utility, completion, tie-breaking) and, for every
project, a `ProjectExplanation`: why it won or lost, as a translatable `reason` code plus the
figures a results page shows (greedy: the budget left when the project was reached; MES: the
per-voter price it needed against what its supporters had left, and the round it was bought).
Amounts are exact `Fraction`s in currency units.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack, get_args

if TYPE_CHECKING:
    from vilco_core.rules.instance import Instance

Reason = Literal[
    "selected",
    "over_budget",
    "after_stop",
    "below_threshold",
    "no_supporters",
    "unaffordable",
    "not_reached",
    "completion",
    "excluded",
]
REASONS: tuple[Reason, ...] = get_args(Reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectExplanation:
    """Why one project won or lost (amounts in currency units, exact).

    `reason` is a key of the `rules.reason.*` messages. `score`: greedy score (supporters,
    points or Borda points). `budget_left`: greedy, the budget still free when the project was
    reached. `price_per_voter`: MES, the most a supporter had to pay (Phragmén: the load reached).
    `supporters_money`: MES, what its supporters had left in total at that round.
    `round`: 1-based position in the order of selection (or of the last evaluation).
    """

    project_id: str
    cost: Fraction
    selected: bool
    reason: Reason
    supporters: int
    score: int | None = None
    budget_left: Fraction | None = None
    price_per_voter: Fraction | None = None
    supporters_money: Fraction | None = None
    round: int | None = None


class Figures(TypedDict, total=False):
    """The rule-specific numbers of a `ProjectExplanation` (see there)."""

    score: int | None
    budget_left: Fraction | None
    price_per_voter: Fraction | None
    supporters_money: Fraction | None
    round: int | None


def explain(
    instance: Instance, i: int, reason: Reason, supporters: int, **figures: Unpack[Figures]
) -> ProjectExplanation:
    """The explanation of project `i` of `instance`: its id and cost, why, and the figures."""
    project = instance.projects[i]
    return ProjectExplanation(
        project_id=project.project_id,
        cost=instance.money(project.cost),
        selected=reason == "selected",
        reason=reason,
        supporters=supporters,
        **figures,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The winners of one tally (in order of selection) with the rule and its parameters."""

    rule: str
    utility: str
    completion: str
    tie_breaking: str
    selected: tuple[str, ...]
    cost: Fraction
    budget: Fraction
    explanations: tuple[ProjectExplanation, ...]
    voter_budget: Fraction | None = None

    def explanation(self, project_id: str) -> ProjectExplanation:
        """The explanation record of one project."""
        for record in self.explanations:
            if record.project_id == project_id:
                return record
        raise KeyError(project_id)
