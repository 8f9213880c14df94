"""The login lockout under parallel attempts, on a SQLite file and on PostgreSQL: 29 wrong
passwords and the right one at once, each from its own unit of work (issue 13, §2)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from vilco_core.model import Role, StaffUser
from vilco_core.services import staff
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

PASS_PHRASE = "the-right-password"
ATTEMPTS = 30


def test_login_race_checks_at_most_the_limit_and_locks(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    admin = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
    staff.add_staff_user(SqlUnitOfWork(engine), admin, PASS_PHRASE)
    checked: list[str] = []
    guard = threading.Lock()
    check = staff._password_matches

    def counting(password: str, password_hash: str) -> bool:
        with guard:
            checked.append(password)
        return check(password, password_hash)

    monkeypatch.setattr(staff, "_password_matches", counting)
    now = dt.datetime.now(dt.UTC)
    passwords = [f"wrong-{n}" for n in range(ATTEMPTS - 1)] + [PASS_PHRASE]
    start = threading.Barrier(ATTEMPTS)

    def attempt(password: str) -> staff.LoginOutcome:
        start.wait()
        return staff.log_in(SqlUnitOfWork(engine), "admin", password, now, demo=False)

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        outcomes = dict(zip(passwords, pool.map(attempt, passwords), strict=True))
    if outcomes[PASS_PHRASE] is staff.LoginOutcome.ACCEPTED:
        # Counted among the first attempts, before any lock. A success forgives the failures
        # counted before it (as one after four typos does), so once more the limit may follow.
        assert PASS_PHRASE in checked and len(checked) <= 2 * staff.MAX_FAILED_LOGINS
    else:
        assert len(checked) <= staff.MAX_FAILED_LOGINS
    assert sum(o is staff.LoginOutcome.ACCEPTED for o in outcomes.values()) <= 1
    # The burst locked the account: the right password is refused until the lock ends.
    assert staff.log_in(SqlUnitOfWork(engine), "admin", PASS_PHRASE, now, demo=False) is (
        staff.LoginOutcome.LOCKED
    )
    assert not staff.session_allowed(SqlUnitOfWork(engine), "admin", now, demo=False)
    later = now + staff.LOCKOUT + dt.timedelta(seconds=1)
    assert staff.log_in(SqlUnitOfWork(engine), "admin", PASS_PHRASE, later, demo=False) is (
        staff.LoginOutcome.ACCEPTED
    )
    with SqlUnitOfWork(engine) as uow:
        locks = [e for e in uow.audit.entries() if e.kind == "staff.account_locked"]
    assert len(locks) == 1
    engine.dispose()
