"""Use cases of a draw by lot: compute the lottery, draw a panel from it with a seed, report quotas.

`compute_lottery` turns a validated `Instance` into a `Lottery` with one of four methods:
`uniform` (k of n, ignoring quotas and households), `leximin`, `maximin` (Flanigan et al. 2021)
and `legacy` (the pre-2021 greedy algorithm, probabilities estimated). `draw_panel` then maps a
public seed to one ticket of the lottery and, inside each group of interchangeable people, to the
members who sit, all through `seeding` so anyone can replay it from the file and the seed alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

import numpy as np

from vilco_core import __version__
from vilco_core.errors import VilcoError
from vilco_core.sortition.alternates import choose_alternates, find_replacement
from vilco_core.sortition.legacy import LEGACY_RUNS, legacy_distribution
from vilco_core.sortition.leximin import Distribution, leximin_distribution
from vilco_core.sortition.lottery import (
    TICKETS,
    Lottery,
    lottery_sha256,
    lottery_space,
    make_lottery,
)
from vilco_core.sortition.pool import Instance, pool_sha256, project_pool, quotas_sha256
from vilco_core.sortition.profiles import Group, group_people, panel_space
from vilco_core.sortition.progress import CancelCheck, ProgressCallback
from vilco_core.sortition.seeding import hash_stream, sample, uniform_below

Method = Literal["uniform", "leximin", "maximin", "legacy"]
METHODS: Final[tuple[str, ...]] = get_args(Method)


@dataclass(frozen=True, slots=True, kw_only=True)
class Draw:
    """A panel drawn from a lottery: which ticket the seed chose, who sits, who stands by."""

    seed: str
    lottery_sha256: str
    ticket: int
    panel: tuple[str, ...]
    alternates: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotaCount:
    """One quota beside the number of panel members who have that value."""

    feature: str
    value: str
    min: int
    max: int
    drawn: int

    @property
    def met(self) -> bool:
        return self.min <= self.drawn <= self.max


def _uniform_lottery(instance: Instance) -> Lottery:
    pool = project_pool(instance.pool, (), households=False)
    group = Group(values=(), ids=tuple(p.id for p in pool.people))
    header = _header(instance, "uniform", estimated=False, pool_hash=pool_sha256(pool))
    header.update(
        features=(), quotas=(), household_columns=(), quotas_sha256=quotas_sha256((), instance.size)
    )
    panels = np.array([[instance.size]], dtype=np.int64)
    return make_lottery(panels=panels, weights=[1.0], groups=[group], header=header)


def _header(instance: Instance, method: str, *, estimated: bool, pool_hash: str) -> dict[str, Any]:
    households = instance.pool.household_columns if instance.one_per_household else ()
    return {
        "method": method,
        "estimated": estimated,
        "vilco_version": __version__,
        "size": instance.size,
        "features": instance.pool.features,
        "quotas": instance.quotas,
        "household_columns": households,
        "pool_sha256": pool_hash,
        "quotas_sha256": quotas_sha256(instance.quotas, instance.size),
    }


def _legacy_rng(instance: Instance, pool_hash: str) -> np.random.Generator:
    """Fixed by the inputs (never by the seed), so the legacy lottery is known before the seed."""
    text = f"vilco-legacy/1\n{pool_hash}\n{quotas_sha256(instance.quotas, instance.size)}"
    return np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest(), 16))


def compute_lottery(
    instance: Instance,
    method: Method = "leximin",
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    legacy_runs: int = LEGACY_RUNS,
    tickets: int = TICKETS,
) -> Lottery:
    """The lottery to publish before the seed exists; pass `progress`/`cancelled` for leximin."""
    if method not in METHODS:
        raise VilcoError("sortition.unknown_method", method=method, methods=", ".join(METHODS))
    if method == "uniform":
        return _uniform_lottery(instance)
    pool = (
        instance.pool
        if instance.one_per_household
        else project_pool(instance.pool, instance.pool.features, households=False)
    )
    groups = group_people(pool, one_per_household=instance.one_per_household)
    space = panel_space(groups, pool.features, instance.quotas, instance.size)
    distribution: Distribution
    if method == "legacy":
        distribution = legacy_distribution(
            space,
            _legacy_rng(instance, pool_sha256(pool)),
            runs=legacy_runs,
            progress=progress,
            cancelled=cancelled,
        )
    else:
        distribution = leximin_distribution(
            space, maximin=method == "maximin", progress=progress, cancelled=cancelled
        )
    header = _header(instance, method, estimated=method == "legacy", pool_hash=pool_sha256(pool))
    return make_lottery(
        panels=distribution.panels,
        weights=list(distribution.weights),
        groups=groups,
        header=header,
        tickets=tickets,
    )


def _ticket_panel(lottery: Lottery, ticket: int) -> int:
    cumulative = np.cumsum([p.tickets for p in lottery.panels])
    return int(np.searchsorted(cumulative, ticket, side="right"))


def draw_panel(lottery: Lottery, seed: str, *, alternates: int = 0) -> Draw:
    """The panel (and `alternates` reserves) that `seed` draws from `lottery`: replayable."""
    digest = lottery_sha256(lottery)
    stream = hash_stream(seed, digest)
    ticket = uniform_below(stream, lottery.tickets)
    chosen = lottery.panels[_ticket_panel(lottery, ticket)]
    members = [p for g, n in chosen.counts for p in sample(stream, lottery.groups[g].ids, n)]
    reserves = choose_alternates(
        lottery_space(lottery), lottery.groups, members, stream, alternates
    )
    return Draw(
        seed=seed,
        lottery_sha256=digest,
        ticket=ticket,
        panel=tuple(sorted(members)),
        alternates=reserves,
    )


def replacement_for(
    lottery: Lottery, panel: Sequence[str], dropped: str, alternates: Sequence[str]
) -> str | None:
    """The first alternate who can take `dropped`'s seat without breaking a quota."""
    return find_replacement(lottery_space(lottery), lottery.groups, panel, dropped, alternates)


def quota_counts(lottery: Lottery, panel: Sequence[str]) -> tuple[QuotaCount, ...]:
    """Each quota of the lottery beside how many members of `panel` have its value."""
    group_of = {p: g for g, group in enumerate(lottery.groups) for p in group.ids}
    column = {f: i for i, f in enumerate(lottery.features)}
    values = [lottery.groups[group_of[p]].values for p in panel]
    return tuple(
        QuotaCount(
            feature=q.feature,
            value=q.value,
            min=q.min,
            max=q.max,
            drawn=sum(v[column[q.feature]] == q.value for v in values),
        )
        for q in lottery.quotas
    )
