"""Evaluations (staff): the answers of members and residents per question, the comments
(shown as plain text) and the CSV export."""

import streamlit as st

from vilco_core.deliberation import evaluations_csv
from vilco_core.services import evaluations
from vilco_ui import db, panel_view
from vilco_ui.i18n import labeller, t
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process

ctx = setup("evaluations")
user = ctx.user
assert user is not None
st.title(t("eval.results_title"))
process = pick_managed_process(user, key="evaluations-process")
if process is None:
    st.stop()
process_id = process.id
rows = evaluations.list_evaluations(db.uow(), user, process_id)
who = st.radio(t("eval.respondent"), ["all", "member", "resident"], horizontal=True,
               format_func=labeller("eval.who_", ["all", "member", "resident"]))  # fmt: skip
shown = [r for r in rows if who == "all" or r.respondent == who]
st.metric(t("eval.answers"), len(shown))
if not shown:
    st.info(t("eval.none"))
    st.stop()
panel_view.evaluation_charts(shown)
st.subheader(t("eval.comments"))
panel_view.evaluation_comments(shown)
st.download_button(t("eval.csv"), evaluations_csv(shown), f"evaluations-{process_id}.csv",
                   "text/csv")  # fmt: skip
