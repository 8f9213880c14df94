"""The Method of Equal Shares (Peters & Skowron 2021; Peters, Pierczyński & Skowron, NeurIPS 2021;
equalshares.net), exact (Pabulib rule `equalshares`).

Each voter gets the same budget `b`; in each round the project whose supporters can pay for it
with the lowest price per unit of utility `rho` is bought, each supporter paying
`min(budget, rho * utility)`; ties go to the smallest tie-breaking rank (pabutools: project id).
Invariant: no voter ever pays more than their budget, so the selected cost never exceeds `n * b`.

Speed without floats deciding anything: identical ballots (restricted to the projects MES can
buy) are merged into weighted voter groups, and a run is NumPy float64 water-filling over groups.
Floats are only trusted where a decision is far from its threshold (relative margin `_TOL`, far
above float64's accumulated error); a near tie or near affordability is decided with `Fraction`s
computed from the run's exact history: a group's exact budget is `b` minus the exact prices of
the rounds it paid in full (or 0 once it paid everything), so exact prices are replayed lazily,
only up to the round that needs them. The explanations of the final run are always exact.
`equal_shares_exact` is the plain exact reference the tests check this fast path against.

The `add1` completions, which run it level after level, are in `equal_shares_add1`.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from vilco_core.rules.instance import BoolArray, FloatArray, Instance, IntArray, Profile
from vilco_core.rules.mes_io import (
    MesIndex,
    MesRun,
    index_fields,
    index_supporters,
    record,
    with_free,
)
from vilco_core.rules.mes_io import total_cost as total_cost
from vilco_core.rules.outcome import ProjectExplanation

_TOL = 1e-9  # float results closer than this (relative) are decided with Fractions
_NEVER = np.iinfo(np.int64).max
_BLAS_MAX = 8192  # longest rows summed with np.dot


@dataclass(frozen=True, slots=True, kw_only=True)
class MesData(MesIndex):
    """The run-independent part of MES: eligible projects and their supporting voter groups."""

    weights: IntArray  # voters per group
    members: tuple[IntArray, ...]  # groups supporting each compact project
    member_weights: tuple[FloatArray, ...]
    queue: tuple[tuple[float, int, int], ...]  # (initial rho, rank, project), sorted: a heap


def prepare(
    instance: Instance, profile: Profile, ranks: IntArray, utility: str = "cost"
) -> MesData:
    """`index_supporters`, with voters who support the same projects merged into groups."""
    index = index_supporters(instance, profile, ranks, utility)
    weights, members = _group_voters(index.entry_project, index.entry_voter, index.num_voters)
    members = members + tuple(
        np.zeros(0, dtype=np.int64) for _ in range(len(index.eligible) - len(members))
    )
    queue = sorted(
        (cost / (int(support) * u), rank, p)
        for p, (cost, support, u, rank) in enumerate(
            zip(index.costs, index.supporters, index.utilities, index.ranks, strict=True)
        )
    )
    return MesData(
        **index_fields(index),
        weights=weights,
        members=members,
        member_weights=tuple(weights[m].astype(np.float64) for m in members),
        queue=tuple(queue),
    )


def _group_voters(
    entry_project: IntArray, entry_voter: IntArray, num_voters: int
) -> tuple[IntArray, tuple[IntArray, ...]]:
    """Merge voters who support the same projects: group weights and each project's groups.

    A ballot is a row of 64-bit words (one bit per project); sorting the rows puts identical
    ballots next to each other."""
    num_projects = int(entry_project.max(initial=-1)) + 1
    bits = np.zeros((num_voters, max(1, (num_projects + 63) // 64)), dtype=np.uint64)
    masks = np.left_shift(np.uint64(1), (entry_project & 63).astype(np.uint64))
    np.bitwise_or.at(bits, (entry_voter, entry_project >> 6), masks)
    order = np.lexsort(bits.T)
    rows = bits[order]
    new = np.ones(num_voters, dtype=np.bool_)
    new[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    group_of = np.empty(num_voters, dtype=np.int64)
    group_of[order] = np.cumsum(new) - 1
    counts = np.diff(np.append(np.flatnonzero(new), num_voters))
    is_first = np.zeros(num_voters, dtype=np.bool_)
    is_first[order[new]] = True
    pick = is_first[entry_voter]
    keys = np.sort(entry_project[pick] * num_voters + group_of[entry_voter[pick]])
    keys = keys[np.diff(keys, prepend=-1) != 0]  # a ballot may name a project twice
    projects, groups = keys // max(1, num_voters), keys % max(1, num_voters)
    bounds = np.searchsorted(projects, np.arange(num_projects + 1))
    members = tuple(groups[bounds[i] : bounds[i + 1]] for i in range(num_projects))
    return counts.astype(np.int64), members


class _Look(NamedTuple):
    """A float look at one project for the current round: supporters' money and price (a named
    tuple: a run makes tens of thousands)."""

    money: float
    price: float  # per-supporter price q (minor units); inf when unaffordable


@dataclass(slots=True, kw_only=True)
class _Round:
    project: int
    price: float  # float q
    rho: float
    before: FloatArray  # float budgets of the project's groups before this round


@dataclass(slots=True, kw_only=True)
class _Run:
    """One run in progress: float group budgets, history, lazily replayed exact prices."""

    data: MesData
    level: Fraction
    budget: FloatArray
    alive: set[int]
    queue: list[tuple[float, int, int]]  # heap of (stale rho, rank, project); bought: skipped
    rounds: list[_Round] = field(default_factory=list)
    exact_q: list[Fraction] = field(default_factory=list)
    exact_out: IntArray | None = None  # round in which each group paid everything (exact)
    exact_rich: BoolArray | None = None  # (group x round): paid the full price (exact)
    found_unaffordable: list[tuple[int, int]] = field(default_factory=list)  # (p, round)
    bounds: list[tuple[tuple[float, int, int], ...]] = field(default_factory=list)  # per round
    guided: bool = False  # started its rounds from another run's bounds (`_rounds`)
    looks: list[tuple[int, int, _Look]] = field(default_factory=list)  # (round, p, look)
    prices: dict[int, float] = field(default_factory=dict)  # each project's last float price
    fresh: dict[int, FloatArray] = field(default_factory=dict)  # budgets looked at this round

    @property
    def selected(self) -> tuple[int, ...]:
        return tuple(r.project for r in self.rounds)


def _start(data: MesData, level: Fraction) -> _Run:
    return _Run(
        data=data,
        level=level,
        budget=np.full(len(data.weights), float(level)),
        alive=set(range(len(data.eligible))),
        queue=list(data.queue),
    )


def _look(run: _Run, p: int, low: float = 0.0) -> _Look:
    """Float money and water-filling price of project `p` (exact check near affordability);
    `low`: a lower bound on the price, if known."""
    data = run.data
    b = run.fresh[p] = run.budget.take(data.members[p])
    w = data.member_weights[p]
    wb = w * b
    money = _dot(w, b)
    cost = float(data.costs[p])
    if money < cost * (1 - _TOL) or (
        money <= cost * (1 + _TOL) and _exact_money(run, p, len(run.rounds)) < data.costs[p]
    ):
        look = _Look(money=money, price=math.inf)
    else:
        total, low = float(data.supporters[p]), max(low, run.prices.get(p, 0.0))
        look = _Look(money=money, price=_water_level(b, w, wb, cost, total, low))
        run.prices[p] = look.price
    run.looks.append((len(run.rounds), p, look))
    return look


def _dot(x: FloatArray, y: FloatArray | BoolArray) -> float:
    """`x @ y`, with BLAS only on short rows (beyond ~10,000 OpenBLAS wakes its threads)."""
    if len(x) < _BLAS_MAX:
        return float(np.dot(x, y))
    return float(np.add.reduce(x * y))


def _water_level(
    b: FloatArray, w: FloatArray, wb: FloatArray, cost: float, total: float, low: float = 0.0
) -> float:
    """Smallest q with sum(w * min(b, q)) >= cost (float), given that sum(wb = w * b) >= cost
    and that q >= `low` (a lower bound: the scan's, or a price from earlier in the run). From
    any q below the answer, one step (the poor at q pay all, the others share the rest) gives
    a q still below it and no lower: the steps climb to it. A step costs two sums; whether it
    settled, a count."""
    q = max(cost / total, low)
    poor = b < q
    count = int(np.count_nonzero(poor))
    for _ in range(12):  # the poor set only grows: a few steps settle it, else sort
        if count == 0 and q * total == cost:
            return q
        if count == len(b):
            return float(b.max())
        q = (cost - _dot(wb, poor)) / (total - _dot(w, poor))
        poor = b < q
        before, count = count, int(np.count_nonzero(poor))
        if count == before:  # nested sets of one size: the same poor, q is settled
            return q
    order = np.argsort(b, kind="stable")
    v, c = b[order], w[order]
    before_c = np.cumsum(c) - c
    before_v = np.cumsum(c * v) - c * v
    with np.errstate(divide="ignore", invalid="ignore"):
        qs = (cost - before_v) / (total - before_c)
    fits = qs <= v
    return float(qs[int(fits.argmax())]) if fits.any() else float(v[-1])


# --- exact replay -------------------------------------------------------------------------


def _exact_budgets(run: _Run, groups: IntArray, upto: int) -> list[Fraction]:
    """Exact budgets of `groups` before round `upto` (the exact prefix must be replayed)."""
    _replay(run, upto)
    out: list[Fraction] = []
    for g in groups.tolist():
        if run.exact_out is not None and run.exact_out[g] < upto:
            out.append(Fraction(0))
            continue
        value = run.level
        if run.exact_rich is not None:
            for j in np.flatnonzero(run.exact_rich[g, :upto]).tolist():
                value -= run.exact_q[j]
        out.append(value)
    return out


def _exact_money_of(run: _Run, groups: IntArray, upto: int) -> tuple[Fraction, int]:
    """Exact total budget of `groups` before round `upto`, and how many voters still hold any."""
    _replay(run, upto)
    w = run.data.weights[groups]
    if run.exact_out is None or run.exact_rich is None or upto == 0:
        return run.level * int(w.sum()), int(w.sum())
    live = run.exact_out[groups] >= upto
    g, w = groups[live], w[live]
    paid = w @ run.exact_rich[g, :upto]
    total = run.level * int(w.sum())
    for j, count in enumerate(paid.tolist()):
        if count:
            total -= count * run.exact_q[j]
    return total, int(w.sum())


def _exact_money(run: _Run, p: int, upto: int) -> Fraction:
    return _exact_money_of(run, run.data.members[p], upto)[0]


def _exact_price(
    run: _Run, p: int, upto: int, b: FloatArray, q: float
) -> tuple[Fraction, BoolArray]:
    """Exact water-filling price of affordable `p` before round `upto` and its poor groups.

    Groups whose float budget is clearly below / above the float price `q` are certainly poor /
    rich; the few near it are ordered and decided with exact budgets."""
    data = run.data
    groups = data.members[p]
    margin = _TOL * max(q, float(run.level))
    near = np.abs(b - q) <= margin
    poor = (b < q) & ~near
    paid, _ = _exact_money_of(run, groups[poor], upto)
    left = int(data.supporters[p]) - int(data.weights[groups[poor]].sum())
    idx = np.flatnonzero(near)
    values = _exact_budgets(run, groups[idx], upto)
    price = Fraction(data.costs[p] - paid, left) if left else Fraction(10**30)
    for value, j in sorted(zip(values, idx.tolist(), strict=True)):
        if value >= price:
            break
        weight = int(data.weights[groups[j]])
        poor[j] = True
        paid += weight * value
        left -= weight
        price = Fraction(data.costs[p] - paid, left) if left else value
    return price, poor


def _replay(run: _Run, upto: int) -> None:
    """Compute the exact prices (and who paid what) of rounds `< upto`."""
    data = run.data
    if len(run.exact_q) >= upto:
        return
    if run.exact_out is None or run.exact_rich is None:
        run.exact_out = np.full(len(data.weights), _NEVER, dtype=np.int64)
        run.exact_rich = np.zeros((len(data.weights), max(1, len(data.eligible))), dtype=np.bool_)
    while len(run.exact_q) < upto:
        j = len(run.exact_q)
        rnd = run.rounds[j]
        groups = data.members[rnd.project]
        price, poor = _exact_price(run, rnd.project, j, rnd.before, rnd.price)
        live = run.exact_out[groups] >= j
        run.exact_out[groups[poor & live]] = j
        run.exact_rich[groups[~poor & live], j] = True
        run.exact_q.append(price)


def _exact_rho(run: _Run, p: int, look: _Look) -> Fraction:
    """Exact `rho` of `p` at the current round (unaffordable: a huge sentinel)."""
    if not math.isfinite(look.price):
        return Fraction(10**30)
    upto = len(run.rounds)
    b = run.budget[run.data.members[p]]
    return _exact_price(run, p, upto, b, look.price)[0] / run.data.utilities[p]


# --- float rounds -------------------------------------------------------------------------


def _scan(run: _Run, limit: float | None) -> list[tuple[float, int, _Look]]:
    """Evaluate projects in order of stale `rho` (then rank) until the stale bound exceeds the
    best found (or `limit`); drop the unaffordable. Returns the evaluated affordable projects.

    A project's `rho` only grows during a run, so its last value is a lower bound: the queue is a
    heap on it, and each scan pops only the few projects it evaluates."""
    data, queue = run.data, run.queue
    found: list[tuple[float, int, _Look]] = []
    seen: list[tuple[float, int, int]] = []
    best = math.inf
    while queue:
        stale, rank, p = queue[0]
        if p not in run.alive:
            heapq.heappop(queue)
            continue
        if stale > (limit if limit is not None else best) * (1 + 4 * _TOL):
            break
        heapq.heappop(queue)
        look = _look(run, p, stale * data.utilities[p])
        if not math.isfinite(look.price):
            run.alive.discard(p)
            run.found_unaffordable.append((p, len(run.rounds)))
            continue
        rho = look.price / data.utilities[p]
        best = min(best, rho)
        found.append((rho, p, look))
        seen.append((rho, rank, p))
    for item in seen:
        heapq.heappush(queue, item)
    return found


def _choose(run: _Run, found: list[tuple[float, int, _Look]]) -> int:
    """The project bought this round: lowest exact `rho`, ties by rank."""
    if len(found) == 1:
        return found[0][1]
    best = min(rho for rho, _, _ in found)
    shortlist = [(p, look) for rho, p, look in found if rho <= best * (1 + 4 * _TOL)]
    if len(shortlist) == 1:
        return shortlist[0][0]
    ranks = run.data.ranks
    return min((_exact_rho(run, p, look), ranks[p], p) for p, look in shortlist)[2]


def _buy(run: _Run, p: int, look: _Look) -> None:
    """Charge the supporters of `p` the float price (the exact one is replayed when needed)."""
    groups = run.data.members[p]
    before = run.fresh.get(p)
    if before is None:
        before = run.budget[groups]
    rho = look.price / run.data.utilities[p]
    run.rounds.append(_Round(project=p, price=look.price, rho=rho, before=before))
    after = before - look.price
    run.budget[groups] = np.maximum(after, 0.0, out=after)
    run.alive.discard(p)
    run.fresh.clear()


def _run_float(data: MesData, level: Fraction) -> _Run:
    return _rounds(_start(data, level))


def _rounds(run: _Run, guide: _Run | None = None) -> _Run:
    """Play the rounds of `run` from where it stands to the end.

    `guide`: a run at a higher level. While `run` buys what `guide` bought, each of its rounds
    starts from `guide`'s lower bounds at that round (its queue after that round's scan): along
    one buying order every `rho` is non-increasing in the level, so they hold here too, and being
    from the same round they are far tighter than `run`'s own (older) ones: the scan evaluates
    little more than the project it buys and its near ties."""
    following = guide is not None and guide.level >= run.level
    run.guided = run.guided or following
    while run.alive:
        j = len(run.rounds)
        if following and guide is not None and j < len(guide.bounds):
            run.queue = list(guide.bounds[j])
        found = _scan(run, None)
        run.bounds.append(tuple(run.queue))
        if not found:
            break
        p = _choose(run, found)
        _buy(run, p, next(look for _, q, look in found if q == p))
        if guide is not None and following:
            following = j < len(guide.rounds) and guide.rounds[j].project == p
    return run


def _finish(run: _Run, explain: bool) -> MesRun:
    """The exact result of a float run: exact prices, money and remaining budgets."""
    data = run.data
    _replay(run, len(run.rounds))
    records: dict[int, ProjectExplanation] = {}
    if explain:
        for position, (rnd, q) in enumerate(zip(run.rounds, run.exact_q, strict=True)):
            money = _exact_money(run, rnd.project, position)
            records[rnd.project] = record(data, rnd.project, "selected", q, money, position + 1)
        for p, position in run.found_unaffordable:
            money = _exact_money(run, p, position)
            records[p] = record(data, p, "unaffordable", None, money, position + 1)
    everyone = np.arange(len(data.weights), dtype=np.int64)
    total, _ = _exact_money_of(run, everyone, len(run.rounds))
    lowest = float(run.budget.min()) if len(everyone) else 0.0
    near = np.flatnonzero(run.budget <= lowest + _TOL * float(run.level))
    minimum = min(_exact_budgets(run, near, len(run.rounds)), default=Fraction(0))
    return MesRun(
        selected=tuple(data.eligible[r.project] for r in run.rounds),
        records={data.eligible[p]: r for p, r in records.items()},
        voter_budget=run.level,
        trace=tuple(
            (r.project, q / data.utilities[r.project])
            for r, q in zip(run.rounds, run.exact_q, strict=True)
        ),
        min_remaining=minimum,
        total_remaining=total,
    )


def run_mes(data: MesData, voter_budget: Fraction, *, explain: bool = True) -> MesRun:
    """MES at a fixed per-voter budget (minor units). Returns the winners in buying order."""
    return _finish(_run_float(data, voter_budget), explain)


def equal_shares_fixed(data: MesData) -> MesRun:
    """MES without completion: each voter gets `B / n`."""
    return with_free(data, run_mes(data, Fraction(data.instance.budget, data.num_voters)))
