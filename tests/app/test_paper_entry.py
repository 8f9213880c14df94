"""The officer's one-ballot paper entry draws the kind's own widget (the one residents and panel
members use): ticks for an approval ballot, points for a cumulative one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from streamlit.testing.v1 import AppTest

from vilco_core.ballots import BallotRules
from vilco_core.model import Role, StaffUser
from vilco_core.services import processes, voting
from vilco_core.store import SqlUnitOfWork, make_engine

OpenPage = Callable[..., AppTest]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


def _code_for(url: str, ballot: BallotRules | None = None) -> str:
    """A fresh card code of the demo vote (whose ballot becomes `ballot` when given: written
    straight into the store, as the demo's vote is open and its ballot locked for the services)."""
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(engine)
        if ballot is not None:
            process = processes.get_process(uow, 1)
            with uow:
                uow.processes.update(replace(process, ballot=ballot))
                uow.commit()
        return voting.issue_codes(uow, ADMIN, 1, 1, dt.date.today()).codes[0]
    finally:
        engine.dispose()


def test_paper_entry_one_approval_ballot(open_page: OpenPage, demo_db: str) -> None:
    code = _code_for(demo_db)
    at = open_page("pages/tallies.py", user="officer")
    assert not at.exception
    at.text_input[0].input(code)
    at.checkbox(key="paper-SG-01").check()
    at.checkbox(key="paper-SG-04").check()
    at.button[0].click().run()
    assert not at.error and [s.value for s in at.success] == ["1 bulletin(s) papier enregistré(s)."]


def test_paper_entry_one_cumulative_ballot(open_page: OpenPage, demo_db: str) -> None:
    code = _code_for(demo_db, BallotRules(kind="cumulative", total_points=10))
    at = open_page("pages/tallies.py", user="officer")
    at.text_input[0].input(code)
    at.number_input(key="paper-SG-01").set_value(7)
    at.number_input(key="paper-SG-04").set_value(3)
    at.button[0].click().run()
    assert not at.error and [s.value for s in at.success] == ["1 bulletin(s) papier enregistré(s)."]
