"""One results cache for the results page and the projector: for the same ballots Equal Shares
runs once, whichever screen asks first; a new ballot makes the next screen recompute."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_link
from vilco_core.ballots import make_ballot
from vilco_core.model import Role, StaffUser
from vilco_core.rules import RULES, RuleInput, RuleRun
from vilco_core.services import ballots, voting
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_ui import results_cache

OpenPage = Callable[..., AppTest]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


def _cast_one(url: str) -> None:
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(engine)
        today = dt.date.today()
        [code] = voting.issue_codes(uow, ADMIN, 1, 1, today).codes
        voting.cast_ballot(uow, code, make_ballot("approval", ["SG-01"]), "phone", None, today)
    finally:
        engine.dispose()


def test_results_cache_page_then_projector_run_equal_shares_once(
    open_page: OpenPage, demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    mes = RULES["mes"]
    runs: list[int] = []

    def counted(given: RuleInput) -> RuleRun:
        runs.append(given.profile.num_voters)
        return mes.function(given)

    monkeypatch.setitem(RULES, "mes", replace(mes, function=counted))
    page = open_page("pages/results.py")
    assert not page.exception and page.metric[0].value == "800"
    assert runs == [800]
    board = open_link("pages/projector.py", process="1")
    assert not board.exception and not board.error
    assert runs == [800]  # the projector found the page's results
    _cast_one(demo_db)
    board.run()
    assert runs == [800, 801]  # a new ballot: computed again, once
    again = open_page("pages/results.py")
    assert not again.exception and again.metric[0].value == "801"
    assert runs == [800, 801]


def test_results_cache_above_the_cap_a_worker_tallies(
    open_page: OpenPage, demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process above the cap is tallied in a worker process: the page answers at once with
    "being computed" (Equal Shares never runs in the server process), then shows the same
    results as an in-process tally; a new ballot recomputes in the background while the page
    shows the previous results."""
    monkeypatch.setattr(ballots, "HEAVY_TALLY_PROJECTS", 10)  # the demo's 25 are "many"
    mes = RULES["mes"]
    runs: list[int] = []

    def counted(given: RuleInput) -> RuleRun:
        runs.append(given.profile.num_voters)
        return mes.function(given)

    monkeypatch.setitem(RULES, "mes", replace(mes, function=counted))
    page = open_page("pages/results.py", lang="en")
    assert not page.exception
    assert [i.value for i in page.info] == [
        "The results of this large vote are being computed; this page shows them as soon as "
        "they are ready."
    ]
    assert not page.metric
    _wait_for_worker()
    page.run()
    assert not page.exception and not page.info and page.metric[0].value == "800"
    assert runs == []  # tallied in the worker, never here
    engine = make_engine(demo_db)
    try:
        here = ballots.compute_results(SqlUnitOfWork(engine), 1, dt.date.today())
    finally:
        engine.dispose()
    assert runs == [800]
    winners = [m.value for m in page.markdown if "SG-" in m.value or "SC-" in m.value]
    assert winners and all(any(w.project.ref in text for text in winners) for w in here.winners)
    _cast_one(demo_db)
    page.run()  # 801 ballots: a new job; the page keeps showing the 800 meanwhile
    assert not page.exception and page.metric[0].value in {"800", "801"}
    _wait_for_worker()
    page.run()
    assert page.metric[0].value == "801" and runs == [800]


def _wait_for_worker() -> None:
    for _ in range(600):
        if not results_cache.pending(1):
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not finish")
