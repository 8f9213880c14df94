"""Evaluate (public): after a round, a session or a process, members and residents answer four
questions and may add a comment, in French, Dutch or English. Anonymous, and one per person:
a member (by their code) or a resident's browser session answering again replaces the answer."""

import datetime as dt

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import evaluations, processes
from vilco_core.services.processes import parse_id
from vilco_ui import db, panel_view
from vilco_ui.i18n import t
from vilco_ui.onsite import inline_language_picker, url_params
from vilco_ui.page import setup
from vilco_ui.widgets import pick_process, show_error

ctx = setup("evaluate")
params = url_params(["process", "session", "who"])
inline_language_picker()
st.title(t("eval.title"))
process_id = parse_id(params.get("process")) or pick_process(
    processes.list_processes(db.uow()), key="evaluate-process"
)
if process_id is None or panel_view.evaluation_sent(process_id):
    st.stop()
process = processes.get_process(db.uow(), process_id)
session_id = parse_id(params.get("session"))
who = "member" if params.get("who") == "member" else "resident"
code = panel_view.member_code({}) if who == "member" else None
if who == "member" and code is None:
    st.caption(t("eval.member_code_needed"))
    st.stop()
st.caption(process.name.get(ctx.language))
scope = "session" if session_id is not None else "process"
evaluation = panel_view.evaluation_form(process, session_id, who, scope)
if evaluation is not None:
    try:
        evaluations.submit_evaluation(db.uow(), evaluation, dt.date.today(), member_code=code,
                                 browser_token=panel_view.browser_token())  # fmt: skip
    except VilcoError as error:
        show_error(error)
        if code is not None:
            st.button(t("vote.other_code"), on_click=panel_view.forget_member_code)
    else:
        st.session_state[panel_view.SENT_KEY] = process_id
        st.rerun()
