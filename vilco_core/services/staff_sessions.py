"""Use cases of staff sessions: a login kept server-side, so that it survives a reload, a second
tab and a server restart, and ends for good at logout, at expiry or when the account is disabled.

After `staff.log_in` accepted a password, `open_session` stores a session with a one-time grant
(valid `GRANT_LIFETIME`); the browser takes the grant to the server's own route, which redeems
it (`redeem_grant`) for a fresh random token and sets that token as an HttpOnly cookie. The
database keeps only keyed digests (HMAC-SHA-256 under the server's cookie key: changing the key
ends every session), never a token. A page run resumes a session from the cookie
(`resume_session`) and checks it again on every run (`check_session`): a revoked, expired or
disabled one ends at once, in every tab. A session lasts `idle` since it was last used (it
slides, written at most every `TOUCH_EVERY`) and never beyond `lifetime` after the login.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Final

from vilco_core.model import StaffSession, StaffUser
from vilco_core.services import staff
from vilco_core.unit_of_work import UnitOfWork

IDLE: Final = dt.timedelta(hours=12)
LIFETIME: Final = dt.timedelta(days=1)
GRANT_LIFETIME: Final = dt.timedelta(seconds=120)
TOUCH_EVERY: Final = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True, kw_only=True)
class Resumed:
    session_id: int
    user: StaffUser


def digest(secret: str, key: bytes) -> str:
    """The stored form of a token or grant: HMAC-SHA-256 under the server key, hex."""
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def open_session(
    uow: UnitOfWork,
    username: str,
    now: dt.datetime,
    key: bytes,
    *,
    lifetime: dt.timedelta = LIFETIME,
    idle: dt.timedelta = IDLE,
) -> tuple[int, str]:
    """A new session for `username` (whose password `staff.log_in` just accepted): its id and
    the one-time grant that sets the browser's cookie. Raises nothing for a vanished or disabled
    account: the session is simply never usable (`check_session` refuses it)."""
    grant = secrets.token_urlsafe(32)
    session = StaffSession(
        id=0,
        username=username,
        created_at=now,
        expires_at=min(now + idle, now + lifetime),
        ends_at=now + lifetime,
    )
    with uow:
        session_id = uow.staff.open_session(session, digest(grant, key), now + GRANT_LIFETIME)
        uow.commit()
    return session_id, grant


def redeem_grant(uow: UnitOfWork, grant: str, now: dt.datetime, key: bytes) -> str | None:
    """The cookie's token for a one-time grant, or None (unknown, used, expired or revoked)."""
    if not grant or len(grant) > 200:
        return None
    token = secrets.token_urlsafe(32)
    with uow:
        found = uow.staff.redeem_grant(digest(grant, key), digest(token, key), now)
        uow.commit()
    return None if found is None else token


def resume_session(
    uow: UnitOfWork,
    token: str,
    now: dt.datetime,
    key: bytes,
    *,
    demo: bool,
    idle: dt.timedelta = IDLE,
) -> Resumed | None:
    """The session a cookie's token stands for, if it is still live and its account may go on
    (`staff.session_allowed`: not disabled, not locked, no demo account outside demo mode)."""
    if not token or len(token) > 200:
        return None
    with uow:
        session = uow.staff.session_by_token(digest(token, key))
    if session is None or not staff.session_allowed(uow, session.username, now, demo=demo):
        return None
    user = check_session(uow, session.id, now, idle=idle)
    return None if user is None else Resumed(session_id=session.id, user=user)


def live(session: StaffSession | None, now: dt.datetime) -> bool:
    return (
        session is not None
        and session.revoked_at is None
        and now < session.expires_at
        and now < session.ends_at
    )


def check_session(
    uow: UnitOfWork, session_id: int, now: dt.datetime, *, idle: dt.timedelta = IDLE
) -> StaffUser | None:
    """The session's user while it is live and the account enabled, else None; using it slides
    its idle expiry (written at most every `TOUCH_EVERY`)."""
    with uow:
        session = uow.staff.staff_session(session_id)
        if session is None or not live(session, now):
            return None
        user = uow.staff.get(session.username)
        if user is None or user.disabled:
            return None
        slid = min(now + idle, session.ends_at)
        if slid - session.expires_at >= TOUCH_EVERY:
            uow.staff.extend_session(session_id, slid)
            uow.commit()
    return user


def close_session(uow: UnitOfWork, session_id: int, now: dt.datetime) -> bool:
    """Logout: the session ends server-side, so its token is refused from now on."""
    with uow:
        ended = uow.staff.revoke_sessions(now, session_id=session_id)
        uow.commit()
    return ended > 0


def close_session_by_token(uow: UnitOfWork, token: str, now: dt.datetime, key: bytes) -> bool:
    """Logout by the cookie itself (the logout route): the session it stands for ends."""
    if not token or len(token) > 200:
        return False
    with uow:
        session = uow.staff.session_by_token(digest(token, key))
    return session is not None and close_session(uow, session.id, now)
