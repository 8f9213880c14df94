"""Sequential Phragmén for participatory budgeting (Phragmén 1894; Brill, Freeman, Janson & Lackner,
AAAI 2017; Los, Christoff & Grossi 2022), as pabutools' `sequential_phragmen`.

Voters earn virtual money continuously; a project is bought as soon as its supporters together hold
its cost, and their money goes to zero. Equivalently the project with the smallest new maximal load
`(cost + sum of supporters' loads) / supporters` is bought; ties go to the smallest tie-breaking
rank. The rule stops at the first project it would buy that no longer fits in the budget.
Exact: loads only take the values of past purchase times, so each load is a label into a list of
`Fraction`s and every round is one `bincount`.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from vilco_core.rules.instance import Instance, IntArray, Profile
from vilco_core.rules.outcome import ProjectExplanation, explain


def sequential_phragmen(
    instance: Instance, profile: Profile, ranks: IntArray
) -> tuple[tuple[int, ...], dict[int, ProjectExplanation]]:
    """Winners in buying order. Invariant: the selected cost never exceeds the budget."""
    num = len(instance.projects)
    support = profile.supporters(num)
    times: list[Fraction] = [Fraction(0)]
    label = np.zeros(profile.num_voters, dtype=np.int64)
    remaining = [i for i in range(num) if instance.projects[i].cost <= instance.budget]
    chosen: list[int] = []
    records: dict[int, ProjectExplanation] = {}
    spent = 0
    while remaining:
        loads = _new_loads(instance, profile, label, times, support, remaining)
        finite = [v for i in remaining if (v := loads[i]) is not None]
        best = min(finite) if finite else None
        tied = [i for i in remaining if loads[i] == best]
        if any(spent + instance.projects[i].cost > instance.budget for i in tied):
            break
        p = min(tied, key=lambda i: int(ranks[i]))
        price = None if best is None else best / instance.unit
        records[p] = explain(
            instance, p, "selected", int(support[p]), price_per_voter=price, round=len(chosen) + 1
        )
        if best is not None:
            times.append(best)
            voters = profile.voter_of_entry[profile.projects == p]
            label[voters] = len(times) - 1
        chosen.append(p)
        spent += instance.projects[p].cost
        remaining.remove(p)
    for i in remaining:
        records[i] = explain(instance, i, "over_budget", int(support[i]))
    return tuple(chosen), records


def _new_loads(
    instance: Instance,
    profile: Profile,
    label: IntArray,
    times: list[Fraction],
    support: IntArray,
    remaining: list[int],
) -> dict[int, Fraction | None]:
    """Each remaining project's new maximal load (None: no supporter, i.e. infinite)."""
    size = len(times)
    keys = profile.projects * size + label[profile.voter_of_entry]
    counts = np.bincount(keys, minlength=len(instance.projects) * size).reshape(-1, size)
    loads: dict[int, Fraction | None] = {}
    for i in remaining:
        if support[i] == 0:
            loads[i] = None
            continue
        held = sum((int(c) * times[t] for t, c in enumerate(counts[i]) if c), Fraction(0))
        loads[i] = (held + instance.projects[i].cost) / int(support[i])
    return loads
