"""What both Method of Equal Shares engines share outside the algorithm: the indexed input
(`MesIndex`: who supports which project MES can buy), the run they return (`MesRun`), and the
explanation records. The buying rounds and completions stay in each engine, so that the exact
engine (`equal_shares_exact`) remains an independent reference for the fast one
(`equal_shares`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from vilco_core.rules.instance import Instance, IntArray, Profile
from vilco_core.rules.outcome import ProjectExplanation, Reason, explain


@dataclass(frozen=True, slots=True, kw_only=True)
class MesIndex:
    """The run-independent input of MES, indexed by compact project (position in `eligible`)."""

    instance: Instance
    eligible: tuple[int, ...]  # instance indices, with a supporter and a positive utility
    entry_project: IntArray  # compact project index of each (project, voter) pair
    entry_voter: IntArray
    costs: tuple[int, ...]
    utilities: tuple[int, ...]
    supporters: IntArray  # voters per compact project
    ranks: tuple[int, ...]
    num_voters: int
    free: tuple[int, ...]  # cost-0 projects with supporters (funded upfront, cardinality)


def index_supporters(
    instance: Instance, profile: Profile, ranks: IntArray, utility: str = "cost"
) -> MesIndex:
    """Index the supporters of every project MES can buy (pabutools' `Cost_Sat` semantics:
    a ballot supports the projects it names; under cost utility a free project is worth 0)."""
    costs = instance.costs()
    support = profile.supporters(len(costs))
    cardinal = utility == "cardinality"
    eligible = [i for i in range(len(costs)) if support[i] > 0 and costs[i] > 0]
    free = [i for i in range(len(costs)) if support[i] > 0 and costs[i] == 0 and cardinal]
    compact = np.full(len(costs), -1, dtype=np.int64)
    compact[eligible] = np.arange(len(eligible), dtype=np.int64)
    keep = compact[profile.projects] >= 0
    return MesIndex(
        instance=instance,
        eligible=tuple(eligible),
        entry_project=compact[profile.projects][keep],
        entry_voter=profile.voter_of_entry[keep],
        costs=tuple(int(costs[i]) for i in eligible),
        utilities=tuple(1 if cardinal else int(costs[i]) for i in eligible),
        supporters=support[eligible].astype(np.int64),
        ranks=tuple(int(ranks[i]) for i in eligible),
        num_voters=profile.num_voters,
        free=tuple(free),
    )


def index_fields(index: MesIndex) -> dict[str, Any]:
    """The fields of `index`, to build an engine's `MesData` (a `MesIndex` with more fields)."""
    return {name: getattr(index, name) for name in MesIndex.__dataclass_fields__}


@dataclass(frozen=True, slots=True, kw_only=True)
class MesRun:
    """One run of MES at per-voter budget `voter_budget` (minor units).

    `trace`: per round, the compact index of the project bought and its exact `rho`.
    """

    selected: tuple[int, ...]
    records: dict[int, ProjectExplanation]
    voter_budget: Fraction
    trace: tuple[tuple[int, Fraction], ...]
    min_remaining: Fraction
    total_remaining: Fraction


def total_cost(instance: Instance, selected: Sequence[int]) -> int:
    """Cost of a set of projects (minor units)."""
    return sum(instance.projects[i].cost for i in selected)


def with_free(index: MesIndex, run: MesRun) -> MesRun:
    """`run` with the free projects (funded upfront) first among the selected."""
    return replace(run, selected=(*index.free, *run.selected))


def whole_units_share(index: MesIndex) -> Fraction:
    """`floor(B / n)` in whole currency units: where the `add1` completion starts."""
    unit, budget = index.instance.unit, index.instance.budget
    return Fraction((budget // (index.num_voters * unit)) * unit)


def record(
    index: MesIndex,
    p: int,
    reason: Reason,
    price: Fraction | None,
    money: Fraction,
    position: int,
) -> ProjectExplanation:
    """The explanation of compact project `p`: the most a supporter paid (`price`) and what its
    supporters had (`money`), in minor units, at round `position`."""
    unit = index.instance.unit
    price_per_voter = None if price is None else price / unit
    supporters = int(index.supporters[p])
    return explain(
        index.instance,
        index.eligible[p],
        reason,
        supporters,
        price_per_voter=price_per_voter,
        supporters_money=money / unit,
        round=position,
    )
