"""Synthetic votes shaped like the Pabulib files the shared data lacks (tests and benchmarks).

`budapest_shaped`: Budapest 2023, VIII Józsefváros (918 voters, a budget of 163,398 HUF per
voter, about 40 projects costing 0.5 to 30 million HUF, approval ballots of 1 to 7 projects with
a skewed popularity). The `equalshares/add1` completion climbs from 163,398 HUF per voter to about
270,000 in 1 HUF steps there: the case where a unit-by-unit search is slow. `scale` multiplies
costs and budget (the money unit made `scale` times smaller).
"""

from __future__ import annotations

import numpy as np

from vilco_core.rules.instance import Instance, Profile, Project

BUDAPEST_VOTERS = 918
BUDAPEST_PER_VOTER = 163_398  # HUF


def budapest_shaped(
    *, scale: int = 1, seed: int = 2023, projects: int = 40
) -> tuple[Instance, Profile]:
    """A reproducible Budapest-shaped approval vote (see the module docstring)."""
    rng = np.random.default_rng(seed)
    hundreds = rng.integers(5, 300, size=projects) * 100_000 + rng.integers(0, 100_000, projects)
    popularity = rng.dirichlet(np.full(projects, 0.6))
    ballots = []
    for _ in range(BUDAPEST_VOTERS):
        size = int(rng.integers(1, 8))
        chosen = rng.choice(projects, size=size, replace=False, p=popularity)
        ballots.append(sorted(int(p) for p in chosen))
    instance = Instance(
        projects=tuple(
            Project(project_id=str(i + 1), cost=int(c) * scale) for i, c in enumerate(hundreds)
        ),
        budget=BUDAPEST_VOTERS * BUDAPEST_PER_VOTER * scale,
        meta={"description": "synthetic, shaped like Budapest 2023 VIII Józsefváros"},
    )
    return instance, Profile.from_ballots(ballots)
