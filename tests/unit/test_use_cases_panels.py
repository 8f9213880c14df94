"""Panel use cases on the in-memory unit of work: a session, its members' codes, a round whose
last ballot per member counts, and the round's closing into the audit log."""

from __future__ import annotations

import json

import pytest

from tests.unit.fake_world import ADMIN, NOW, SCHAERBEEK, TODAY, seeded_uow
from tests.unit.fakes import FakeUnitOfWork
from vilco_core import audit as chain
from vilco_core.ballots import Ballot
from vilco_core.errors import VilcoError
from vilco_core.services import audit, panel_rounds, panel_sessions


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return seeded_uow()


def _pick(*refs: str) -> Ballot:
    return Ballot(kind="approval", project_ids=refs)


def test_use_cases_panel_round_last_ballot_counts_and_enters_the_log(uow: FakeUnitOfWork) -> None:
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        panel_sessions.create_session(uow, SCHAERBEEK, 1, "Panel", ["P1", "P2"], TODAY)
    issued = panel_sessions.create_session(uow, ADMIN, 1, "Panel", ["P1", "P2", "P3"], TODAY)
    (_, a), (_, b), (_, c) = issued.codes
    assert panel_sessions.join_session(uow, a, NOW).session.id == issued.session_id
    opened = panel_rounds.open_round(uow, ADMIN, issued.session_id, "approval", ["A", "B", "X"],
                               "greedy", NOW)  # fmt: skip
    assert opened.projects == ("A", "B")
    with pytest.raises(VilcoError, match=r"panel\.round_still_open"):
        panel_rounds.open_round(uow, ADMIN, issued.session_id, "approval", ["A"], "greedy", NOW)
    panel_rounds.submit_ballot(uow, a, opened.id, _pick("A"))
    panel_rounds.submit_ballot(uow, a, opened.id, _pick("B"))  # replaces the first
    panel_rounds.submit_ballot(uow, b, opened.id, _pick("A", "B"))
    assert panel_rounds.round_version(uow, opened.id) == (2, 3)
    live = panel_rounds.round_results(uow, opened.id)
    assert {r.project.ref: r.votes for r in live.results.projects} == {"A": 1, "B": 2}
    assert (live.members, live.joined) == (3, 2)
    panel_rounds.close_round(uow, ADMIN, opened.id, NOW)
    with pytest.raises(VilcoError, match=r"panel\.round_closed"):
        panel_rounds.submit_ballot(uow, c, opened.id, _pick("A"))
    entries = uow.audit.entries()
    sealed = [json.loads(e.payload) for e in entries if e.kind == chain.PANEL_BALLOT]
    assert [s["receipt"] for s in sealed] == sorted(s["receipt"] for s in sealed)
    assert len(sealed) == 2 and not any(code in " ".join(e.payload for e in entries)
                                        for code in (a, b, c))  # fmt: skip
    report = audit.verify_audit(uow)
    assert (report.chain_ok, report.tallies_ok, report.problems) == (True, True, ())


def test_use_cases_panel_reissued_code_refuses_the_old_one(uow: FakeUnitOfWork) -> None:
    issued = panel_sessions.create_session(uow, ADMIN, 1, "Panel", ["P1"], TODAY)
    [(_label, old)] = issued.codes
    [member] = panel_sessions.session_members(uow, ADMIN, issued.session_id)
    new = panel_sessions.reissue_code(uow, ADMIN, member.id, NOW)
    with pytest.raises(VilcoError, match=r"panel\.code_replaced"):
        panel_sessions.join_session(uow, old, NOW)
    assert panel_sessions.join_session(uow, new.code, NOW).member_id == member.id
