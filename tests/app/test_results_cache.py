"""One results cache for the results page and the projector: for the same ballots Equal Shares
runs once, whichever screen asks first; a new ballot makes the next screen recompute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_link
from vilco_core.ballots import make_ballot
from vilco_core.model import Role, StaffUser
from vilco_core.rules import RULES, RuleInput, RuleRun
from vilco_core.services import voting
from vilco_core.store import SqlUnitOfWork, make_engine

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
