"""Streamlit glue of the support form: who asks (for the rate limits), the fields the call's
mode needs, the e-mail link, and what each outcome says."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.model import Project, StoredSignature
from vilco_core.services import support
from vilco_core.signatures import CONFIRM_DAYS, SupportCount
from vilco_ui import config, db
from vilco_ui.i18n import language, t
from vilco_ui.widgets import show_error

_SESSION_KEY = "vilco_sign_session"
_CONFIRMED_KEY = "vilco_sign_confirmed"


def now() -> dt.datetime:
    """The moment, aware, in the server's zone (its date is the page's `today()`)."""
    return dt.datetime.now().astimezone()


def requester_session() -> str:
    """A random id of this browser session (the rate limit per session counts under it)."""
    if _SESSION_KEY not in st.session_state:
        st.session_state[_SESSION_KEY] = secrets.token_hex(16)
    return str(st.session_state[_SESSION_KEY])


def client_address() -> str | None:
    """The client's address for the rate limits: Streamlit's peer address, or, behind a reverse
    proxy, the header that proxy sets (`VILCO_CLIENT_IP_HEADER`, e.g. `X-Real-IP`; only the
    proxy's own entry, the last, is trusted). None in tests."""
    try:
        header = config.setting("VILCO_CLIENT_IP_HEADER")
        forwarded = forwarded_address(st.context.headers.get(header, "")) if header else None
        address = forwarded or st.context.ip_address
    except Exception:  # no browser session context (AppTest)
        return None
    return str(address) if address else None


def forwarded_address(value: str) -> str | None:
    """The last entry of a proxy header (`a, b, c` → `c`): the one the trusted proxy added."""
    last = value.rsplit(",", 1)[-1].strip()
    return last[:64] or None


def confirm_link(token: str) -> int | None:
    """Follow an e-mail confirmation link once per session and say what happened (each run);
    the confirmed signature's project, to show it."""
    done: dict[str, tuple[str, int | None]] = st.session_state.setdefault(_CONFIRMED_KEY, {})
    if token not in done:
        try:
            outcome = support.confirm_signature(db.uow(), token, now())
        except VilcoError as error:
            done[token] = (f"error:{error.code}", None)
        else:
            key = "sign.confirmed" if outcome.counted else "sign.confirmed_before"
            done[token] = (key, outcome.support.project_id)
    message, project_id = done[token]
    if message.startswith("error:"):
        show_error(VilcoError(message.removeprefix("error:"), days=CONFIRM_DAYS))
    else:
        st.success(t(message))
    return project_id


def mode_notice(mode: str) -> None:
    """What the call's mode asks of the signer, above the form."""
    st.info(t(f"sign.mode_{mode}"))


def show_outcome(outcome: support.SignOutcome) -> None:
    key = {"counted": "sign.thanks", "unverified": "sign.thanks_unverified",
           "pending": "sign.check_mail"}.get(outcome.result, "sign.duplicate")  # fmt: skip
    st.success(t(key))


def support_progress(count: SupportCount) -> None:
    """The counted signatures against the threshold, and those that do not count (yet)."""
    st.metric(t("signatures.col_count"), t("sign.count", count=count.signatures))
    if count.threshold > 0:
        st.progress(min(1.0, count.signatures / count.threshold))
        if count.reached:
            st.success(t("sign.reached", threshold=count.threshold))
        else:
            st.caption(t("sign.missing", missing=count.missing, threshold=count.threshold))
    if count.unverified:
        st.caption(t("sign.unverified_count", count=count.unverified))
    if count.pending:
        st.caption(t("sign.pending_count", count=count.pending))


def support_rows(
    counts: list[SupportCount], projects: Mapping[int | None, Project]
) -> list[dict[str, object]]:
    """The staff table of support per project."""
    lang = language()
    return [
        {
            t("field.ref"): projects[c.project_id].ref,
            t("field.title"): projects[c.project_id].title.get(lang),
            t("signatures.col_count"): c.signatures,
            t("signatures.col_threshold"): c.threshold or "—",
            t("signatures.col_missing"): c.missing if c.threshold else "—",
            t("signatures.col_unverified"): c.unverified,
            t("signatures.col_pending"): c.pending,
            t("signatures.col_struck"): c.struck,
            t("field.status"): t(f"status.{projects[c.project_id].status.value}"),
        }
        for c in counts
    ]


def signature_rows(signed: list[StoredSignature],
                   projects: Mapping[int | None, Project]) -> list[dict[str, object]]:  # fmt: skip
    """The staff review table: one row per signature, with how it was confirmed and its state."""
    return [
        {
            "#": s.id,
            t("field.ref"): projects[s.project_id].ref,
            t("sign.name"): s.name,
            t("sign.postcode"): s.postcode,
            t("signatures.col_mode"): t(f"signatures.mode_{s.mode}"),
            t("signatures.col_state"): t(f"signatures.state_{s.state}"),
            t("signatures.col_date"): s.signed_on.isoformat(),
            t("signatures.strike_reason"): s.struck_reason,
        }
        for s in signed
    ]
