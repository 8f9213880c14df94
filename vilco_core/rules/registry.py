"""The registry of outcome rules: every rule by name, with the parameters it reads, the ones a
process announcing it runs with, its translated name and how its results are explained.

A rule is a pure function `f(RuleInput) -> RuleRun`: the instance, the profile and, per project,
its supporters, greedy score and tie-breaking rank in; the winners in selection order, the
records of the projects it decided about and (Equal Shares) the voters' final budget out.
`compute_outcome` completes the records and builds the `Outcome`. The command line (`--rule`),
the process form, process validation, panel rounds (`round_rank`) and the results all read
`RULES`: adding a rule is one function and one line here (and its `rule.<name>` texts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from vilco_core.rules import equal_shares, equal_shares_add1
from vilco_core.rules.greedy import greedy_by_score
from vilco_core.rules.greedy_exclusive import greedy_exclusive_by_score
from vilco_core.rules.instance import Instance, IntArray, Profile
from vilco_core.rules.outcome import ProjectExplanation
from vilco_core.rules.phragmen import sequential_phragmen

Records = dict[int, ProjectExplanation]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInput:
    """What every rule receives; `utility` and `completion` matter to the rules that read them."""

    instance: Instance
    profile: Profile
    supporters: IntArray
    scores: IntArray
    ranks: IntArray
    utility: str = "cost"
    completion: str = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleRun:
    """The winners (indices, in selection order) and the records the rule wrote."""

    chosen: tuple[int, ...]
    records: Records
    voter_budget: Fraction | None = None  # Equal Shares: each voter's final budget (in units)


RuleFunction = Callable[[RuleInput], RuleRun]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One registered rule.

    `parameters`: the `compute_outcome` parameters it reads; `announced`: the values a process
    announcing it runs with (stored with every result); `label`: the key of its translated name;
    `pabulib`: the META `rule` written for a process announcing it (empty: its own name);
    `explains_price`: its explanations give the price per supporter (rules that share costs);
    `round_rank`: offered to panel rounds, in this order (None: not offered)."""

    name: str
    function: RuleFunction
    label: str
    parameters: tuple[str, ...] = ()
    announced: Mapping[str, str] = field(default_factory=dict)
    pabulib: str = ""
    explains_price: bool = False
    round_rank: int | None = None


def greedy(given: RuleInput) -> RuleRun:
    """Greedy by score, skipping the projects that no longer fit (Pabulib `greedy`)."""
    return _greedy(given, skip=True)


def greedy_no_skip(given: RuleInput) -> RuleRun:
    """Greedy by score, stopping at the first project that does not fit (`greedy-no-skip`)."""
    return _greedy(given, skip=False)


DEFAULT_MIN_PROJECT_SCORE = 1  # greedy-threshold without a threshold: a project needs support


def greedy_threshold(given: RuleInput) -> RuleRun:
    """Greedy among the projects reaching the instance's `min_project_score` (Pabulib
    `greedy-threshold`, META `min_project_score_threshold`).

    A process announcing it from the process form sets no threshold: it then funds, greedily,
    only the projects some voter supports (`DEFAULT_MIN_PROJECT_SCORE`), instead of failing."""
    threshold = given.instance.min_project_score
    if threshold is None:
        threshold = DEFAULT_MIN_PROJECT_SCORE
    return _greedy(given, skip=True, threshold=threshold)


def greedy_exclusive(given: RuleInput) -> RuleRun:
    """Greedy where projects declared mutually exclusive (`Project.excludes`) cannot all be
    funded: the first one reached goes ahead (Pabulib `greedy-exclusive`, see
    `vilco_core.rules.greedy_exclusive`)."""
    chosen, records = greedy_exclusive_by_score(
        given.instance, given.scores, given.supporters, given.ranks
    )
    return RuleRun(chosen=chosen, records=records)


def _greedy(given: RuleInput, *, skip: bool, threshold: int | None = None) -> RuleRun:
    chosen, records = greedy_by_score(given.instance, given.scores, given.supporters,
                                      given.ranks, skip=skip, threshold=threshold)  # fmt: skip
    return RuleRun(chosen=chosen, records=records)


def phragmen(given: RuleInput) -> RuleRun:
    """Sequential Phragmén (see `vilco_core.rules.phragmen`)."""
    chosen, records = sequential_phragmen(given.instance, given.profile, given.ranks)
    return RuleRun(chosen=chosen, records=records)


def method_of_equal_shares(given: RuleInput) -> RuleRun:
    """The Method of Equal Shares with `utility` and a `completion` (see `equal_shares`)."""
    instance, profile = given.instance, given.profile
    data = equal_shares.prepare(instance, profile, given.ranks, given.utility)
    if profile.num_voters == 0:
        return RuleRun(chosen=(), records={})
    if given.completion == "none":
        run = equal_shares.equal_shares_fixed(data)
    elif given.completion == "add1-pabutools":
        run = equal_shares_add1.equal_shares_add1_pabutools(data)
    else:
        run = equal_shares_add1.equal_shares_add1(data)
    chosen, records = run.selected, dict(run.records)
    if given.completion == "add1-greedy":
        chosen, records = _greedy_completion(given, chosen, records)
    return RuleRun(chosen=chosen, records=records, voter_budget=run.voter_budget / instance.unit)


def _greedy_completion(
    given: RuleInput, chosen: tuple[int, ...], records: Records
) -> tuple[tuple[int, ...], Records]:
    """Spend what MES left on the remaining projects, greedily by score (skipping)."""
    instance = given.instance
    left = instance.budget - equal_shares.total_cost(instance, chosen)
    extra, extra_records = greedy_by_score(instance, given.scores, given.supporters, given.ranks,
                                           budget=left, taken=frozenset(chosen))  # fmt: skip
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


RULES: dict[str, Rule] = {
    "greedy": Rule(name="greedy", function=greedy, label="rule.greedy", round_rank=1),
    "greedy-no-skip": Rule(
        name="greedy-no-skip", function=greedy_no_skip, label="rule.greedy-no-skip"
    ),
    "greedy-threshold": Rule(
        name="greedy-threshold", function=greedy_threshold, label="rule.greedy-threshold"
    ),
    "greedy-exclusive": Rule(
        name="greedy-exclusive", function=greedy_exclusive, label="rule.greedy-exclusive"
    ),
    "mes": Rule(
        name="mes",
        function=method_of_equal_shares,
        label="rule.mes",
        parameters=("utility", "completion"),
        announced={"utility": "cost", "completion": "add1"},
        pabulib="equalshares/add1",
        explains_price=True,
        round_rank=0,
    ),
    "phragmen": Rule(
        name="phragmen", function=phragmen, label="rule.phragmen", explains_price=True
    ),
}


def rule_label(name: str) -> str:
    """The key of a rule's translated name (`rule.<name>` for a name not registered)."""
    found = RULES.get(name)
    return found.label if found is not None else f"rule.{name}"


def round_rules() -> tuple[str, ...]:
    """The rules a panel round may announce, in the order the facilitator sees them."""
    offered = [r for r in RULES.values() if r.round_rank is not None]
    return tuple(r.name for r in sorted(offered, key=lambda r: r.round_rank or 0))
