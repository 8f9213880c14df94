"""Feature profiles: people with identical feature values are interchangeable in a draw.

The optimisation runs over *groups* of interchangeable people instead of people (after Flanigan
et al., Nature 2021, who note that agents with equal feature vectors get equal leximin
probabilities). A group is every person with one feature profile, except that when at most one
person per household may sit on the panel, people who share a household each form a group of
their own and the household becomes a constraint. `PanelSpace` holds the same problem as NumPy
arrays: a panel is a vector `x` of counts per group with `x <= sizes`, `lower <= matrix @ x <=
upper`, `sum(x) == size` and at most one member of each shared household.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vilco_core.sortition.pool import Person, Pool, Quota

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """Interchangeable people (sorted ids); `household` numbers a shared household, if any."""

    values: tuple[str, ...]
    ids: tuple[str, ...]
    household: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PanelSpace:
    """The quota-satisfying panels as linear constraints on counts per group."""

    sizes: IntArray
    matrix: IntArray
    lower: IntArray
    upper: IntArray
    size: int
    households: tuple[tuple[int, ...], ...]


def _shared_households(people: Sequence[Person]) -> list[str]:
    """Households with several members, in order of their first member's id (people are sorted)."""
    counts = Counter(p.household for p in people if p.household is not None)
    return list(
        dict.fromkeys(
            p.household for p in people if p.household is not None and counts[p.household] > 1
        )
    )


def group_people(pool: Pool, *, one_per_household: bool) -> tuple[Group, ...]:
    """The pool's groups of interchangeable people, in canonical order (values, first id)."""
    shared = _shared_households(pool.people) if one_per_household else []
    number = {h: i for i, h in enumerate(shared)}
    by_values: defaultdict[tuple[str, ...], list[str]] = defaultdict(list)
    groups: list[Group] = []
    for person in pool.people:
        if person.household in number:
            groups.append(
                Group(values=person.values, ids=(person.id,), household=number[person.household])
            )
        else:
            by_values[person.values].append(person.id)
    groups += [Group(values=v, ids=tuple(ids)) for v, ids in by_values.items()]
    return tuple(sorted(groups, key=lambda g: (g.values, g.ids[0])))


def panel_space(
    groups: Sequence[Group], features: Sequence[str], quotas: Sequence[Quota], size: int
) -> PanelSpace:
    """The linear description of quota-satisfying panels over `groups`."""
    column = {f: i for i, f in enumerate(features)}
    matrix = np.array(
        [[int(g.values[column[q.feature]] == q.value) for g in groups] for q in quotas],
        dtype=np.int64,
    ).reshape(len(quotas), len(groups))
    members: defaultdict[int, list[int]] = defaultdict(list)
    for j, g in enumerate(groups):
        if g.household is not None:
            members[g.household].append(j)
    return PanelSpace(
        sizes=np.array([len(g.ids) for g in groups], dtype=np.int64),
        matrix=matrix,
        lower=np.array([q.min for q in quotas], dtype=np.int64),
        upper=np.array([q.max for q in quotas], dtype=np.int64),
        size=size,
        households=tuple(tuple(m) for _, m in sorted(members.items())),
    )


def is_panel(space: PanelSpace, counts: IntArray) -> bool:
    """Whether group counts `counts` form a quota-satisfying panel."""
    per_quota = space.matrix @ counts
    households_ok = all(int(counts[list(h)].sum()) <= 1 for h in space.households)
    return bool(
        int(counts.sum()) == space.size
        and np.all(counts >= 0)
        and np.all(counts <= space.sizes)
        and np.all(per_quota >= space.lower)
        and np.all(per_quota <= space.upper)
        and households_ok
    )
