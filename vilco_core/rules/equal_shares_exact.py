"""Reference exact Method of Equal Shares: the plain `Fraction` path that the tests check the
fast path (`equal_shares`) against. The Method of Equal Shares (Peters & Skowron 2021; Peters,
Pierczyński & Skowron, NeurIPS 2021; equalshares.net), exact, with its completions (Pabulib rules
`equalshares`, `equalshares/add1`).

Each voter gets the same budget `b`; in each round the project whose supporters can pay for it
with the lowest price per unit of utility `rho` is bought, each supporter paying
`min(budget, rho * utility)`; ties go to the smallest tie-breaking rank (pabutools: project id).
Invariant: no voter ever pays more than their budget, so the selected cost never exceeds `n * b`.

Speed without floats deciding anything: voters with the same budget history share a budget
"class", so every round is a small NumPy water-filling over (project x class) counts. Floats only
shortlist; every decision that floats could get wrong (near ties, near affordability) is redone
with `Fraction`s, and prices and budgets are always kept exact. Projects are evaluated lazily
(a project's `rho` only grows during a run, so a stale value is a lower bound), as pabutools does.

The `add1` completions do not add one currency unit at a time (pabutools' way, which does not
finish Budapest 2023 in ten minutes). Along a fixed buying order every voter's remaining budget is
non-decreasing in the starting budget `b`, so every price and `rho` is non-increasing in `b`. Hence
the run at `b0` certifies an interval `[b0, b1]` when a run at `b1` forced to buy in the same
order finds, at every round, every other project either unaffordable or with
`rho(b1) > rho_chosen(b0)` (ties: rank), and nothing affordable after the last purchase: every
budget in between then gives the same outcome. A galloping search finds the last certified level
exactly, in a logarithmic number of runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from vilco_core.rules import mes_io
from vilco_core.rules.instance import Instance, IntArray, Profile
from vilco_core.rules.mes_io import MesIndex, MesRun, total_cost
from vilco_core.rules.outcome import ProjectExplanation

_REL = 1e-9  # float results closer than this (relative) are decided with Fractions


@dataclass(frozen=True, slots=True, kw_only=True)
class MesData(MesIndex):
    """The run-independent part of MES: eligible projects and their supporters (CSR)."""

    voters_of: tuple[IntArray, ...]  # supporters of each compact project


def prepare(
    instance: Instance, profile: Profile, ranks: IntArray, utility: str = "cost"
) -> MesData:
    """`index_supporters`, with the supporters of each project listed."""
    index = mes_io.index_supporters(instance, profile, ranks, utility)
    voters_of = _split_voters(index.entry_project, index.entry_voter)
    return MesData(**mes_io.index_fields(index), voters_of=voters_of)


def _split_voters(entry_project: IntArray, entry_voter: IntArray) -> tuple[IntArray, ...]:
    order = np.argsort(entry_project, kind="stable")
    bounds = np.searchsorted(
        entry_project[order], np.arange(int(entry_project.max(initial=-1)) + 2)
    )
    voters = entry_voter[order]
    return tuple(voters[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1))


class _Classes:
    """Budget classes: the voters in class `k` all hold exactly `value[k]` (class 0: nothing)."""

    def __init__(self, data: MesData, budget: Fraction) -> None:
        self.value = [Fraction(0), budget]
        self.f_value = [0.0, float(budget)]
        self.of_voter = np.ones(data.num_voters, dtype=np.int64)
        self.floats = np.array(self.f_value)

    def add(self, value: Fraction) -> int:
        self.value.append(value)
        self.f_value.append(float(value))
        return len(self.value) - 1

    def refresh(self) -> None:
        """Drop empty classes when they dominate, and rebuild the float view."""
        size = len(self.value)
        live = np.bincount(self.of_voter, minlength=size) > 0
        live[0] = True
        if live.sum() * 2 + 64 <= size:
            new_id = np.cumsum(live) - 1
            self.of_voter = new_id[self.of_voter]
            kept = np.flatnonzero(live).tolist()
            self.value = [self.value[k] for k in kept]
            self.f_value = [self.f_value[k] for k in kept]
        self.floats = np.array(self.f_value)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Look:
    """A float look at one project: supporters per class (sorted by budget), money, price."""

    classes: IntArray
    counts: IntArray
    money: float
    price: float  # per-supporter price q (minor units); inf when unaffordable in floats


def _look(data: MesData, classes: _Classes, p: int) -> _Look:
    counts = np.bincount(classes.of_voter[data.voters_of[p]], minlength=len(classes.value))
    nz = np.flatnonzero(counts)
    v = classes.floats[nz]
    order = np.argsort(v, kind="stable")
    nz, v, c = nz[order], v[order], counts[nz][order]
    cf = c.astype(np.float64)
    money = float(cf @ v)
    cost = float(data.costs[p])
    before_c = np.cumsum(cf) - cf
    before_v = np.cumsum(cf * v) - cf * v
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (cost - before_v) / (float(data.supporters[p]) - before_c)
    fits = q <= v * (1 + 1e-12)
    price = float(q[int(fits.argmax())]) if fits.any() else math.inf
    return _Look(classes=nz, counts=c, money=money, price=price)


def _exact_money(classes: _Classes, look: _Look) -> Fraction:
    return sum(
        (int(c) * classes.value[int(k)] for k, c in zip(look.classes, look.counts, strict=True)),
        start=Fraction(0),
    )


def _is_affordable(data: MesData, classes: _Classes, p: int, look: _Look) -> bool:
    cost = data.costs[p]
    if abs(look.money - cost) > cost * _REL:
        return look.money > cost
    return _exact_money(classes, look) >= cost


def _exact_price(
    data: MesData, classes: _Classes, p: int, look: _Look
) -> tuple[Fraction, list[int]] | None:
    """Exact per-supporter price of affordable project `p` and its poor classes.

    Only classes whose float budget is near or under the float price can be poor; they are
    walked in exact order, the others are certainly rich."""
    limit = look.price * (1 + 1e-9) if math.isfinite(look.price) else math.inf
    cut = int(np.searchsorted(classes.floats[look.classes], limit, side="right"))
    head = sorted(range(cut), key=lambda j: classes.value[int(look.classes[j])])
    paid, left = Fraction(0), int(data.supporters[p])
    for j in [*head, *range(cut, len(look.classes))]:
        k = int(look.classes[j])
        q = (data.costs[p] - paid) / left
        if q <= classes.value[k]:
            return q, [int(look.classes[i]) for i in head[: head.index(j)]] if j in head else [
                int(look.classes[i]) for i in head
            ]
        paid += int(look.counts[j]) * classes.value[k]
        left -= int(look.counts[j])
    return None


def _pay(
    data: MesData, classes: _Classes, p: int, q: Fraction, look: _Look, poor: list[int]
) -> None:
    """Supporters of `p` pay `q` each, or everything they have if poorer (exact)."""
    remap = np.arange(len(classes.value), dtype=np.int64)
    poor_set = set(poor)
    for k in look.classes.tolist():
        remap[k] = 0 if k in poor_set else classes.add(classes.value[k] - q)
    voters = data.voters_of[p]
    classes.of_voter[voters] = remap[classes.of_voter[voters]]
    classes.refresh()


@dataclass(slots=True, kw_only=True)
class _State:
    """One run in progress: classes, projects still in play and their stale `rho` bounds."""

    classes: _Classes
    alive: set[int]
    stale: dict[int, float]
    records: dict[int, ProjectExplanation]
    explain: bool
    position: int = 1


def _start(data: MesData, budget: Fraction, explain: bool) -> _State:
    stale = {
        p: data.costs[p] / (int(data.supporters[p]) * data.utilities[p])
        for p in range(len(data.eligible))
    }
    return _State(
        classes=_Classes(data, budget),
        alive=set(stale),
        stale=stale,
        records={},
        explain=explain,
    )


def _scan(data: MesData, st: _State, limit: float | None) -> list[tuple[float, int, _Look]]:
    """Evaluate projects in order of stale `rho` until the stale bound exceeds the best found
    (or `limit`); drop the unaffordable. Returns the evaluated affordable projects."""
    found: list[tuple[float, int, _Look]] = []
    best = math.inf
    for p in sorted(st.alive, key=lambda i: (st.stale[i], data.ranks[i])):
        bound = limit if limit is not None else best
        if st.stale[p] > bound * (1 + 4 * _REL):
            break
        look = _look(data, st.classes, p)
        if not _is_affordable(data, st.classes, p, look):
            st.alive.discard(p)
            if st.explain:
                money = _exact_money(st.classes, look)
                st.records[p] = mes_io.record(data, p, "unaffordable", None, money, st.position)
            continue
        rho = look.price / data.utilities[p]
        st.stale[p] = rho
        best = min(best, rho)
        found.append((rho, p, look))
    return found


def _exact_rho(data: MesData, classes: _Classes, p: int, look: _Look) -> Fraction:
    found = _exact_price(data, classes, p, look)
    return Fraction(10**30) if found is None else found[0] / data.utilities[p]


def _choose(data: MesData, st: _State, found: list[tuple[float, int, _Look]]) -> int:
    """The project bought this round: lowest exact `rho`, ties by rank."""
    best = min(rho for rho, _, _ in found)
    shortlist = [(p, look) for rho, p, look in found if rho <= best * (1 + 4 * _REL)]
    if len(shortlist) == 1:
        return shortlist[0][0]
    exact = [(_exact_rho(data, st.classes, p, look), data.ranks[p], p) for p, look in shortlist]
    return min(exact)[2]


def _buy(data: MesData, st: _State, p: int, look: _Look) -> Fraction:
    """Charge the supporters of `p`; returns its exact `rho`."""
    found = _exact_price(data, st.classes, p, look)
    if found is None:  # cannot happen: affordability was decided exactly
        raise ArithmeticError("MES bought an unaffordable project")
    q, poor = found
    if st.explain:
        money = _exact_money(st.classes, look)
        st.records[p] = mes_io.record(data, p, "selected", q, money, st.position)
    _pay(data, st.classes, p, q, look, poor)
    st.alive.discard(p)
    st.position += 1
    return q / data.utilities[p]


def run_mes(data: MesData, voter_budget: Fraction, *, explain: bool = True) -> MesRun:
    """MES at a fixed per-voter budget (minor units). Returns the winners in buying order."""
    st = _start(data, voter_budget, explain)
    trace: list[tuple[int, Fraction]] = []
    while st.alive:
        found = _scan(data, st, None)
        if not found:
            break
        p = _choose(data, st, found)
        look = next(look for _, q, look in found if q == p)
        trace.append((p, _buy(data, st, p, look)))
    return _finish(data, st, trace, voter_budget)


def same_outcome_at(data: MesData, run: MesRun, level: Fraction) -> bool:
    """True when every budget in `[run.voter_budget, level]` certainly gives `run`'s outcome
    (the monotonicity certificate described in the module docstring)."""
    st = _start(data, level, explain=False)
    for chosen, rho in run.trace:
        for value, p, look in _scan(data, st, float(rho)):
            if p != chosen and value <= float(rho) * (1 + 4 * _REL):
                exact = _exact_rho(data, st.classes, p, look)
                if exact < rho or (exact == rho and data.ranks[p] < data.ranks[chosen]):
                    return False
        if chosen not in st.alive:
            return False
        _buy(data, st, chosen, _look(data, st.classes, chosen))
    return not _scan(data, st, None)


def _finish(
    data: MesData, st: _State, trace: list[tuple[int, Fraction]], voter_budget: Fraction
) -> MesRun:
    classes = st.classes
    counts = np.bincount(classes.of_voter, minlength=len(classes.value))
    live = np.flatnonzero(counts).tolist()
    return MesRun(
        selected=tuple(data.eligible[p] for p, _ in trace),
        records={data.eligible[p]: r for p, r in st.records.items()},
        voter_budget=voter_budget,
        trace=tuple(trace),
        min_remaining=min((classes.value[k] for k in live), default=Fraction(0)),
        total_remaining=sum((int(counts[k]) * classes.value[k] for k in live), Fraction(0)),
    )


def last_same_level(data: MesData, run: MesRun, step: int) -> Fraction:
    """The highest budget `run.voter_budget + k * step` (k >= 0) up to which the outcome
    certainly stays `run`'s: exponential then binary search on certified levels."""
    cap = run.voter_budget + sum(data.costs)
    low, jump, growing = run.voter_budget, 1, True
    while jump >= 1:
        level = low + jump * step
        if level <= cap and same_outcome_at(data, run, level):
            low = level
            jump = jump * 2 if growing else jump // 2
        else:
            growing, jump = False, jump // 2
    return low


def _exhaustive(data: MesData, selected: Sequence[int]) -> bool:
    """pabutools' test: no MES-eligible project left out still fits in the budget."""
    instance = data.instance
    left = instance.budget - total_cost(instance, selected)
    taken = set(selected)
    return all(instance.projects[i].cost > left for i in data.eligible if i not in taken)


def equal_shares_fixed(data: MesData) -> MesRun:
    """Reference for `equal_shares.equal_shares_fixed`."""
    return mes_io.with_free(data, run_mes(data, Fraction(data.instance.budget, data.num_voters)))


def equal_shares_add1(data: MesData) -> MesRun:
    """Reference for `equal_shares.equal_shares_add1`, one certified level at a time."""
    unit, budget = data.instance.unit, data.instance.budget
    current = run_mes(data, mes_io.whole_units_share(data))
    while len(current.selected) < len(data.eligible):
        last = last_same_level(data, current, unit)
        candidate = run_mes(data, last + unit)
        if total_cost(data.instance, candidate.selected) > budget:
            return mes_io.with_free(data, run_mes(data, last))
        current = candidate
    return mes_io.with_free(data, current)


def equal_shares_add1_pabutools(data: MesData) -> MesRun:
    """Reference for `equal_shares.equal_shares_add1_pabutools`, one certified level at a time."""
    unit, budget = data.instance.unit, data.instance.budget
    level = Fraction(budget, data.num_voters)
    while True:
        current = run_mes(data, level)
        if total_cost(data.instance, current.selected) > budget:
            break
        if _exhaustive(data, current.selected):
            return mes_io.with_free(data, current)
        level = last_same_level(data, current, unit) + unit
    if level == Fraction(budget, data.num_voters):  # cannot happen: B / n never overspends
        raise ArithmeticError("MES overspent at B / n")
    return mes_io.with_free(data, run_mes(data, level - unit))
