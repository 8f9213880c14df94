"""One cache of a vote's results for every screen that shows them (the results page, the
projector): the announced rule, greedy and Equal Shares run once per database, process, ballot
count and day, whichever screen asks first. A new ballot changes the count, so the next request
recomputes; results are frozen values, shared as they are (never copied, never mutated)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from vilco_core.results import ProcessResults
from vilco_core.services import ballots
from vilco_core.store import database_url
from vilco_ui import db


@st.cache_resource(show_spinner=False, max_entries=64)
def _results(url: str, process_id: int, ballot_count: int, today: dt.date) -> ProcessResults:
    """Recomputed when a ballot arrives (the count changes) or the day changes."""
    del url, ballot_count  # cache keys only: the database and how many ballots it holds
    return ballots.compute_results(db.reading(), process_id, today)


def ballot_count(process_id: int) -> int:
    """How many ballots the process holds now: the key that invalidates its results."""
    return ballots.count_ballots(db.reading(), process_id)


def process_results(process_id: int, count: int, today: dt.date) -> ProcessResults:
    """The results of `process_id` holding `count` ballots, from the cache when known."""
    return _results(database_url(), process_id, count, today)


def clear() -> None:
    """Forget every cached result (tests)."""
    _results.clear()
