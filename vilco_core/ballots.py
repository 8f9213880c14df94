"""Ballot types, their validation, and the registry of ballot kinds.

A `Ballot` names projects (and, for kinds that give points, the points given to each);
`BallotRules` states what the process (or a panel round) allows. Each kind is one `KindSpec` in
`BALLOT_KINDS`: what it checks beyond the common checks, what it gives the rules (`vote_type`,
its points), which settings it reads and how those settings are validated, whether a process or
a panel round may offer it, and how a paper line becomes its ballot. Everything outside this
module asks the registry instead of comparing kind names. `validate_ballot` returns the ballot
unchanged or raises a `VilcoError("ballot.*")` that the UI translates; a ballot that fails is
never stored. Costs are integer minor units, the knapsack minimum share an exact `Fraction` of
the budget.

Adding a kind: its checks and one `KindSpec` line here, one widget in `vilco_ui/ballot_widgets.py`,
its texts (`ballot_kind.<name>`, `vote.choose_<name>`, `panel.kind_<name>` if rounds offer it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from vilco_core.errors import VilcoError

if TYPE_CHECKING:
    from vilco_core.rules.instance import VoteType

BallotKind = str  # a key of `BALLOT_KINDS`
MAX_COST_CENTS: Final = 10**12  # ten billion euros: any amount above is a typo
MAX_POINTS: Final = 10_000


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
    """Projects named by one voter, in the voter's order; `points` aligned (kinds with points).

    `district`: the district envelope the resident votes in (a sub-budget key; "" when the
    process has none or the ballot names no district project): chosen on the ballot, or fixed
    by the poster site. It is part of what was voted, stored with the ballot's content and mixed
    with it, never with the code (`vilco_core.envelopes`)."""

    kind: BallotKind
    project_ids: tuple[str, ...]
    points: tuple[int, ...] = ()
    district: str = ""

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
    spec = BALLOT_KINDS.get(rules.kind)
    if spec is not None:
        _check_fields(ballot, spec)
    _check_projects(ballot, costs)
    _check_count(ballot, rules)
    if spec is not None:
        spec.check(ballot, rules, costs)
    return ballot


def _check_fields(ballot: Ballot, spec: KindSpec) -> None:
    """A ballot carries only what its kind reads: hidden `points` on an approval ballot would
    be stored and published with it (and counted by any code reading `weights`)."""
    used = {"kind", "project_ids", "district", *(("points",) if spec.points else ())}
    for found in fields(Ballot):
        if found.name not in used and getattr(ballot, found.name) != found.default:
            raise VilcoError("ballot.unused_field", kind=ballot.kind, field=found.name)


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


def _check_points(ballot: Ballot, rules: BallotRules, costs: Mapping[str, int]) -> None:
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


def _accept(ballot: Ballot, rules: BallotRules, costs: Mapping[str, int]) -> None:
    """No check beyond the common ones (projects known, not repeated, how many)."""


def _no_problems(rules: BallotRules) -> list[VilcoError]:
    return []


def _as_set(rules: BallotRules, envelope_cents: int) -> BallotRules:
    return rules


def _round_with_max_projects(offered: BallotRules) -> BallotRules:
    return BallotRules(kind=offered.kind, max_projects=offered.max_projects)


@dataclass(frozen=True, slots=True, kw_only=True)
class KindSpec:
    """One ballot kind, everything the rest of the code asks about it.

    `vote_type`: what the rules read (`Instance.vote_type`); `points`: its ballots give points
    (the weights the rules count; `REF:POINTS` on a paper line); `settings`: the `BallotRules`
    fields it reads; `process`: a process may offer it (the process form lists it);
    `round_rank`: panel rounds offer it, in this order (None: not offered); `check`: its own
    ballot checks; `settings_problems`: what is wrong with a process's settings for it;
    `for_process`: its rules once the process's envelope is known; `for_round`: its rules from
    what a panel round offers (budget, max_projects, total_points)."""

    name: str
    vote_type: VoteType = "approval"
    points: bool = False
    settings: tuple[str, ...] = ("min_projects", "max_projects")
    process: bool = True
    round_rank: int | None = None
    check: Callable[[Ballot, BallotRules, Mapping[str, int]], None] = _accept
    settings_problems: Callable[[BallotRules], list[VilcoError]] = _no_problems
    for_process: Callable[[BallotRules, int], BallotRules] = _as_set
    for_round: Callable[[BallotRules], BallotRules] = _round_with_max_projects


# -- knapsack: projects whose costs fit in a budget --------------------------------------------


def _knapsack_settings(rules: BallotRules) -> list[VilcoError]:
    problems = []
    if rules.budget is not None and not 0 < rules.budget <= MAX_COST_CENTS:
        problems.append(VilcoError("errors.ballot_budget_invalid"))
    if rules.min_share is not None and not 0 <= rules.min_share <= 1:
        problems.append(VilcoError("errors.ballot_min_share_invalid"))
    return problems


def _knapsack_for_process(rules: BallotRules, envelope_cents: int) -> BallotRules:
    """A knapsack without its own budget shares the process's envelope."""
    return replace(rules, budget=envelope_cents) if rules.budget is None else rules


def _knapsack_for_round(offered: BallotRules) -> BallotRules:
    return BallotRules(kind=offered.kind, budget=offered.budget)


# -- cumulative: points spread over projects ---------------------------------------------------


def _points_settings(rules: BallotRules) -> list[VilcoError]:
    total, cap = rules.total_points, rules.max_points_per_project
    if total is None or not 1 <= total <= MAX_POINTS or (cap is not None and cap < 1):
        return [VilcoError("errors.ballot_points_invalid", maximum=MAX_POINTS)]
    return []


def _points_for_round(offered: BallotRules) -> BallotRules:
    return BallotRules(kind=offered.kind, total_points=offered.total_points or 10)


BALLOT_KINDS: dict[str, KindSpec] = {
    "approval": KindSpec(name="approval", round_rank=2),
    "knapsack": KindSpec(
        name="knapsack",
        settings=("min_projects", "max_projects", "budget", "min_share"),
        round_rank=0,
        check=_check_knapsack,
        settings_problems=_knapsack_settings,
        for_process=_knapsack_for_process,
        for_round=_knapsack_for_round,
    ),
    "cumulative": KindSpec(
        name="cumulative",
        vote_type="cumulative",
        points=True,
        settings=("min_projects", "max_projects", "total_points", "max_points_per_project"),
        round_rank=1,
        check=_check_points,
        settings_problems=_points_settings,
        for_round=_points_for_round,
    ),
    "ranked": KindSpec(name="ranked", process=False),  # validated; no process offers it yet
}


def kind_spec(kind: str) -> KindSpec:
    """The registered kind; `VilcoError("ballot.wrong_kind")` for a name not registered."""
    spec = BALLOT_KINDS.get(kind)
    if spec is None:
        raise VilcoError("ballot.wrong_kind", kind=kind, expected="/".join(BALLOT_KINDS))
    return spec


def with_envelope(rules: BallotRules, envelope_cents: int) -> BallotRules:
    """`rules` once the process's envelope is known (`KindSpec.for_process`)."""
    spec = BALLOT_KINDS.get(rules.kind)
    return spec.for_process(rules, envelope_cents) if spec is not None else rules


def process_kinds() -> tuple[str, ...]:
    """The kinds a process may offer, in the order the process form lists them."""
    return tuple(name for name, spec in BALLOT_KINDS.items() if spec.process)


def round_kinds() -> tuple[str, ...]:
    """The kinds a panel round may ask, in the order the facilitator sees them."""
    offered = [s for s in BALLOT_KINDS.values() if s.round_rank is not None]
    return tuple(s.name for s in sorted(offered, key=lambda s: s.round_rank or 0))


def vote_type_of(kind: str) -> VoteType:
    """What the rules read from ballots of `kind` (approval for a kind not registered)."""
    spec = BALLOT_KINDS.get(kind)
    return spec.vote_type if spec is not None else "approval"


def make_ballot(kind: str, refs: Sequence[str], points: Sequence[int] = ()) -> Ballot:
    """A ballot of `kind` naming `refs`; `points` (aligned) kept when the kind gives points."""
    spec = BALLOT_KINDS.get(kind)
    kept = tuple(points) if spec is not None and spec.points else ()
    return Ballot(kind=kind, project_ids=tuple(refs), points=kept)


def paper_items(text: str) -> tuple[list[str], list[int]]:
    """The `REF REF ...` (or `REF:POINTS`, commas allowed) of a paper line: refs and points
    (0 where none is written)."""
    refs, points = [], []
    for item in text.replace(",", " ").split():
        ref, _colon, value = item.partition(":")
        refs.append(ref.strip())
        points.append(int(value) if value.isdigit() else 0)
    return refs, points


def paper_line(code: str, ballot: Ballot) -> str:
    """`CODE ; REF REF ...` (`REF:POINTS` for a kind that gives points): what `paper_items`
    reads back."""
    items = list(ballot.project_ids)
    if ballot.points:
        items = [f"{ref}:{x}" for ref, x in zip(items, ballot.points, strict=True)]
    return f"{code} ; {' '.join(items)}"
