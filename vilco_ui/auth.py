"""Staff login: the form, and a session kept server-side behind an HttpOnly cookie.

The login page's form goes through `staff.log_in` (attempts counted in the database before the
password is checked, so a lock holds across sessions, replicas and parallel attempts; only a
failed login pauses, `VILCO_LOGIN_SLEEP`). An accepted login opens a server-side session
(`services.staff_sessions`) and logs this Streamlit session in at once; the page then sends the
browser to `/staff-session/open` (`vilco_ui.session_routes`, served by `serve.py`), which redeems
the session's one-time grant for a random token in an HttpOnly, SameSite=Strict cookie. A
Streamlit custom component or `document.cookie` never holds it, so no rerun can swallow it.

`start` runs first on every run (`app.py`, or `page.setup` on a deep link): it resumes a session
from the cookie (`st.context.cookies`, the cookies of the page's WebSocket request) unless the
account is locked or disabled, or a demo account outside demo mode. Pages call `current_user()`,
which checks the session again on every run (revoked by a logout in another tab, expired, or
its account disabled: it ends here too) and re-reads the account (a demotion applies at once).
Logout revokes the session server-side, then clears the cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
import urllib.parse

import streamlit as st

from vilco_core.model import StaffUser
from vilco_core.services import staff, staff_sessions
from vilco_ui import db
from vilco_ui.config import cookie_key, demo_mode, setting
from vilco_ui.i18n import t

COOKIE_NAME = "vilco_staff"
OPEN_ROUTE = "/staff-session/open"
CLOSE_ROUTE = "/staff-session/close"
_SESSION_KEY = "_vilco_staff_session"  # this Streamlit session's staff session id
_GRANT_KEY = "_vilco_staff_grant"  # the grant still to take to OPEN_ROUTE
_REFUSED_KEY = "_vilco_refused_cookie"  # digest of a cookie already refused: not re-read
_LOGGED_OUT_KEY = "_vilco_logged_out"
_LOCAL_PATH = re.compile(r"^/[a-z_]{0,40}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def session_key() -> bytes:
    """The key of the session digests: the cookie key (changing it ends every session)."""
    return cookie_key().encode()


def lifetime() -> dt.timedelta:
    """A session's absolute lifetime, also the cookie's Max-Age (`VILCO_COOKIE_DAYS`, 1 day)."""
    return dt.timedelta(days=float(setting("VILCO_COOKIE_DAYS", "1")))


def idle() -> dt.timedelta:
    """How long an unused session lasts (`VILCO_SESSION_IDLE_HOURS`, 12 hours, sliding)."""
    return dt.timedelta(hours=float(setting("VILCO_SESSION_IDLE_HOURS", "12")))


def local_path(target: str | None) -> str:
    """Where a route may send the browser back: a page path of this app, else `/login`."""
    return target if target and _LOCAL_PATH.match(target) else "/login"


def cookie_token() -> str | None:
    """The staff cookie this page was loaded with (tests patch this: AppTest has no cookies)."""
    value = st.context.cookies.get(COOKIE_NAME)
    return value if isinstance(value, str) and value else None


def start() -> None:
    """Check or restore this run's staff login (no widget shown); refuse to serve anything
    without a cookie key of our own outside demo mode."""
    try:
        key = session_key()
    except RuntimeError:
        st.error(t("config.cookie_key_refused"))
        st.stop()
    st.session_state.setdefault("authentication_status", None)
    if st.session_state.get("authentication_status") or st.session_state.get(_LOGGED_OUT_KEY):
        return
    token = cookie_token()
    if not token:
        return
    seen = hashlib.sha256(token.encode()).hexdigest()
    if st.session_state.get(_REFUSED_KEY) == seen:
        return
    resumed = staff_sessions.resume_session(
        db.uow(), token, _now(), key, demo=demo_mode(), idle=idle()
    )
    if resumed is None:
        st.session_state[_REFUSED_KEY] = seen
        return
    _remember(resumed.session_id, resumed.user)


def _remember(session_id: int, user: StaffUser) -> None:
    st.session_state.update(
        {
            _SESSION_KEY: session_id,
            "name": user.name,
            "username": user.username,
            "roles": [user.role.value],
            "authentication_status": True,
        }
    )


def _forget() -> None:
    for key in (_SESSION_KEY, _GRANT_KEY, "name", "username", "roles"):
        st.session_state.pop(key, None)
    st.session_state["authentication_status"] = None


def current_user() -> StaffUser | None:
    """This run's staff user: its session is checked again (a logout in another tab, expiry or a
    disabled account ends it here too) and the account re-read (a demotion applies at once)."""
    if not st.session_state.get("authentication_status"):
        return None
    session_id = st.session_state.get(_SESSION_KEY)
    if isinstance(session_id, int):
        user = staff_sessions.check_session(db.uow(), session_id, _now(), idle=idle())
        if user is None:
            _forget()
        return user
    # logged in without a session: only server-side code can do that (AppTest's fixtures)
    user = staff.get_staff_user(db.uow(), st.session_state.get("username"))
    return None if user is None or user.disabled else user


def login_form() -> None:
    """The translated login form; `staff.log_in` counts the attempt, then checks it."""
    with st.form(key="vilco-login"):
        st.subheader(t("login.title"))
        username = st.text_input(t("login.username"), autocomplete="off")
        password = st.text_input(t("login.password"), type="password", autocomplete="off")
        submitted = st.form_submit_button(t("login.submit"))
    if not submitted or not username:
        return
    outcome = staff.log_in(db.uow(), username, password, _now(), demo=demo_mode())
    if outcome is staff.LoginOutcome.ACCEPTED:
        _start_session(username)
        return
    time.sleep(float(setting("VILCO_LOGIN_SLEEP", "0.3")))
    st.session_state["authentication_status"] = False
    if outcome is staff.LoginOutcome.LOCKED:
        st.error(t("login.locked", minutes=int(staff.LOCKOUT.total_seconds() // 60)))
    elif outcome is staff.LoginOutcome.DISABLED:  # shown only after the right password
        st.error(t("login.disabled"))
    else:
        st.error(t("login.failed"))


def _start_session(username: str) -> None:
    user = staff.get_staff_user(db.uow(), username)
    if user is None:  # deleted meanwhile
        return
    session_id, grant = staff_sessions.open_session(
        db.uow(), username, _now(), session_key(), lifetime=lifetime(), idle=idle()
    )
    _remember(session_id, user)
    st.session_state[_GRANT_KEY] = grant
    st.session_state.pop(_LOGGED_OUT_KEY, None)


def keep_session(after: str = "/login") -> None:
    """After a login: send the browser to the route that sets the session cookie, then back to
    `after`. Drawn on every run until the browser goes (a rerun cannot lose it); a link too,
    should the script not run."""
    grant = st.session_state.get(_GRANT_KEY)
    if not isinstance(grant, str):
        return
    query = urllib.parse.urlencode({"grant": grant, "next": local_path(after)})
    _go(f"{OPEN_ROUTE}?{query}", "login.keep_session")


def _go(url: str, label_key: str) -> None:
    st.html(f"<script>window.location.replace({json.dumps(url)});</script>",
            unsafe_allow_javascript=True)  # fmt: skip
    st.caption(f"[{t(label_key)}]({url})")


def logout_button() -> None:
    """Log out: the session ends server-side at once (its token is refused from now on, in
    every tab), then the browser goes to the route that clears the cookie."""
    if not st.session_state.get("authentication_status"):
        return
    if st.sidebar.button(t("login.logout"), key="vilco-logout"):
        log_out()
        st.rerun()


def log_out() -> None:
    now = _now()
    session_id = st.session_state.get(_SESSION_KEY)
    if isinstance(session_id, int):
        staff_sessions.close_session(db.uow(), session_id, now)
    token = cookie_token()
    if token:  # the cookie this page came with, should it be another session's
        staff_sessions.close_session_by_token(db.uow(), token, now, session_key())
    _forget()
    st.session_state[_LOGGED_OUT_KEY] = True


def clear_cookie() -> None:
    """After a logout: send the browser to the route that deletes the (already revoked) cookie."""
    if st.session_state.get(_LOGGED_OUT_KEY) and cookie_token():
        _go(CLOSE_ROUTE, "login.logged_out")
