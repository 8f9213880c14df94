"""Disabling a staff account through the SQL store, on a SQLite file and on PostgreSQL: the
column of migration 0013 round-trips, logins and cookie sessions are refused until enabled."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import audit, staff
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database
from vilco_core.store.engine import MIGRATIONS

PASS_PHRASE = "the-right-password"
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
CLERK = StaffUser(username="clerk", name="Clerk", role=Role.POLL_OFFICER, commune_codes=("21013",))


def test_disable_then_enable_on_the_store(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    uow = SqlUnitOfWork(engine)
    staff.add_staff_user(uow, ADMIN, PASS_PHRASE)
    staff.add_staff_user(uow, CLERK, PASS_PHRASE)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    staff.disable_user(uow, ADMIN, "clerk", now)
    stored = staff.get_staff_user(uow, "clerk")
    assert stored is not None and stored.disabled_at is not None
    assert stored.disabled_at.replace(tzinfo=stored.disabled_at.tzinfo or dt.UTC) == now
    assert stored.commune_codes == ("21013",) and stored.role is Role.POLL_OFFICER
    outcome = staff.log_in(uow, "clerk", PASS_PHRASE, now, demo=False)
    assert outcome is staff.LoginOutcome.DISABLED
    assert not staff.session_allowed(uow, "clerk", now, demo=False)
    assert staff.session_allowed(uow, "admin", now, demo=False)
    with pytest.raises(VilcoError) as error:
        staff.disable_user(uow, ADMIN, "admin", now)
    assert error.value.code == "errors.cannot_disable_self"
    staff.enable_user(uow, ADMIN, "clerk")
    assert staff.log_in(uow, "clerk", PASS_PHRASE, now, demo=False) is staff.LoginOutcome.ACCEPTED
    assert staff.session_allowed(uow, "clerk", now, demo=False)
    with uow:
        kinds = [(e.kind, json.loads(e.payload)) for e in uow.audit.entries()]
    changes = [(k, p["before"], p["after"]) for k, p in kinds if "before" in p]
    assert [k for k, _b, _a in changes] == ["staff.user_disabled", "staff.user_enabled"]
    assert changes[0][1] == {"disabled_at": None} and changes[1][2] == {"disabled_at": None}
    assert audit.verify_audit(uow).ok
    engine.dispose()


def _migrate(engine: sa.Engine, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _columns(engine: sa.Engine) -> list[str]:
    return [c["name"] for c in sa.inspect(engine).get_columns("staff_users")]


def test_disabled_accounts_migration_keeps_accounts_enabled(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _migrate(engine, "0012")
        with engine.begin() as connection:  # an account written before 0013
            connection.execute(
                sa.text(
                    "INSERT INTO staff_users (username, name, role, password_hash, failed_logins,"
                    " created_at) VALUES ('clerk', 'Clerk', 'poll_officer', :h, 0, :t)"
                ),
                {"h": staff.hash_password(PASS_PHRASE), "t": dt.datetime.now(dt.UTC)},
            )
        assert "disabled_at" not in _columns(engine)
        _migrate(engine, "0013")
        user = staff.get_staff_user(SqlUnitOfWork(engine), "clerk")
        assert user == StaffUser(username="clerk", name="Clerk", role=Role.POLL_OFFICER)
        assert user.disabled_at is None
        staff.add_staff_user(SqlUnitOfWork(engine), ADMIN, PASS_PHRASE)
        staff.disable_user(SqlUnitOfWork(engine), ADMIN, "clerk", dt.datetime.now(dt.UTC))
        _migrate(engine, "0012", down=True)
        assert "disabled_at" not in _columns(engine)
        with engine.connect() as connection:
            names = connection.execute(sa.text("SELECT username FROM staff_users")).scalars()
            assert sorted(names) == ["admin", "clerk"]
    finally:
        engine.dispose()
