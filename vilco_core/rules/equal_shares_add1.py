"""The `add1` completions of the Method of Equal Shares (`equal_shares`): raise the per-voter
budget one currency unit at a time, keep the last outcome that fits.

They keep the definition and only skip work that is certified. Along a fixed buying order every
voter's remaining budget is non-decreasing in the starting budget `b`, so every price and `rho`
is non-increasing in `b`. Hence the run at `b0` certifies an interval `[b0, b1]` when a run at
`b1` forced to buy in the same order finds, at every round, every other project either
unaffordable or with `rho(b1) > rho_chosen(b0)` (ties: rank), and nothing affordable after the
last purchase: every budget in between then gives the same outcome.

Skipping levels: two runs with the same buying order give each price a slope, and
extrapolating them gives the level where a passed-over project would catch up with a purchase
(or an unaffordable one become affordable); the certificate is tried a little below it (halving
the distance until it holds). So the number of runs follows how often the outcome changes, not
the size of the money unit (Budapest 2023: 918 voters climbing ~100,000 forints). Sharing work:
on city votes near ties swap every few units, so every level needs its own run; the levels are
then computed by blocks from the top down, each run guided by the run one unit above it: while
it buys what that run bought, that run's lower bounds on every `rho` at the same round hold (a
`rho` is non-increasing in `b`), so each round evaluates little more than the project it buys.
The kept outcome is explained by a plain run at the level reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from vilco_core.rules.equal_shares import (
    _TOL,
    MesData,
    _buy,
    _exact_rho,
    _finish,
    _look,
    _replay,
    _rounds,
    _Run,
    _run_float,
    _scan,
    _start,
)
from vilco_core.rules.mes_io import MesRun, whole_units_share, with_free

_SAFETY = 0.8  # share of the estimated reach a certificate first tries
_BLOCK = 16  # most levels computed in one block
_QUIET = 4  # levels climbed one by one before they are computed by blocks


def _certified(run: _Run, other: _Run) -> bool:
    """Play `run`'s buying order in `other` (a fresh run at a higher level): True when the
    certificate holds at every round."""
    data = run.data
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
    return True


def _same_outcome_at(run: _Run, level: Fraction) -> bool:
    """True when every budget in `[run.level, level]` certainly gives `run`'s outcome
    (the monotonicity certificate described in the module docstring)."""
    other = _start(run.data, level)
    return _certified(run, other) and not _scan(other, None)


@dataclass(slots=True, kw_only=True)
class _Levels:
    """Runs one unit apart, computed by blocks from the top down, each guided by the run one
    unit above it (`_rounds`); the block grows while the climb goes unit by unit."""

    data: MesData
    runs: dict[Fraction, _Run] = field(default_factory=dict)
    size: int = 2

    def run(self, level: Fraction) -> _Run:
        """The run at `level` (one unit above the previous one)."""
        if level not in self.runs:
            unit = self.data.instance.unit
            guide = _run_float(self.data, level + (self.size - 1) * unit)
            self.runs = {guide.level: guide}
            for k in range(self.size - 2, -1, -1):
                guide = _rounds(_start(self.data, level + k * unit), guide)
                self.runs[guide.level] = guide
            self.size = min(2 * self.size, _BLOCK)
        return self.runs.pop(level)

    def jumped(self) -> None:
        """The climb skipped levels: start again with small blocks."""
        self.runs.clear()
        self.size = 2


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
    few units, the reach is under a unit and every level is one run: after `_QUIET` such levels
    they are computed by blocks (`_Levels`), and a jump is tried again when two plain runs (the
    tops of blocks: guided runs evaluate too few projects to extrapolate from) agree."""
    unit = data.instance.unit
    below, base = None, _run_float(data, start)  # `below`: the last plain run under `base`
    yield _Step(run=base)
    cap = start + sum(data.costs)
    levels, quiet = _Levels(data=data), 0  # quiet: levels climbed one unit at a time
    while True:
        jump = 0
        if below is not None and not base.guided and below.selected == base.selected:
            steps = min(_reach(below, base), float(cap - base.level)) / unit
            jump = int(steps * _SAFETY) if math.isfinite(steps) else 0
        while jump > 0 and not _same_outcome_at(base, base.level + jump * unit):
            jump //= 2
        low = base.level + jump * unit
        quiet = quiet + 1 if jump == 0 else 0
        if quiet > _QUIET:
            run = levels.run(low + unit)
        else:
            levels.jumped()
            run = _run_float(data, low + unit)
        if run.selected != base.selected:
            yield _Step(run=run, previous=base, below=low)
        below = base if not base.guided else below
        base = run


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


def equal_shares_add1(data: MesData) -> MesRun:
    """Completion `add1` as equalshares.net and pabulib-checker define it: voters start with
    `floor(B / n)` currency units; the per-voter budget rises one unit at a time while the
    outcome's cost stays within `B`; the last outcome that fits is kept (explained at the
    last level that fits)."""
    origin = whole_units_share(data)
    return with_free(data, _explained(_last_within(data, origin, complete=False)))


def equal_shares_add1_pabutools(data: MesData) -> MesRun:
    """pabutools' `voter_budget_increment=1`: start at `B / n`, add one currency unit until the
    outcome is exhaustive (keep it) or over budget (keep the previous one, explained at the
    last level within budget)."""
    start = Fraction(data.instance.budget, data.num_voters)
    return with_free(data, _explained(_last_within(data, start, complete=True)))


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


def _explained(run: _Run) -> MesRun:
    """The exact, explained result at `run`'s level, from a plain run (a shared-prefix run skips
    the comparisons that explain when a project was found unaffordable)."""
    return _finish(_run_float(run.data, run.level), True)
