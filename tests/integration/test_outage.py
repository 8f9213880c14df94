"""The database dropping out mid-vote (PostgreSQL: the server ends our connection after the code's
spend, just before the pending ballot is written, as a restart would): the voter gets the
translated "try again", nothing is half-written (code unused, no ballot, audit whole), and the
retry stores the ballot once. An unreachable server gives the same refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, text

from vilco_core.ballots import Ballot
from vilco_core.demo import load_demo
from vilco_core.errors import VilcoError
from vilco_core.i18n import translate
from vilco_core.model import Role, StaffUser
from vilco_core.services import audit, ballots, processes, voting
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

TODAY = dt.date.today()
ADMIN = StaffUser(username="admin", name="A", role=Role.ADMIN)
BALLOT = Ballot(kind="approval", project_ids=("SG-01",))


@pytest.mark.postgres
def test_outage_connection_killed_mid_vote_then_retry_stores_once(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    upgrade_database(engine)
    uow = SqlUnitOfWork(engine)
    load_demo(uow, TODAY)
    [code] = voting.issue_codes(uow, ADMIN, 1, 1, TODAY).codes
    killer = make_engine(postgres_url)
    armed = {"on": True}

    def kill_before_audit(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if armed["on"] and statement.startswith("INSERT INTO pending_ballots"):
            armed["on"] = False
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with killer.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    event.listen(engine, "before_cursor_execute", kill_before_audit)
    before = ballots.count_ballots(uow, 1)
    with pytest.raises(VilcoError) as error:
        voting.cast_ballot(uow, code, BALLOT, "phone", None, TODAY)
    assert error.value.code == "errors.database_unavailable" and not armed["on"]
    assert "try again" in translate(error.value.code, "en")
    assert ballots.count_ballots(uow, 1) == before  # the pool reconnects (pre-ping)
    assert voting.open_vote(uow, code, None, TODAY).process.id == 1  # code still unused
    receipt = voting.cast_ballot(uow, code, BALLOT, "phone", None, TODAY)
    assert ballots.count_ballots(uow, 1) == before + 1
    assert audit.check_receipt(uow, receipt).counted
    report = audit.verify_audit(uow)
    assert report.chain_ok and report.tallies_ok
    with pytest.raises(VilcoError) as again:
        voting.cast_ballot(uow, code, BALLOT, "phone", None, TODAY)
    assert again.value.code == "vote.code_spent"
    killer.dispose()
    engine.dispose()


def test_outage_unreachable_server_is_a_translated_refusal() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(VilcoError) as error:
        processes.list_processes(SqlUnitOfWork(engine))
    assert error.value.code == "errors.database_unavailable"
    engine.dispose()
