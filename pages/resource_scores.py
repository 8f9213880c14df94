"""Evaluations of shared resources (staff): per space, the initiatives' and the agents'
average scores (charts), and every evaluation as CSV."""

import streamlit as st

from vilco_core.services import premises
from vilco_ui import db, scores_view
from vilco_ui.i18n import t
from vilco_ui.page import setup

ctx = setup("resource_scores")
user = ctx.user
assert user is not None
st.title(t("space.scores_title"))
st.caption(t("space.scores_help"))
summary = premises.evaluation_summary(db.uow(), user)
if not summary:
    st.info(t("space.no_scores"))
else:
    scores_view.resource_scores(summary)
st.download_button(
    t("space.scores_csv"),
    premises.evaluations_csv(db.uow(), user, ctx.language),
    "resource-evaluations.csv",
    "text/csv",
    disabled=not summary,
)
