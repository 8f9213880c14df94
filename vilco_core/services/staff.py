"""Use cases of staff accounts: create one, read one, the login records and the lockout.

Passwords are stored as bcrypt hashes only; `MAX_FAILED_LOGINS` wrong passwords in a row lock
an account for `LOCKOUT`.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from typing import Final

import bcrypt

from vilco_core.communes import COMMUNES
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services.audit import log_action
from vilco_core.unit_of_work import UnitOfWork

MAX_FAILED_LOGINS: Final = 5
LOCKOUT: Final = dt.timedelta(minutes=15)
MIN_PASSWORD: Final = 10


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


def record_failed_login(uow: UnitOfWork, username: str, now: dt.datetime) -> bool:
    """Count a failed login; returns True when the account is now locked."""
    with uow:
        records = {u.username: (f, t) for u, _h, f, t in uow.staff.credentials()}
        if username not in records:
            return False
        until = records[username][1]
        if until is not None and _aware(until) <= now:
            uow.staff.reset_failures(username)
        count: int = uow.staff.record_failure(username, MAX_FAILED_LOGINS, now + LOCKOUT)
        if count == MAX_FAILED_LOGINS:
            log_action(uow, None, "account_locked", username=username)
        uow.commit()
    return count >= MAX_FAILED_LOGINS


def record_successful_login(uow: UnitOfWork, username: str) -> None:
    with uow:
        uow.staff.reset_failures(username)
        uow.commit()
