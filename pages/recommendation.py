"""Recommendations (public, no login): the finalised recommendation of a citizen panel session,
its projects with their costs and total against the budget, the rule used, and a map.
`?session=ID` opens one directly."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import recommendations
from vilco_ui import db, panel_view
from vilco_ui.i18n import t
from vilco_ui.onsite import url_params
from vilco_ui.page import setup
from vilco_ui.widgets import project_map, show_error

ctx = setup("recommendation")
params = url_params(["session"])
st.title(t("rec.title"))
sessions = recommendations.list_recommendations(db.uow())
session_id = panel_view.pick_recommendation(sessions, params.get("session"))
if session_id is None:
    st.stop()
try:
    rec = recommendations.get_recommendation(db.uow(), session_id)
except VilcoError as error:
    show_error(error)
    st.stop()
panel_view.recommendation(rec)
if rec.projects:
    st.subheader(t("rec.map"))
    project_map(rec.projects, colour_by="theme", height=420)
