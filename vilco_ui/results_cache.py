"""One cache of a vote's results for every screen that shows them (the results page, the
projector): the announced rule, greedy and Equal Shares run on every envelope of a process
(its sub-budgets and city-wide part, `vilco_core.envelopes`) once per database, process, ballot
count, withdrawn projects and day, whichever screen asks first. Ballots are only ever added
and a withdrawal is final, so (count, withdrawals) is the results' version: a new ballot or a
withdrawal changes it and the next request recomputes; an anonymous visitor
never triggers a recompute when nothing changed. Results are frozen values, shared as they are
(never copied, never mutated).

The cap: a process with more than `ballots.HEAVY_TALLY_PROJECTS` (1,000) projects on its ballot
is tallied in a worker process (`vilco_core.worker`), one job per process at a time.
`process_results` then answers at once: the newest results computed so far (possibly for fewer
ballots: `pending` says a newer count is on its way), or None while the first are computed; the
screens say "being computed" and look again, never waiting on the tally themselves.

Several replicas: every cache here is keyed on the version read from the database on each run
(one count query and the project list), never on something only this process knows, so a
ballot cast through another replica changes the key at this replica's next run (the projector
ticks every second). The worker jobs are per replica: two replicas may tally the same large
process once each, never wrongly.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import streamlit as st

from vilco_core import worker
from vilco_core.envelopes import EnvelopeResults
from vilco_core.errors import VilcoError
from vilco_core.services import ballots
from vilco_core.store import database_url
from vilco_core.tally import Tally
from vilco_ui import db

Envelopes = tuple[EnvelopeResults, ...]  # one outcome per envelope (`vilco_core.envelopes`)
Version = tuple[int, int]  # ballots, withdrawn projects
Key = tuple[str, int, Version, dt.date]  # database, process, version, day


@st.cache_resource(show_spinner=False, max_entries=64)
def _results(url: str, process_id: int, version: Version, today: dt.date) -> Envelopes:
    """Recomputed when a ballot arrives, a project is withdrawn, or the day changes."""
    del url, version  # cache keys only: the database, its ballots and withdrawals
    return ballots.compute_envelopes(db.reading(), process_id, today)


@st.cache_resource(show_spinner=False, max_entries=64)
def _live(url: str, process_id: int, version: Version) -> Tally:
    """The live counts (the projector's figures per site and channel), once per version."""
    del url, version  # cache keys
    return ballots.live_tally(db.reading(), process_id)


@st.cache_resource(show_spinner=False, max_entries=256)
def _heavy(url: str, process_id: int, version: Version, today: dt.date) -> bool:
    """Whether this tally goes to a worker (the project count, read once per ballot count)."""
    del url, version
    listed = ballots.list_ballot_projects(db.reading(), process_id)
    return len(listed) > ballots.HEAVY_TALLY_PROJECTS


@dataclass
class _Background:
    """The worker jobs and their newest outcome, per (database, process)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    running: dict[tuple[str, int], tuple[Key, worker.Job | None]] = field(default_factory=dict)
    newest: dict[tuple[str, int], tuple[Key, Envelopes | VilcoError]] = field(default_factory=dict)

    def collect(self, process: tuple[str, int]) -> None:
        """Take in the outcome of the process's job if it has finished (under the lock)."""
        found = self.running.get(process)
        if found is None or found[1] is None or not found[1].done():
            return  # no job, or one still starting (None: its inputs are loading) or running
        key, job = self.running.pop(process)
        assert job is not None
        try:
            outcome: Envelopes | VilcoError = job.result()
        except VilcoError as error:
            outcome = error
        finally:
            job.stop()
        self.newest[process] = (key, outcome)


@st.cache_resource(show_spinner=False)
def _background() -> _Background:
    return _Background()


def _in_background(key: Key) -> Envelopes | None:
    url, process_id, _count, today = key
    board, process = _background(), (url, process_id)
    with board.lock:
        board.collect(process)
        newest = board.newest.get(process)
        starting = process not in board.running and (newest is None or newest[0] != key)
        if starting:  # claimed under the lock: one job per process at a time
            board.running[process] = (key, None)
    if starting:
        try:
            inputs = ballots.tally_inputs(db.reading(), process_id, today)
            job = worker.start(ballots.envelopes_of, inputs)
        except BaseException:
            with board.lock:
                board.running.pop(process, None)
            raise
        with board.lock:
            board.running[process] = (key, job)
    if newest is None:
        return None
    if isinstance(newest[1], VilcoError):
        raise newest[1]
    return newest[1]


def ballot_count(process_id: int) -> Version:
    """How many ballots the process holds now and how many projects were withdrawn: the key
    that invalidates its results."""
    return ballots.results_version(db.reading(), process_id)


def process_results(process_id: int, count: Version, today: dt.date) -> Envelopes | None:
    """The results of `process_id` at `count` (ballots, withdrawals), from the cache when
    known. For a process above the cap: the newest results a worker has computed, None before
    the first."""
    url = database_url()
    if not _heavy(url, process_id, count, today):
        return _results(url, process_id, count, today)
    return _in_background((url, process_id, count, today))


def live_tally(process_id: int, count: Version) -> Tally:
    """The live counts of `process_id` at `count`: recounted only when a ballot arrived
    (through any replica: `count` is read from the database on every run)."""
    return _live(database_url(), process_id, count)


def pending(process_id: int) -> bool:
    """Whether a worker is computing newer results of this process right now."""
    board, process = _background(), (database_url(), process_id)
    with board.lock:
        board.collect(process)
        return process in board.running


def clear() -> None:
    """Forget every cached result (tests)."""
    _results.clear()
    _live.clear()
    _heavy.clear()
    board = _background()
    with board.lock:
        jobs = [job for _key, job in board.running.values() if job is not None]
        board.running.clear()
        board.newest.clear()
    for job in jobs:
        job.stop()
