"""Tie-breaking orders: which of two equally placed projects a rule takes first.

The default is pabutools' `lexico_tie_breaking` (smaller project id first, compared as text).
A tie-breaking is turned into a rank per project (smaller wins); every rule reads only the rank,
so the rule stays deterministic and the tie-breaking name is stored with the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from vilco_core.errors import VilcoError
from vilco_core.rules.instance import Instance, IntArray

TieBreaking = Literal["lexicographic", "min-cost", "max-cost", "max-supporters"]
TIE_BREAKINGS: tuple[TieBreaking, ...] = ("lexicographic", "min-cost", "max-cost", "max-supporters")


def tie_ranks(instance: Instance, supporters: IntArray, tie_breaking: str) -> IntArray:
    """Rank of each project under `tie_breaking` (0 wins), ending ties on the project id."""
    ids = [p.project_id for p in instance.projects]
    keys: dict[str, Callable[[int], tuple[Any, ...]]] = {
        "lexicographic": lambda i: (ids[i],),
        "min-cost": lambda i: (instance.projects[i].cost, ids[i]),
        "max-cost": lambda i: (-instance.projects[i].cost, ids[i]),
        "max-supporters": lambda i: (-int(supporters[i]), ids[i]),
    }
    key = keys.get(tie_breaking)
    if key is None:
        raise VilcoError("rules.unknown_tie_breaking", name=tie_breaking)
    order = sorted(range(len(ids)), key=key)
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[order] = np.arange(len(ids), dtype=np.int64)
    return ranks
