"""Real Streamlit sessions over the websocket protocol (`benchmarks/stclient.py`, what the
load and live benchmarks use): a double tap on "Confirm" stores one ballot, a member's double
tap on "Send" too, and twenty voters confirming at the same instant each get a receipt that is
stored exactly once, with exactly their codes spent."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from benchmarks.stclient import Session
from tests.e2e.conftest import Server
from vilco_core.model import Role, StaffUser
from vilco_core.services import audit, panel_rounds, panel_sessions, voting
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_core.store.tables_ballots import BallotRow, PendingBallotRow
from vilco_core.store.tables_onsite import VoteCodeRow
from vilco_core.store.tables_panels import PanelBallotRow

pytestmark = pytest.mark.e2e
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
T = TypeVar("T")
RECEIPT = re.compile(r"Votre reçu : ([0-9A-Z]{10})")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event loop running
    in the main thread once a browser test has run in this process."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _codes(url: str, count: int) -> list[str]:
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(engine)
        return list(voting.issue_codes(uow, ADMIN, 1, count, dt.date.today()).codes)
    finally:
        engine.dispose()


def _counts(url: str) -> tuple[list[str], int, bool]:
    """Stored receipts, spent codes, and whether the audit chain and tallies hold."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            receipts = [r for (r,) in connection.execute(select(BallotRow.receipt))]
            receipts += [r for (r,) in connection.execute(select(PendingBallotRow.receipt))]
            spent = connection.scalar(
                select(func.count()).select_from(VoteCodeRow).where(VoteCodeRow.state == "spent")
            )
        report = audit.verify_audit(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    return receipts, int(spent or 0), report.chain_ok and report.tallies_ok


async def _ready_to_confirm(server: Server, code: str) -> Session:
    session = Session(server.url, "vote", f"c={code}")
    await session.open()
    await session.check(session.shown("checkbox")[0].label)
    await session.click("Voter")
    session.find("button", "Confirmer")
    return session


def test_protocol_double_tap_on_confirm_stores_one_ballot(server: Server) -> None:
    (code,) = _codes(server.database_url, 1)
    before, spent_before, _ok = _counts(server.database_url)

    async def run() -> str | None:
        async with await _ready_to_confirm(server, code) as session:
            await session.tap("Confirmer", times=2)
            # the second tap's run may start late on a loaded machine: wait for it to end
            return await session.wait_for_text("Votre reçu :", timeout=30)

    shown = _run(run())
    assert shown is not None and (found := RECEIPT.search(shown))
    receipts, spent, ok = _counts(server.database_url)
    assert len(receipts) == len(before) + 1 and found.group(1) in receipts
    assert spent == spent_before + 1 and ok


def test_protocol_member_double_tap_on_send_stores_one_ballot(server: Server) -> None:
    engine = make_engine(server.database_url)
    try:
        uow = SqlUnitOfWork(engine)
        issued = panel_sessions.create_session(uow, ADMIN, 1, "Soirée", ["A", "B"], dt.date.today())
        rnd = panel_rounds.open_round(uow, ADMIN, issued.session_id, "approval",
                                ("SG-01", "SG-02"), "mes", dt.datetime.now(dt.UTC))  # fmt: skip
    finally:
        engine.dispose()

    async def run() -> str | None:
        async with Session(server.url, "panel", f"c={issued.codes[0][1]}") as member:
            await member.open()
            await member.check(member.shown("checkbox")[1].label)
            await member.tap("Envoyer mon vote", times=2)
            return await member.wait_for_text("est enregistré", timeout=30)

    assert _run(run()) == "Votre vote du tour 1 est enregistré."
    engine = make_engine(server.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(PanelBallotRow).where(PanelBallotRow.round_id == rnd.id)
            ).all()
    finally:
        engine.dispose()
    assert len(rows) == 1


def test_protocol_twenty_simultaneous_confirms_each_stored_once(server: Server) -> None:
    codes = _codes(server.database_url, 20)
    before, spent_before, _ok = _counts(server.database_url)

    async def run() -> list[str]:
        sessions = []
        for i in range(0, len(codes), 5):
            sessions += await asyncio.gather(
                *(_ready_to_confirm(server, c) for c in codes[i : i + 5])
            )
        await asyncio.gather(*(s.click("Confirmer") for s in sessions))  # all at once
        shown = [s.text_containing("Votre reçu :") or "" for s in sessions]
        await asyncio.gather(*(s.close() for s in sessions))
        return [m.group(1) for m in map(RECEIPT.search, shown) if m]

    acknowledged = _run(run())
    receipts, spent, ok = _counts(server.database_url)
    assert len(acknowledged) == 20 and len(set(acknowledged)) == 20
    assert len(receipts) == len(before) + 20 and len(set(receipts)) == len(receipts)
    assert set(acknowledged) <= set(receipts)
    assert spent == spent_before + 20 and ok
