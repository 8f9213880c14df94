"""Alternates: an ordered reserve list that keeps the quotas when a panel member drops out.

Candidates (everyone not drawn) are first shuffled by the seed. Then, one at a time, the list
takes the first candidate who can replace the most members among those with the fewest
replacements so far (a member `m` can be replaced by `a` when the panel without `m` and with `a`
still meets every quota and the one-per-household rule). A candidate who could replace nobody is
never listed. `find_replacement` picks the first listed alternate who fits a given drop-out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from vilco_core.sortition.profiles import Group, IntArray, PanelSpace
from vilco_core.sortition.seeding import sample

BoolArray = npt.NDArray[np.bool_]


def swap_matrix(space: PanelSpace, counts: IntArray) -> BoolArray:
    """`ok[m, a]`: one member of group m leaving for one of group a keeps the quotas.

    Rows are all groups, but only rows of groups with a seated member are computed (others False).
    """
    seated_groups = np.flatnonzero(counts)
    per_quota = space.matrix @ counts
    leave = per_quota[:, None] - space.matrix[:, seated_groups]
    ok = np.zeros((counts.size, counts.size), dtype=bool)
    for row, group in enumerate(seated_groups):
        moved = leave[:, row, None] + space.matrix
        ok[group] = np.all(
            (moved >= space.lower[:, None]) & (moved <= space.upper[:, None]), axis=0
        )
    for household in space.households:
        members = list(household)
        seated = [g for g in members if counts[g] > 0]
        if seated:
            keep = ok[seated[0], members].copy()
            ok[:, members] = False
            ok[seated[0], members] = keep
    return ok


def _group_of(groups: Sequence[Group]) -> dict[str, int]:
    return {person: g for g, group in enumerate(groups) for person in group.ids}


def choose_alternates(
    space: PanelSpace,
    groups: Sequence[Group],
    panel: Sequence[str],
    stream: Iterator[int],
    count: int,
) -> tuple[str, ...]:
    """Up to `count` alternates for `panel`, in the order they should be called."""
    if count <= 0:
        return ()
    group_of = _group_of(groups)
    seated = set(panel)
    candidates = sample(
        stream, sorted(p for p in group_of if p not in seated), len(group_of) - len(seated)
    )
    members = sorted(panel)
    counts = np.bincount([group_of[m] for m in members], minlength=len(groups)).astype(np.int64)
    ok = swap_matrix(space, counts)
    fits = ok[np.ix_([group_of[m] for m in members], [group_of[c] for c in candidates])]
    return tuple(candidates[i] for i in _greedy_cover(fits, count))


def _greedy_cover(fits: BoolArray, count: int) -> list[int]:
    coverage = np.zeros(fits.shape[0], dtype=np.int64)
    coverable = fits.any(axis=1)
    unused = np.ones(fits.shape[1], dtype=bool)
    chosen: list[int] = []
    while len(chosen) < count and coverable.any():
        level = coverage[coverable].min()
        scores = fits[coverable & (coverage == level)].sum(axis=0) * unused
        best = int(np.argmax(scores))
        if scores[best] == 0:
            scores = fits.sum(axis=0) * unused
            best = int(np.argmax(scores))
            if scores[best] == 0:
                break
        chosen.append(best)
        unused[best] = False
        coverage += fits[:, best]
    return chosen


def find_replacement(
    space: PanelSpace,
    groups: Sequence[Group],
    panel: Sequence[str],
    dropped: str,
    alternates: Sequence[str],
) -> str | None:
    """The first alternate not on the panel who can take `dropped`'s seat, if any."""
    group_of = _group_of(groups)
    counts = np.bincount([group_of[m] for m in panel], minlength=len(groups)).astype(np.int64)
    ok = swap_matrix(space, counts)
    seated = set(panel)
    for alternate in alternates:
        if alternate not in seated and ok[group_of[dropped], group_of[alternate]]:
            return alternate
    return None
