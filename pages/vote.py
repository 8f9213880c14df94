"""Vote: a resident votes on a phone with the one-time code of a card (`/vote?c=CODE`), or from
a poster (`/vote?site=ID`), which asks for the code. Tick, vote, confirm: the receipt."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import voting
from vilco_ui import db
from vilco_ui.i18n import t
from vilco_ui.onsite import (
    PENDING_KEY,
    RECEIPTS_KEY,
    ballot_widgets,
    cast_error,
    cast_pending,
    forget_code,
    inline_language_picker,
    poster_site,
    show_receipt,
    today,
    url_params,
    voter_code,
)
from vilco_ui.page import setup
from vilco_ui.widgets import show_error

ctx = setup("vote")
params = url_params(["c", "site"])
inline_language_picker()
st.title(t("vote.title"))
site, bad_site = poster_site(params)
if site is not None:
    st.caption(t("vote.poster_site", site=site.name))
code = voter_code(params, bad_site)
if code is None:
    st.stop()
receipts: dict[str, str] = st.session_state.setdefault(RECEIPTS_KEY, {})
if code in receipts:  # already voted in this session (a double tap lands here too)
    show_receipt(receipts[code])
    st.stop()
site_id = site.id if site else None
refused = cast_error()  # the last "Confirm" tap's error, shown once below
try:
    sheet = voting.open_vote(db.reading(), code, site_id, today())
except VilcoError as error:
    show_error(error)
    st.button(t("vote.other_code"), on_click=forget_code)
    st.stop()
st.caption(sheet.process.name.get(ctx.language))
pending = st.session_state.get(PENDING_KEY)
ballot = ballot_widgets(sheet, frozen=pending is not None)
if pending is None:
    if st.button(t("vote.submit"), type="primary", disabled=not ballot.project_ids,
                 use_container_width=True):  # fmt: skip
        st.session_state[PENDING_KEY] = ballot
        st.rerun()
    st.stop()
titles = {p.ref: p.title.get(ctx.language) for p in sheet.projects}
with st.container(border=True):
    st.markdown(f"**{t('vote.confirm_heading')}**")
    st.markdown("\n".join(f"- {titles.get(ref, ref)}" for ref in pending.project_ids))
    st.button(t("vote.confirm"), type="primary", use_container_width=True,
              on_click=cast_pending, args=(code, site_id))  # fmt: skip
    change = st.button(t("vote.change"), use_container_width=True)
if refused is not None:
    show_error(refused)
if change:
    st.session_state.pop(PENDING_KEY, None)
    st.rerun()
