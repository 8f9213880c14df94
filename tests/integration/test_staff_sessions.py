"""Staff sessions (`services.staff_sessions`) on the in-memory fake, a SQLite file and PostgreSQL:
a grant is redeemed once, a token resumes its session (also after the process is gone: it is in
the database), logout and disabling revoke, expiry (idle and absolute) ends it, and the table of
migration 0017 holds digests only."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.unit.fakes import FakeUnitOfWork
from vilco_core.model import Role, StaffUser
from vilco_core.services import staff, staff_sessions
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database
from vilco_core.unit_of_work import UnitOfWork

KEY = b"k" * 40
PASS_PHRASE = "the-right-password"
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
FACILITATOR = StaffUser(
    username="facilitator", name="F", role=Role.FACILITATOR, commune_codes=("21013",)
)
NOW = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def _accounts(uow: UnitOfWork) -> UnitOfWork:
    staff.add_staff_user(uow, ADMIN, PASS_PHRASE)
    staff.add_staff_user(uow, FACILITATOR, PASS_PHRASE)
    return uow


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_uow(request: pytest.FixtureRequest) -> UnitOfWork:
    if request.param == "fake":
        return _accounts(FakeUnitOfWork())
    engine = make_engine(request.getfixturevalue(f"{request.param}_url"))
    upgrade_database(engine)
    request.addfinalizer(engine.dispose)
    return _accounts(SqlUnitOfWork(engine))


def _login(
    uow: UnitOfWork,
    idle: dt.timedelta = staff_sessions.IDLE,
    lifetime: dt.timedelta = staff_sessions.LIFETIME,
) -> tuple[int, str]:
    session_id, grant = staff_sessions.open_session(
        uow, "facilitator", NOW, KEY, idle=idle, lifetime=lifetime
    )
    token = staff_sessions.redeem_grant(uow, grant, NOW, KEY)
    assert token is not None
    return session_id, token


def test_staff_sessions_grant_once_then_token_resumes(any_uow: UnitOfWork) -> None:
    session_id, grant = staff_sessions.open_session(any_uow, "facilitator", NOW, KEY)
    assert staff_sessions.resume_session(any_uow, grant, NOW, KEY, demo=False) is None
    token = staff_sessions.redeem_grant(any_uow, grant, NOW, KEY)
    assert token is not None and token != grant
    assert staff_sessions.redeem_grant(any_uow, grant, NOW, KEY) is None  # one use only
    resumed = staff_sessions.resume_session(any_uow, token, NOW + HOUR, KEY, demo=False)
    assert resumed is not None and resumed.session_id == session_id
    assert resumed.user.username == "facilitator"
    assert staff_sessions.resume_session(any_uow, token, NOW, b"x" * 40, demo=False) is None
    assert staff_sessions.resume_session(any_uow, token + "x", NOW, KEY, demo=False) is None


def test_staff_sessions_grant_expires(any_uow: UnitOfWork) -> None:
    _id, grant = staff_sessions.open_session(any_uow, "facilitator", NOW, KEY)
    late = NOW + staff_sessions.GRANT_LIFETIME + dt.timedelta(seconds=1)
    assert staff_sessions.redeem_grant(any_uow, grant, late, KEY) is None
    assert staff_sessions.redeem_grant(any_uow, "", NOW, KEY) is None


def test_staff_sessions_logout_revokes_the_token(any_uow: UnitOfWork) -> None:
    session_id, token = _login(any_uow)
    other_id, other = _login(any_uow)
    assert staff_sessions.close_session(any_uow, session_id, NOW + HOUR)
    assert not staff_sessions.close_session(any_uow, session_id, NOW + HOUR)  # already ended
    assert staff_sessions.resume_session(any_uow, token, NOW + HOUR, KEY, demo=False) is None
    assert staff_sessions.check_session(any_uow, session_id, NOW + HOUR) is None
    assert staff_sessions.check_session(any_uow, other_id, NOW + HOUR) is not None  # other browser
    assert staff_sessions.close_session_by_token(any_uow, other, NOW + HOUR, KEY)
    assert staff_sessions.check_session(any_uow, other_id, NOW + HOUR) is None


def test_staff_sessions_disabling_revokes_and_enabling_does_not_revive(
    any_uow: UnitOfWork,
) -> None:
    session_id, token = _login(any_uow)
    staff.disable_user(any_uow, ADMIN, "facilitator", NOW + HOUR)
    assert staff_sessions.check_session(any_uow, session_id, NOW + HOUR) is None
    staff.enable_user(any_uow, ADMIN, "facilitator")
    assert staff_sessions.resume_session(any_uow, token, NOW + HOUR, KEY, demo=False) is None
    assert staff_sessions.check_session(any_uow, session_id, NOW + HOUR) is None


def test_staff_sessions_locked_account_is_not_resumed(any_uow: UnitOfWork) -> None:
    _id, token = _login(any_uow)
    for _ in range(staff.MAX_FAILED_LOGINS):
        staff.log_in(any_uow, "facilitator", "wrong", NOW, demo=False)
    assert staff_sessions.resume_session(any_uow, token, NOW, KEY, demo=False) is None
    after = NOW + staff.LOCKOUT + dt.timedelta(minutes=1)
    assert staff_sessions.resume_session(any_uow, token, after, KEY, demo=False) is not None


def test_staff_sessions_idle_expiry_slides_and_lifetime_caps(any_uow: UnitOfWork) -> None:
    idle, lifetime = 2 * HOUR, 5 * HOUR
    session_id, _token = _login(any_uow, idle=idle, lifetime=lifetime)
    assert staff_sessions.check_session(any_uow, session_id, NOW + 1.5 * HOUR, idle=idle)
    # used at 1.5 h: now live until 3.5 h, although 2 h have passed since the login
    assert staff_sessions.check_session(any_uow, session_id, NOW + 3 * HOUR, idle=idle)
    assert staff_sessions.check_session(any_uow, session_id, NOW + 4.5 * HOUR, idle=idle)
    assert staff_sessions.check_session(any_uow, session_id, NOW + 5 * HOUR, idle=idle) is None
    unused, _ = _login(any_uow, idle=idle, lifetime=lifetime)
    assert staff_sessions.check_session(any_uow, unused, NOW + 2 * HOUR, idle=idle) is None


def test_staff_sessions_table_holds_digests_only(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    uow = _accounts(SqlUnitOfWork(engine))
    _id, grant = staff_sessions.open_session(uow, "admin", NOW, KEY)
    token = staff_sessions.redeem_grant(uow, grant, NOW, KEY)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM staff_sessions")).mappings().all()
    engine.dispose()
    assert len(rows) == 1
    stored = " ".join(str(v) for v in rows[0].values())
    assert token is not None and token not in stored and grant not in stored
    assert rows[0]["token_digest"] == staff_sessions.digest(token, KEY)
    assert rows[0]["grant_digest"] is None
