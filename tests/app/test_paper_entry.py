"""The officer's one-ballot paper entry draws the kind's own widget (the one residents and panel
members use): ticks for an approval ballot, points for a cumulative one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from streamlit.testing.v1 import AppTest

from vilco_core.ballots import BallotRules
from vilco_core.model import Phase, Role, StaffUser
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


def _end_vote_yesterday(url: str) -> str:
    """A fresh card code, then the demo vote's last day moved to yesterday."""
    code = _code_for(url)
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(engine)
        process = processes.get_process(uow, 1)
        today = dt.date.today()
        phases = tuple(
            replace(w, ends_on=today - dt.timedelta(days=1))  # its start is locked (7 days ago)
            if w.phase is Phase.VOTE
            else w
            for w in process.phases
            if w.phase is Phase.VOTE or w.ends_on < today - dt.timedelta(days=10)
        )
        processes.save_process(uow, ADMIN, replace(process, phases=phases))
    finally:
        engine.dispose()
    return code


def test_paper_entry_after_the_vote_asks_a_reason(open_page: OpenPage, demo_db: str) -> None:
    code = _end_vote_yesterday(demo_db)
    at = open_page("pages/tallies.py", user="officer", lang="en")
    assert not at.exception
    assert any("late" in w.value for w in at.warning)
    at.text_input[0].input(code)
    at.checkbox(key="paper-SG-01").check()
    at.button[0].click().run()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert [e.value for e in at.error] == [
        f"The vote ended on {yesterday}: give the reason for this late entry."
    ]
    assert not at.success
    at.text_input[0].input(code)
    at.checkbox(key="paper-SG-01").check()
    at.text_input(key="late-one").input("Box of the Parvis found in the cellar")
    at.button[0].click().run()
    assert not at.error and [s.value for s in at.success] == ["1 paper ballot(s) stored."]
    log = at.dataframe[1].value
    assert "Box of the Parvis found in the cellar" in log.to_csv()
