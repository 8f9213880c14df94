"""Staff login with streamlit-authenticator, users and lockout kept in the database.

`app.py` builds one `Authenticate` per run (`start`), which also restores a session from the
signed cookie. The login page renders the form (`login_form`); failed attempts are written to
the database, so a lock holds across sessions and replicas. Pages call `current_user()`, which
re-reads the account so a deleted or demoted user loses access at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from vilco_core.model import StaffUser
from vilco_core.services import staff
from vilco_ui import db, last_good
from vilco_ui.config import cookie_key, setting
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
        login_sleep_time=float(setting("VILCO_LOGIN_SLEEP", "0.3")),
    )
    st.session_state[_AUTH_KEY] = authenticator
    st.session_state[_CREDENTIALS_KEY] = credentials
    try:
        authenticator.login(location="unrendered")
    except LoginError:  # a cookie for an account that no longer exists
        st.session_state["authentication_status"] = None
    return authenticator


def _authenticator() -> stauth.Authenticate:
    found = st.session_state.get(_AUTH_KEY)
    return found if isinstance(found, stauth.Authenticate) else start()


def current_user() -> StaffUser | None:
    if not st.session_state.get("authentication_status"):
        return None
    return staff.get_staff_user(db.uow(), st.session_state.get("username"))


def login_form() -> None:
    """The translated login form; records failures and locks after too many."""
    authenticator = _authenticator()
    credentials = st.session_state.get(_CREDENTIALS_KEY) or {"usernames": {}}
    before = {u: v.get("failed_login_attempts", 0) for u, v in credentials["usernames"].items()}
    fields = {
        "Form name": t("login.title"),
        "Username": t("login.username"),
        "Password": t("login.password"),
        "Login": t("login.submit"),
    }
    try:
        authenticator.login(
            location="main",
            fields=fields,
            max_login_attempts=staff.MAX_FAILED_LOGINS,
            key="vilco-login",
        )
    except LoginError:
        st.error(t("login.locked", minutes=int(staff.LOCKOUT.total_seconds() // 60)))
        return
    _record_attempts(credentials, before)
    if st.session_state.get("authentication_status") is False:
        st.error(t("login.failed"))


def _record_attempts(credentials: dict[str, Any], before: dict[str, int]) -> None:
    for username, values in credentials["usernames"].items():
        failed_now = values.get("failed_login_attempts", 0) > before.get(username, 0)
        if failed_now and staff.record_failed_login(db.uow(), username, _now()):
            st.error(t("login.locked", minutes=int(staff.LOCKOUT.total_seconds() // 60)))
    if st.session_state.get("authentication_status") and before.get(
        st.session_state.get("username") or "", 0
    ):
        staff.record_successful_login(db.uow(), st.session_state["username"])


def logout_button() -> None:
    if st.session_state.get("authentication_status"):
        _authenticator().logout(t("login.logout"), location="sidebar", key="vilco-logout")
