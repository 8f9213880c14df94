"""Panel member's phone (`/panel?c=CODE`): the current round's projects in the member's
language, the ballot, a confirmation; it follows the facilitator (new rounds appear by
themselves) and the last ballot sent before the round closes is the one that counts."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import panel_rounds
from vilco_ui import db, panel_view
from vilco_ui.i18n import t
from vilco_ui.onsite import forget_params, inline_language_picker, url_params
from vilco_ui.page import setup
from vilco_ui.widgets import show_error

ctx = setup("panel")
params = url_params(["c"])
forget_params("c")  # kept under the panel's own key: /vote must not pick it up
inline_language_picker()
code = panel_view.member_code(params)
if code is None:
    st.title(t("panel.member_title"))
    st.stop()
try:
    membership, sheet = panel_rounds.member_view(db.uow(), code, panel_view.now())
except VilcoError as error:
    panel_view.send_error()  # a press refused meanwhile: this error says more
    show_error(error)
    st.button(t("vote.other_code"), on_click=panel_view.forget_member_code)
    st.stop()
st.title(membership.session.title)
st.caption(membership.process.name.get(ctx.language))
panel_view.remember_round(sheet)
with st.container():  # the poll's own slot: its reruns clear nothing else
    panel_view.follow_facilitator(membership.session.id)
if sheet is None:
    st.info(t("panel.waiting_round"))
    st.stop()
st.subheader(t("panel.round", number=sheet.round.number))
panel_view.member_confirmation(sheet)
if (refused := panel_view.send_error()) is not None:  # after the poll, which may rerun the page
    show_error(refused)
if not sheet.round.open:
    st.info(t("panel.round_closed_wait", number=sheet.round.number))
    panel_view.page_link("evaluate", t("eval.invite"), ":material/rate_review:",
                         {"process": str(membership.process.id),
                          "session": str(membership.session.id), "who": "member"})  # fmt: skip
    st.stop()
ballot = panel_view.member_ballot(sheet)
label = t("panel.change_vote") if sheet.mine else t("panel.send_vote")
st.button(label, type="primary", disabled=not ballot.project_ids, use_container_width=True,
          on_click=panel_view.send_ballot, args=(code, sheet))  # fmt: skip
