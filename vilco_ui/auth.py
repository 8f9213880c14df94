"""Staff login with streamlit-authenticator, users and lockout kept in the database.

`app.py` builds one `Authenticate` per run (`start`), which also restores a session from the
signed cookie unless the account is locked or disabled (or a demo account outside demo mode).
The login page renders the form (`login_form`), whose attempts go through `staff.log_in`: counted
in the database before the password is checked, so a lock holds across sessions, replicas and
parallel attempts. Only a failed login pauses (`VILCO_LOGIN_SLEEP`), not every anonymous page run.
Pages call `current_user()`, which re-reads the account so a deleted, demoted or disabled user
loses access at once.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from vilco_core.model import StaffUser
from vilco_core.services import staff
from vilco_ui import db, last_good
from vilco_ui.config import cookie_key, demo_mode, setting
from vilco_ui.i18n import t

_AUTH_KEY = "_vilco_authenticator"
_CREDENTIALS_KEY = "_vilco_credentials"
COOKIE_NAME = "vilco_staff"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _credentials() -> dict[str, Any]:
    # The public pages must not fail because the staff list cannot be read: a brief outage
    # keeps the last list read (the page's own reads then say "try again").
    records = last_good.read("login_records", lambda: staff.login_records(db.uow(), _now()),
                             notice=False)  # fmt: skip
    return {
        "usernames": {
            r.user.username: {
                "name": r.user.name,
                "email": f"{r.user.username}@staff.vilco.invalid",
                "password": r.password_hash,
                "roles": [r.user.role.value],
                "failed_login_attempts": r.failed_logins,
            }
            for r in records
        }
    }


def start() -> stauth.Authenticate:
    """Build this run's authenticator and restore a login from its cookie (no widget shown)."""
    try:
        key = cookie_key()
    except RuntimeError:  # no key of our own outside demo mode: refuse to serve anything
        st.error(t("config.cookie_key_refused"))
        st.stop()
    credentials = _credentials()
    authenticator = stauth.Authenticate(
        credentials,
        COOKIE_NAME,
        key,
        cookie_expiry_days=float(setting("VILCO_COOKIE_DAYS", "1")),
        auto_hash=False,
        login_sleep_time=0,  # the pause is for failed logins only (`login_form`)
    )
    st.session_state[_AUTH_KEY] = authenticator
    st.session_state[_CREDENTIALS_KEY] = credentials
    restoring = not st.session_state.get("authentication_status")
    try:
        authenticator.login(location="unrendered")
    except LoginError:  # a cookie for an account that no longer exists
        st.session_state["authentication_status"] = None
    if restoring and st.session_state.get("authentication_status"):
        username = st.session_state.get("username") or ""
        if not staff.session_allowed(db.uow(), username, _now(), demo=demo_mode()):
            st.session_state["authentication_status"] = None
            st.session_state["username"] = None
    return authenticator


def _authenticator() -> stauth.Authenticate:
    found = st.session_state.get(_AUTH_KEY)
    return found if isinstance(found, stauth.Authenticate) else start()


def current_user() -> StaffUser | None:
    if not st.session_state.get("authentication_status"):
        return None
    user = staff.get_staff_user(db.uow(), st.session_state.get("username"))
    return None if user is None or user.disabled else user


def login_form() -> None:
    """The translated login form; `staff.log_in` counts the attempt, then checks it."""
    authenticator = _authenticator()
    with st.form(key="vilco-login"):
        st.subheader(t("login.title"))
        username = st.text_input(t("login.username"), autocomplete="off")
        password = st.text_input(t("login.password"), type="password", autocomplete="off")
        submitted = st.form_submit_button(t("login.submit"))
    if not submitted or not username:
        return
    outcome = staff.log_in(db.uow(), username, password, _now(), demo=demo_mode())
    if outcome is staff.LoginOutcome.ACCEPTED:
        _start_session(authenticator, username)
        return
    time.sleep(float(setting("VILCO_LOGIN_SLEEP", "0.3")))
    st.session_state["authentication_status"] = False
    if outcome is staff.LoginOutcome.LOCKED:
        st.error(t("login.locked", minutes=int(staff.LOCKOUT.total_seconds() // 60)))
    elif outcome is staff.LoginOutcome.DISABLED:  # shown only after the right password
        st.error(t("login.disabled"))
    else:
        st.error(t("login.failed"))


def _start_session(authenticator: stauth.Authenticate, username: str) -> None:
    """What streamlit-authenticator's own login sets, then its signed cookie."""
    user = staff.get_staff_user(db.uow(), username)
    if user is None:  # deleted meanwhile
        return
    st.session_state.update(
        name=user.name,
        username=username,
        roles=[user.role.value],
        email=f"{username}@staff.vilco.invalid",
        authentication_status=True,
        logout=None,
    )
    authenticator.cookie_controller.set_cookie()


def logout_button() -> None:
    if st.session_state.get("authentication_status"):
        _authenticator().logout(t("login.logout"), location="sidebar", key="vilco-logout")
