"""Use cases of staff accounts: create one, read one, log in, the login records and the lockout.

Passwords are stored as bcrypt hashes only; `MAX_FAILED_LOGINS` wrong passwords in a row lock
an account for `LOCKOUT`. `log_in` counts an attempt in the database before it checks the
password, so parallel attempts cannot check more than `MAX_FAILED_LOGINS` passwords; a locked
account refuses even the right one. Outside demo mode the demo accounts (password
`DEMO_PASSWORD`) are refused, by password and by cookie. An admin disables an account
(`disable_user`, audit-logged) and enables it again (`enable_user`); a disabled account is refused
by cookie at once, and by password with its own message (`LoginOutcome.DISABLED`) but only after
the right password, so the message tells nothing to someone who does not know it.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
from dataclasses import dataclass, replace
from typing import Final

import bcrypt

from vilco_core.communes import COMMUNES
from vilco_core.errors import ValidationErrors, VilcoError, expect_found
from vilco_core.model import Role, StaffUser
from vilco_core.services import access
from vilco_core.services.audit import log_action
from vilco_core.unit_of_work import UnitOfWork

MAX_FAILED_LOGINS: Final = 5
LOCKOUT: Final = dt.timedelta(minutes=15)
MIN_PASSWORD: Final = 10
DEMO_PASSWORD: Final = "vilco-demo-2026"  # the demo accounts' password, printed by `make run`


def hash_password(password: str) -> str:
    # 12 rounds in production; VILCO_BCRYPT_ROUNDS lowers it for the test suite (minimum 4).
    rounds = max(4, min(16, int(os.environ.get("VILCO_BCRYPT_ROUNDS", "12") or 12)))
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


def add_staff_user(uow: UnitOfWork, user: StaffUser, password: str) -> None:
    """Create a staff account (bcrypt-hashed password); the CLI's `users add`."""
    problems = _text_problems(user)
    if len(password) < MIN_PASSWORD:
        problems.append(VilcoError("errors.password_too_short", minimum=MIN_PASSWORD))
    if problems:
        raise ValidationErrors(problems)
    with uow:
        if uow.staff.get(user.username) is not None:
            raise VilcoError("errors.username_taken", username=user.username)
        uow.communes.add_missing(COMMUNES)
        uow.staff.add(user, hash_password(password))
        log_action(uow, None, "user_added", username=user.username, role=user.role.value)
        uow.commit()


def _text_problems(user: StaffUser) -> list[VilcoError]:
    problems = []
    if (
        not user.username
        or len(user.username) > 60
        or not user.username.isascii()
        or user.username != user.username.lower().strip()
        or " " in user.username
    ):
        problems.append(VilcoError("errors.username_invalid"))
    if user.role is Role.FACILITATOR and not user.commune_codes:
        problems.append(VilcoError("errors.facilitator_needs_commune"))
    known = {c.code for c in COMMUNES}
    problems += [
        VilcoError("errors.unknown_commune", commune=c)
        for c in user.commune_codes
        if c not in known
    ]
    return problems


def get_staff_user(uow: UnitOfWork, username: str | None) -> StaffUser | None:
    if not username:
        return None
    with uow:
        return uow.staff.get(username)


def list_staff_users(uow: UnitOfWork, actor: StaffUser | None) -> list[StaffUser]:
    """Admins only: every staff account by username, disabled ones included."""
    access.require(actor, Role.ADMIN)
    with uow:
        return [user for user, _h, _f, _t in uow.staff.credentials()]


def disable_user(
    uow: UnitOfWork, actor: StaffUser | None, username: str, now: dt.datetime
) -> StaffUser:
    """Admins only, never their own account: the account can no longer log in, and a session
    restored from its cookie ends. Nothing else changes. Disabling a disabled account is a no-op."""
    admin = access.require(actor, Role.ADMIN)
    if username == admin.username:
        raise VilcoError("errors.cannot_disable_self")
    return _set_disabled(uow, admin, username, now)


def enable_user(uow: UnitOfWork, actor: StaffUser | None, username: str) -> StaffUser:
    """Admins only: a disabled account may log in again (its lockout state is untouched)."""
    return _set_disabled(uow, access.require(actor, Role.ADMIN), username, None)


def _set_disabled(
    uow: UnitOfWork, admin: StaffUser, username: str, disabled_at: dt.datetime | None
) -> StaffUser:
    with uow:
        user = expect_found(uow.staff.get(username), "errors.unknown_user", username=username)
        if user.disabled == (disabled_at is not None):
            return user
        uow.staff.set_disabled(username, disabled_at)
        log_action(
            uow,
            admin,
            "user_disabled" if disabled_at else "user_enabled",
            username=username,
            before={"disabled_at": _moment(user.disabled_at)},
            after={"disabled_at": _moment(disabled_at)},
        )
        uow.commit()
    return replace(user, disabled_at=disabled_at)


def _moment(moment: dt.datetime | None) -> str | None:
    return None if moment is None else _aware(moment).isoformat()


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginRecord:
    user: StaffUser
    password_hash: str
    failed_logins: int
    locked_until: dt.datetime | None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and _aware(self.locked_until) > now


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def login_records(uow: UnitOfWork, now: dt.datetime) -> list[LoginRecord]:
    """Every account for the login widget; an expired lock counts as zero failures."""
    with uow:
        rows = uow.staff.credentials()
    records = [
        LoginRecord(user=u, password_hash=h, failed_logins=f, locked_until=t) for u, h, f, t in rows
    ]
    return [
        r
        if r.locked(now) or r.locked_until is None
        else replace(r, failed_logins=0, locked_until=None)
        for r in records
    ]


class LoginOutcome(enum.Enum):
    ACCEPTED = "accepted"
    FAILED = "failed"
    LOCKED = "locked"
    DISABLED = "disabled"  # the right password for a disabled account


def log_in(
    uow: UnitOfWork, username: str, password: str, now: dt.datetime, *, demo: bool
) -> LoginOutcome:
    """Check a login. The attempt is counted (one atomic UPDATE) before the password is checked;
    past `MAX_FAILED_LOGINS` counted attempts nothing is checked, and a right password only
    logs in if the account is not locked by then. `demo` False refuses the demo password. The
    right password of a disabled account gives DISABLED (and counts as a success: no lockout)."""
    with uow:
        counted = uow.staff.count_attempt(username, now)
        found = uow.staff.credentials() if counted else []
        records = {u.username: (u, h) for u, h, _f, _t in found}
        uow.commit()
    if counted is None:
        return LoginOutcome.FAILED
    attempt, locked_until = counted
    if locked_until is not None and _aware(locked_until) > now:
        return LoginOutcome.LOCKED
    if attempt > MAX_FAILED_LOGINS:  # parallel attempts beyond the limit: lock, check nothing
        _lock(uow, username, now)
        return LoginOutcome.LOCKED
    user, password_hash = records[username]
    if _password_matches(password, password_hash) and (demo or password != DEMO_PASSWORD):
        with uow:
            cleared = uow.staff.clear_attempts(username, now, attempt)
            uow.commit()
        if not cleared:
            return LoginOutcome.LOCKED
        return LoginOutcome.DISABLED if user.disabled else LoginOutcome.ACCEPTED
    if attempt < MAX_FAILED_LOGINS:
        return LoginOutcome.FAILED
    _lock(uow, username, now)
    return LoginOutcome.LOCKED


def _lock(uow: UnitOfWork, username: str, now: dt.datetime) -> None:
    with uow:
        if uow.staff.lock(username, now + LOCKOUT):
            log_action(uow, None, "account_locked", username=username)
        uow.commit()


def _password_matches(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode(), password_hash.encode())


def session_allowed(uow: UnitOfWork, username: str, now: dt.datetime, *, demo: bool) -> bool:
    """May a login restored from a cookie go on? Not for a missing, locked or disabled account,
    nor for a demo account outside demo mode."""
    with uow:
        found = [c for c in uow.staff.credentials() if c[0].username == username]
    if not found:
        return False
    user, password_hash, _failed, locked_until = found[0]
    if user.disabled:
        return False
    if locked_until is not None and _aware(locked_until) > now:
        return False
    return demo or not _is_demo_hash(password_hash)


@functools.lru_cache(maxsize=64)
def _is_demo_hash(password_hash: str) -> bool:
    # One bcrypt check per account and server process, not one per page run.
    return _password_matches(DEMO_PASSWORD, password_hash)
