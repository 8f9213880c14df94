"""The Method of Equal Shares (Peters & Skowron 2021; Peters, Pierczyński & Skowron, NeurIPS 2021;
equalshares.net), exact, with its completions (Pabulib rules `equalshares`, `equalshares/add1`).

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

The `add1` completions keep the definition (raise the per-voter budget one currency unit at a
time) and only skip levels that are certified. Along a fixed buying order every voter's remaining
budget is non-decreasing in the starting budget `b`, so every price and `rho` is non-increasing
in `b`. Hence the run at `b0` certifies an interval `[b0, b1]` when a run at `b1` forced to buy
in the same order finds, at every round, every other project either unaffordable or with
`rho(b1) > rho_chosen(b0)` (ties: rank), and nothing affordable after the last purchase: every
budget in between then gives the same outcome. The level to try is not found unit by unit:
two runs with the same buying order give each price a slope, and extrapolating them gives the
level where a passed-over project would catch up with a purchase (or an unaffordable one become
affordable); the certificate is tried a little below it (halving the distance until it holds).
So the number of runs follows how often the outcome changes, not the size of the money unit
(Budapest 2023: 918 voters climbing ~100,000 forints). On city votes near ties swap every few
units: the reach is under one unit there and each level is one plain run, with no certificate.
The kept outcome is explained by the run at the level reported.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from vilco_core.rules.instance import BoolArray, FloatArray, Instance, IntArray, Profile
from vilco_core.rules.mes_io import (
    MesIndex,
    MesRun,
    index_fields,
    index_supporters,
    record,
    whole_units_share,
    with_free,
)
from vilco_core.rules.mes_io import total_cost as total_cost
from vilco_core.rules.outcome import ProjectExplanation

_TOL = 1e-9  # float results closer than this (relative) are decided with Fractions
_NEVER = np.iinfo(np.int64).max
_SAFETY = 0.8  # share of the estimated reach a certificate first tries


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


@dataclass(frozen=True, slots=True, kw_only=True)
class _Look:
    """A float look at one project for the current round: supporters' money and price."""

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
    looks: list[tuple[int, int, _Look]] = field(default_factory=list)  # (round, p, look)
    prices: dict[int, float] = field(default_factory=dict)  # each project's last float price

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


def _look(run: _Run, p: int) -> _Look:
    """Float money and water-filling price of project `p` (exact check near affordability)."""
    data = run.data
    b = run.budget.take(data.members[p])
    w = data.member_weights[p]
    wb = w * b
    money = float(np.add.reduce(wb))
    cost = float(data.costs[p])
    if money < cost * (1 - _TOL) or (
        money <= cost * (1 + _TOL) and _exact_money(run, p, len(run.rounds)) < data.costs[p]
    ):
        look = _Look(money=money, price=math.inf)
    else:
        total, low = float(data.supporters[p]), run.prices.get(p, 0.0)
        look = _Look(money=money, price=_water_level(b, w, wb, cost, total, low))
        run.prices[p] = look.price
    run.looks.append((len(run.rounds), p, look))
    return look


def _water_level(
    b: FloatArray, w: FloatArray, wb: FloatArray, cost: float, total: float, low: float = 0.0
) -> float:
    """Smallest q with sum(w * min(b, q)) >= cost (float), given that sum(wb = w * b) >= cost
    and that q >= `low` (a price this project had earlier in the run: prices only grow). From
    any q below the answer, one step (the poor at q pay all, the others share the rest) gives
    a q still below it and no lower: the steps climb to it."""
    q = max(cost / total, low)
    count = -1
    for _ in range(12):  # the poor set only grows: a few steps settle it, else sort
        poor = b < q
        n_poor = int(np.count_nonzero(poor))
        if n_poor == 0 and q * total == cost:
            return q
        if n_poor == count or n_poor == len(b):
            return q if n_poor < len(b) else float(b.max())
        count = n_poor
        left = total - float(np.add.reduce(w * poor))  # masked sums: faster than where=
        q = (cost - float(np.add.reduce(wb * poor))) / left if left > 0 else float(b.max())
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
        look = _look(run, p)
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
    best = min(rho for rho, _, _ in found)
    shortlist = [(p, look) for rho, p, look in found if rho <= best * (1 + 4 * _TOL)]
    if len(shortlist) == 1:
        return shortlist[0][0]
    ranks = run.data.ranks
    return min((_exact_rho(run, p, look), ranks[p], p) for p, look in shortlist)[2]


def _buy(run: _Run, p: int, look: _Look) -> None:
    """Charge the supporters of `p` the float price (the exact one is replayed when needed)."""
    groups = run.data.members[p]
    before = run.budget[groups]
    rho = look.price / run.data.utilities[p]
    run.rounds.append(_Round(project=p, price=look.price, rho=rho, before=before))
    run.budget[groups] = np.maximum(before - look.price, 0.0)
    run.alive.discard(p)


def _run_float(data: MesData, level: Fraction) -> _Run:
    run = _start(data, level)
    while run.alive:
        found = _scan(run, None)
        if not found:
            break
        p = _choose(run, found)
        _buy(run, p, next(look for _, q, look in found if q == p))
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


def _same_outcome_at(run: _Run, level: Fraction) -> bool:
    """True when every budget in `[run.level, level]` certainly gives `run`'s outcome
    (the monotonicity certificate described in the module docstring)."""
    data = run.data
    other = _start(data, level)
    for position, rnd in enumerate(run.rounds):
        chosen, limit = rnd.project, rnd.rho
        for value, p, look in _scan(other, limit):
            if p == chosen or value > limit * (1 + 4 * _TOL):
                continue
            if value < limit * (1 - 4 * _TOL):
                return False
            exact = _exact_rho(other, p, look)
            _replay(run, position + 1)
            rho = run.exact_q[position] / data.utilities[chosen]
            if exact < rho or (exact == rho and data.ranks[p] < data.ranks[chosen]):
                return False
        if chosen not in other.alive:
            return False
        look = _look(other, chosen)
        if not math.isfinite(look.price):
            return False
        _buy(other, chosen, look)
    return not _scan(other, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Step:
    """One buying order met while the level rises: `run` is at the first level giving it;
    the previous order held up to level `below`, where `previous` (a run at or under `below`
    with that order) was computed. The first step has no previous order."""

    run: _Run
    previous: _Run | None = None
    below: Fraction = Fraction(0)

    def last(self) -> _Run:
        """A run at the level just below `run`'s (the previous order)."""
        if self.previous is None:  # cannot happen: the starting budget never overspends
            raise ArithmeticError("MES overspent at the starting budget")
        if self.previous.level == self.below:
            return self.previous
        return _run_float(self.run.data, self.below)


def _climb(data: MesData, start: Fraction) -> Iterator[_Step]:
    """Every change of buying order as the per-voter budget rises one unit at a time from
    `start`, without running every level: when two runs give the same buying order, `_reach`
    extrapolates their prices to the level where the outcome may change, the certificate
    `_same_outcome_at` confirms a level that far up (halving the distance until it does), and
    the next run is one unit above the confirmed level. The number of runs depends on how often
    the outcome changes, not on the size of the unit. On city votes, where near ties swap every
    few units, the reach is under a unit and every level is one run, with no certificate."""
    unit = data.instance.unit
    below, base = None, _run_float(data, start)
    yield _Step(run=base)
    cap = start + sum(data.costs)
    while True:
        jump = 0
        if below is not None and below.selected == base.selected:
            steps = min(_reach(below, base), float(cap - base.level)) / unit
            jump = int(steps * _SAFETY) if math.isfinite(steps) else 0
        while jump > 0 and not _same_outcome_at(base, base.level + jump * unit):
            jump //= 2
        low = base.level + jump * unit
        run = _run_float(data, low + unit)
        if run.selected != base.selected:
            yield _Step(run=run, previous=base, below=low)
        below, base = base, run


def _reach(below: _Run, run: _Run) -> float:
    """How far above `run.level` its outcome should last, extrapolating the prices and money of
    its looks along the line through `below`'s (a run with the same buying order): until a
    project found unaffordable becomes affordable, or a project passed over gets a `rho` below
    the one bought in a round where it was still compared. An estimate: a certificate checks."""
    rhos, width = [r.rho for r in run.rounds], float(run.level - below.level)
    seen = {(position, p): look for position, p, look in below.looks}
    best, utilities = math.inf, run.data.utilities
    until: dict[int, int] = {}
    for position, p, look in reversed(run.looks):
        later, until[p] = until.get(p, len(rhos)), position  # p's next look
        old = seen.get((position, p))
        if old is None or math.isfinite(look.price) != math.isfinite(old.price):
            continue
        if not math.isfinite(look.price):
            slope = (look.money - old.money) / width
            if slope > 0:
                best = min(best, (run.data.costs[p] - look.money) / slope)
            continue
        if position < len(rhos) and run.rounds[position].project == p:
            continue  # the project bought in that round
        slope = (look.price - old.price) / width / utilities[p]
        if slope < 0 and later > position:  # compared until its next look
            gap = look.price / utilities[p] - max(rhos[position:later])
            best = min(best, max(gap, 0.0) / -slope)
    return best


def _cost(run: _Run) -> int:
    return sum(run.data.costs[r.project] for r in run.rounds)


def _exhaustive(run: _Run) -> bool:
    """pabutools' test: no MES-eligible project left out still fits in the budget."""
    data = run.data
    left = data.instance.budget - _cost(run)
    taken = {r.project for r in run.rounds}
    return all(data.costs[p] > left for p in range(len(data.eligible)) if p not in taken)


def equal_shares_fixed(data: MesData) -> MesRun:
    """MES without completion: each voter gets `B / n`."""
    return with_free(data, run_mes(data, Fraction(data.instance.budget, data.num_voters)))


def equal_shares_add1(data: MesData) -> MesRun:
    """Completion `add1` as equalshares.net and pabulib-checker define it: voters start with
    `floor(B / n)` currency units; the per-voter budget rises one unit at a time while the
    outcome's cost stays within `B`; the last outcome that fits is kept (explained at the
    last level that fits)."""
    origin = whole_units_share(data)
    return with_free(data, _finish(_last_within(data, origin, complete=False), True))


def equal_shares_add1_pabutools(data: MesData) -> MesRun:
    """pabutools' `voter_budget_increment=1`: start at `B / n`, add one currency unit until the
    outcome is exhaustive (keep it) or over budget (keep the previous one, explained at the
    last level within budget)."""
    start = Fraction(data.instance.budget, data.num_voters)
    return with_free(data, _finish(_last_within(data, start, complete=True), True))


def _last_within(data: MesData, start: Fraction, *, complete: bool) -> _Run:
    """The run the add1 completions keep: at the first level where every project is bought
    (`complete`: where the outcome is exhaustive), else at the last level within budget."""
    done: Callable[[_Run], bool] = _exhaustive if complete else _everything
    for step in _climb(data, start):
        if _cost(step.run) > data.instance.budget:
            return step.last()
        if done(step.run):
            return step.run
    raise AssertionError("unreachable: raising the budget eventually buys everything")


def _everything(run: _Run) -> bool:
    return len(run.rounds) == len(run.data.eligible)
