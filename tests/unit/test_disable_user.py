"""Disabling a staff account on the in-memory unit of work: refused by password and by cookie
until enabled again, admins only, never one's own account, logged with before/after."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.unit.fake_world import ADMIN, FACILITATOR, NOW, OFFICER
from tests.unit.fakes import FakeUnitOfWork
from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import staff

PASS_PHRASE = "long-enough-1"
Outcome = staff.LoginOutcome


@pytest.fixture
def fake() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for user in (ADMIN, FACILITATOR, OFFICER):
        staff.add_staff_user(uow, user, PASS_PHRASE)
    return uow


def _entries(fake: FakeUnitOfWork, kind: str) -> list[dict[str, object]]:
    return [json.loads(e.payload) for e in fake.audit.entries() if e.kind == kind]


def test_disable_refuses_login_and_cookie_until_enabled(fake: FakeUnitOfWork) -> None:
    assert staff.session_allowed(fake, "facilitator", NOW, demo=False)
    disabled = staff.disable_user(fake, ADMIN, "facilitator", NOW)
    assert disabled.disabled and staff.get_staff_user(fake, "facilitator") == disabled
    assert staff.log_in(fake, "facilitator", PASS_PHRASE, NOW, demo=False) is Outcome.DISABLED
    assert staff.log_in(fake, "facilitator", "wrong", NOW, demo=False) is Outcome.FAILED
    assert not staff.session_allowed(fake, "facilitator", NOW, demo=False)
    assert staff.session_allowed(fake, "officer", NOW, demo=False)  # only that account
    assert staff.enable_user(fake, ADMIN, "facilitator").disabled_at is None
    assert staff.log_in(fake, "facilitator", PASS_PHRASE, NOW, demo=False) is Outcome.ACCEPTED
    assert staff.session_allowed(fake, "facilitator", NOW, demo=False)


def test_disable_changes_nothing_else(fake: FakeUnitOfWork) -> None:
    staff.log_in(fake, "facilitator", "wrong", NOW, demo=False)
    before = {u.username: (u, h, f, t) for u, h, f, t in fake.staff.credentials()}
    staff.disable_user(fake, ADMIN, "facilitator", NOW)
    user, password_hash, failed, locked = before["facilitator"]
    after = {u.username: (u, h, f, t) for u, h, f, t in fake.staff.credentials()}
    assert after["facilitator"] == (replace(user, disabled_at=NOW), password_hash, failed, locked)
    assert {k: v for k, v in after.items() if k != "facilitator"} == {
        k: v for k, v in before.items() if k != "facilitator"
    }


def test_disable_and_enable_are_audited_with_before_and_after(fake: FakeUnitOfWork) -> None:
    staff.disable_user(fake, ADMIN, "officer", NOW)
    staff.disable_user(fake, ADMIN, "officer", NOW)  # already disabled: nothing logged
    staff.enable_user(fake, ADMIN, "officer")
    staff.enable_user(fake, ADMIN, "officer")  # already enabled: nothing logged
    moment = NOW.isoformat()
    assert _entries(fake, "staff.user_disabled") == [
        {"actor": "admin", "username": "officer",
         "before": {"disabled_at": None}, "after": {"disabled_at": moment}}
    ]  # fmt: skip
    assert _entries(fake, "staff.user_enabled") == [
        {"actor": "admin", "username": "officer",
         "before": {"disabled_at": moment}, "after": {"disabled_at": None}}
    ]  # fmt: skip


@pytest.mark.parametrize("actor", [None, FACILITATOR, OFFICER])
def test_disable_and_enable_refused_to_non_admins(
    fake: FakeUnitOfWork, actor: StaffUser | None
) -> None:
    staff.disable_user(fake, ADMIN, "officer", NOW)
    entries = len(fake.audit.entries())
    for attempt in (
        lambda: staff.disable_user(fake, actor, "facilitator", NOW),
        lambda: staff.enable_user(fake, actor, "officer"),
        lambda: staff.list_staff_users(fake, actor),
    ):
        with pytest.raises(VilcoError) as error:
            attempt()
        assert error.value.code == "errors.forbidden"
    assert not fake.staff.get("facilitator").disabled  # type: ignore[union-attr]
    assert fake.staff.get("officer").disabled  # type: ignore[union-attr]
    assert len(fake.audit.entries()) == entries


def test_admin_cannot_disable_themself_nor_an_unknown_user(fake: FakeUnitOfWork) -> None:
    with pytest.raises(VilcoError) as error:
        staff.disable_user(fake, ADMIN, "admin", NOW)
    assert error.value.code == "errors.cannot_disable_self"
    with pytest.raises(VilcoError) as error:
        staff.disable_user(fake, ADMIN, "nobody", NOW)
    assert error.value.code == "errors.unknown_user" and error.value.params["username"] == "nobody"
    assert not staff.get_staff_user(fake, "admin").disabled  # type: ignore[union-attr]
    assert _entries(fake, "staff.user_disabled") == []


def test_another_admin_disables_an_admin(fake: FakeUnitOfWork) -> None:
    second = StaffUser(username="admin2", name="B", role=Role.ADMIN)
    staff.add_staff_user(fake, second, PASS_PHRASE)
    staff.disable_user(fake, second, "admin", NOW)
    assert staff.log_in(fake, "admin", PASS_PHRASE, NOW, demo=False) is Outcome.DISABLED
    listed = {u.username: u.disabled for u in staff.list_staff_users(fake, second)}
    assert listed == {"admin": True, "admin2": False, "facilitator": False, "officer": False}
