"""Logging in on the in-memory unit of work: the attempt is counted before the password is
checked, a lock refuses even the right password, cookies of locked or demo accounts are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.fake_world import ADMIN, NOW
from tests.unit.fakes import FakeUnitOfWork
from vilco_core.services import staff

PASS_PHRASE = "long-enough-1"
Outcome = staff.LoginOutcome


@pytest.fixture
def fake() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    staff.add_staff_user(uow, ADMIN, PASS_PHRASE)
    return uow


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords that reached bcrypt."""
    seen: list[str] = []
    check = staff._password_matches

    def counting(password: str, password_hash: str) -> bool:
        seen.append(password)
        return check(password, password_hash)

    monkeypatch.setattr(staff, "_password_matches", counting)
    return seen


def _failures(fake: FakeUnitOfWork) -> int:
    return fake.staff.credentials()[0][2]


def test_login_right_password_after_four_failures_clears_them(fake: FakeUnitOfWork) -> None:
    assert [staff.log_in(fake, "admin", "wrong", NOW, demo=False) for _ in range(4)] == [
        Outcome.FAILED
    ] * 4
    assert staff.log_in(fake, "admin", PASS_PHRASE, NOW, demo=False) is Outcome.ACCEPTED
    assert _failures(fake) == 0


def test_login_locked_account_refuses_the_right_password_until_the_lock_ends(
    fake: FakeUnitOfWork, checked: list[str]
) -> None:
    for _ in range(staff.MAX_FAILED_LOGINS):
        staff.log_in(fake, "admin", "wrong", NOW, demo=False)
    checked.clear()
    assert staff.log_in(fake, "admin", PASS_PHRASE, NOW, demo=False) is Outcome.LOCKED
    assert checked == []  # refused without a bcrypt check
    later = NOW + staff.LOCKOUT + dt.timedelta(seconds=1)
    assert staff.log_in(fake, "admin", PASS_PHRASE, later, demo=False) is Outcome.ACCEPTED


def test_login_attempts_counted_in_flight_beyond_the_limit_are_not_checked(
    fake: FakeUnitOfWork, checked: list[str]
) -> None:
    # MAX_FAILED_LOGINS attempts counted by other sessions, their passwords not checked yet.
    with fake:
        for _ in range(staff.MAX_FAILED_LOGINS):
            fake.staff.count_attempt("admin", NOW)
        fake.commit()
    assert staff.log_in(fake, "admin", PASS_PHRASE, NOW, demo=False) is Outcome.LOCKED
    assert checked == []
    [(_user, _hash, _failed, locked_until)] = fake.staff.credentials()
    assert locked_until == NOW + staff.LOCKOUT
    assert [e.kind for e in fake.audit.entries()][-1] == "staff.account_locked"


def test_login_right_password_keeps_attempts_counted_after_it(fake: FakeUnitOfWork) -> None:
    with fake:
        [attempt, _until] = fake.staff.count_attempt("admin", NOW) or (0, None)
        fake.staff.count_attempt("admin", NOW)  # another session's attempt, still in flight
        assert fake.staff.clear_attempts("admin", NOW, attempt)
        fake.commit()
    assert _failures(fake) == 2


def test_login_demo_password_refused_outside_demo_mode() -> None:
    fake = FakeUnitOfWork()
    staff.add_staff_user(fake, ADMIN, staff.DEMO_PASSWORD)
    assert staff.log_in(fake, "admin", staff.DEMO_PASSWORD, NOW, demo=False) is Outcome.FAILED
    assert staff.log_in(fake, "admin", staff.DEMO_PASSWORD, NOW, demo=True) is Outcome.ACCEPTED
    assert not staff.session_allowed(fake, "admin", NOW, demo=False)
    assert staff.session_allowed(fake, "admin", NOW, demo=True)


def test_login_cookie_session_refused_while_locked(fake: FakeUnitOfWork) -> None:
    assert staff.session_allowed(fake, "admin", NOW, demo=False)
    for _ in range(staff.MAX_FAILED_LOGINS):
        staff.log_in(fake, "admin", "wrong", NOW, demo=False)
    assert not staff.session_allowed(fake, "admin", NOW, demo=False)
    assert staff.session_allowed(fake, "admin", NOW + staff.LOCKOUT, demo=False)
    assert not staff.session_allowed(fake, "nobody", NOW, demo=True)
