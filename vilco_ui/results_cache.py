"""One cache of a vote's results for every screen that shows them (the results page, the
projector): the announced rule, greedy and Equal Shares run once per database, process, ballot
count, withdrawn projects and day, whichever screen asks first. A new ballot or a withdrawal
changes the key, so the next request recomputes; results are frozen values, shared as they are
(never copied, never mutated)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from vilco_core.results import ProcessResults
from vilco_core.services import ballots
from vilco_core.store import database_url
from vilco_ui import db


@st.cache_resource(show_spinner=False, max_entries=64)
def _results(url: str, process_id: int, version: tuple[int, int], today: dt.date) -> ProcessResults:
    """Recomputed when a ballot arrives, a project is withdrawn, or the day changes."""
    del url, version  # cache keys only: the database, its ballots and withdrawals
    return ballots.compute_results(db.uow(), process_id, today)


def ballot_count(process_id: int) -> tuple[int, int]:
    """How many ballots the process holds now and how many projects were withdrawn: the key
    that invalidates its results."""
    return ballots.results_version(db.uow(), process_id)


def process_results(process_id: int, count: tuple[int, int], today: dt.date) -> ProcessResults:
    """The results of `process_id` at `count` (ballots, withdrawals), from the cache when known."""
    return _results(database_url(), process_id, count, today)


def clear() -> None:
    """Forget every cached result (tests)."""
    _results.clear()
