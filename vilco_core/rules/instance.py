"""The values the outcome rules read: an `Instance` (projects, budget) and a `Profile` (ballots).

Vocabulary follows pabutools. Money is held in integer minor units: `Instance.unit` minor units
make one currency unit (1 for whole złoty or euro, 100 when a file has costs in cents), so every
rule compares integers or `Fraction`s, never floats. A `Profile` stores its ballots compactly
(CSR arrays, one row per voter, projects in the order the voter gave them) so that a city-size vote
fits in a few megabytes and the rules can count with NumPy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

VoteType = Literal["approval", "cumulative", "ordinal", "choose-1"]
VOTE_TYPES: tuple[VoteType, ...] = ("approval", "cumulative", "ordinal", "choose-1")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """A project on the ballot; `cost` is in the instance's minor units. `excludes`: the ids of
    projects it may not be funded with (same place; rule `greedy-exclusive`), either side."""

    project_id: str
    cost: int
    name: str = ""
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Instance:
    """The projects of one vote and the budget they share (`budget` in minor units)."""

    projects: tuple[Project, ...]
    budget: int
    unit: int = 1
    vote_type: VoteType = "approval"
    min_project_score: int | None = None
    max_length: int | None = None
    meta: Mapping[str, str] = field(default_factory=dict)

    def index(self) -> dict[str, int]:
        """Project id -> position in `projects`."""
        return {p.project_id: i for i, p in enumerate(self.projects)}

    def costs(self) -> IntArray:
        """The project costs as an array aligned with `projects`."""
        return np.array([p.cost for p in self.projects], dtype=np.int64)

    def money(self, minor: int | Fraction) -> Fraction:
        """An amount in minor units expressed in currency units (exact)."""
        return Fraction(minor) / self.unit


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Profile:
    """Ballots in CSR form: voter `v` named `projects[indptr[v]:indptr[v + 1]]` (in order).

    `points` is aligned with `projects` (cumulative points; 1 for approval and choose-1; the
    file's points, if any, for ordinal ballots).
    """

    indptr: IntArray
    projects: IntArray
    points: IntArray
    voter_ids: tuple[str, ...] = ()

    @property
    def num_voters(self) -> int:
        return len(self.indptr) - 1

    def ballot(self, voter: int) -> tuple[int, ...]:
        """The project indices voter `voter` named, in the order given."""
        return tuple(int(p) for p in self.projects[self.indptr[voter] : self.indptr[voter + 1]])

    @property
    def lengths(self) -> IntArray:
        return np.diff(self.indptr)

    @property
    def voter_of_entry(self) -> IntArray:
        return np.repeat(np.arange(self.num_voters, dtype=np.int64), self.lengths)

    @property
    def position_of_entry(self) -> IntArray:
        return np.arange(len(self.projects), dtype=np.int64) - self.indptr[self.voter_of_entry]

    def supporters(self, num_projects: int) -> IntArray:
        """How many ballots name each project (approval score, pabutools' `Cost_Sat` support)."""
        return np.bincount(self.projects, minlength=num_projects).astype(np.int64)

    @staticmethod
    def from_ballots(
        ballots: Sequence[Sequence[int]],
        points: Sequence[Sequence[int]] | None = None,
        voter_ids: Sequence[str] = (),
    ) -> Profile:
        """A profile from per-voter project indices (and optional per-project points)."""
        lengths = np.array([len(b) for b in ballots], dtype=np.int64)
        indptr = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)])
        flat = np.fromiter((p for b in ballots for p in b), dtype=np.int64, count=int(indptr[-1]))
        if points is None:
            pts = np.ones(len(flat), dtype=np.int64)
        else:
            pts = np.fromiter((x for b in points for x in b), dtype=np.int64, count=len(flat))
        return Profile(indptr=indptr, projects=flat, points=pts, voter_ids=tuple(voter_ids))
