"""Ballot validation: each rule of a process rejects with its own translated code."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vilco_core.ballots import BALLOT_KINDS, Ballot, BallotRules, validate_ballot
from vilco_core.errors import VilcoError
from vilco_core.i18n import CATALOGUE

COSTS = {"a": 600, "b": 300, "c": 200}
APPROVAL = BallotRules(kind="approval", min_projects=1, max_projects=2)
KNAPSACK = BallotRules(kind="knapsack", budget=800, min_share=Fraction(1, 2))
CUMULATIVE = BallotRules(kind="cumulative", total_points=5, max_points_per_project=3)
RANKED = BallotRules(kind="ranked", min_projects=2, max_projects=3)


@pytest.mark.parametrize(
    ("ballot", "rules"),
    [
        (Ballot(kind="approval", project_ids=("a", "b")), APPROVAL),
        (Ballot(kind="knapsack", project_ids=("a", "c")), KNAPSACK),
        (Ballot(kind="cumulative", project_ids=("a", "b"), points=(3, 2)), CUMULATIVE),
        (Ballot(kind="ranked", project_ids=("c", "a")), RANKED),
    ],
)
def test_ballots_valid_ballot_is_returned(ballot: Ballot, rules: BallotRules) -> None:
    assert validate_ballot(ballot, rules, COSTS) == ballot


@pytest.mark.parametrize(
    ("ballot", "rules", "code"),
    [
        (Ballot(kind="approval", project_ids=()), APPROVAL, "ballot.empty"),
        (Ballot(kind="approval", project_ids=("a", "b", "c")), APPROVAL, "ballot.too_many"),
        (Ballot(kind="ranked", project_ids=("a",)), RANKED, "ballot.too_few"),
        (Ballot(kind="approval", project_ids=("z",)), APPROVAL, "ballot.unknown_project"),
        (Ballot(kind="approval", project_ids=("a", "a")), APPROVAL, "ballot.duplicate_project"),
        (Ballot(kind="knapsack", project_ids=("a", "b")), KNAPSACK, "ballot.over_budget"),
        (Ballot(kind="knapsack", project_ids=("c",)), KNAPSACK, "ballot.under_min_spend"),
        (
            Ballot(kind="cumulative", project_ids=("a",), points=(-1,)),
            CUMULATIVE,
            "ballot.negative_points",
        ),
        (
            Ballot(kind="cumulative", project_ids=("a",), points=(4,)),
            CUMULATIVE,
            "ballot.points_over_cap",
        ),
        (
            Ballot(kind="cumulative", project_ids=("a", "b", "c"), points=(2, 2, 2)),
            CUMULATIVE,
            "ballot.points_over_total",
        ),
        (
            Ballot(kind="cumulative", project_ids=("a", "b"), points=(2,)),
            CUMULATIVE,
            "ballot.points_mismatch",
        ),
        (Ballot(kind="approval", project_ids=("a",)), KNAPSACK, "ballot.wrong_kind"),
    ],
)
def test_ballots_invalid_ballot_raises_translated_code(
    ballot: Ballot, rules: BallotRules, code: str
) -> None:
    with pytest.raises(VilcoError) as caught:
        validate_ballot(ballot, rules, COSTS)
    assert caught.value.code == code
    assert code in CATALOGUE


@pytest.mark.parametrize("kind", sorted(BALLOT_KINDS))
def test_ballots_fields_the_kind_does_not_use_are_refused(kind: str) -> None:
    """Per kind: hidden points on a ballot whose kind gives none are refused (an approval ballot
    carrying `points=(9999, 1)` used to be stored); a kind that gives points refuses nothing."""
    rules = {"approval": APPROVAL, "knapsack": KNAPSACK, "cumulative": CUMULATIVE}.get(kind, RANKED)
    rules = BallotRules(kind=kind) if rules.kind != kind else rules
    ballot = Ballot(kind=kind, project_ids=("c", "b"), points=(2, 1))
    if BALLOT_KINDS[kind].points:
        assert validate_ballot(ballot, rules, COSTS) == ballot
        return
    with pytest.raises(VilcoError) as caught:
        validate_ballot(ballot, rules, COSTS)
    assert (caught.value.code, caught.value.params["field"]) == ("ballot.unused_field", "points")
