"""Map: the projects of a process, sized by cost, coloured by status or theme."""

import streamlit as st

from vilco_core.services import processes
from vilco_ui import db
from vilco_ui.i18n import labeller, t
from vilco_ui.page import setup
from vilco_ui.widgets import STATUS_COLOURS, pick_process, project_map, project_table

setup("map")
st.title(t("map.title"))
process_id = pick_process(processes.list_processes(db.reading()), key="map-process")
if process_id is not None:
    colour_by = st.radio(
        t("map.colour_by"),
        ["status", "theme"],
        horizontal=True,
        format_func=labeller("map.by_", ["status", "theme"]),
    )
    projects = processes.list_projects(db.reading(), process_id)
    project_map(projects, colour_by)
    if colour_by == "status":
        legend = " · ".join(
            f"<span style='color:rgb{c}'>●</span> {t('status.' + s.value)}"
            for s, c in STATUS_COLOURS.items()
        )
        st.markdown(legend, unsafe_allow_html=True)
    st.caption(t("map.count", count=len(projects)))
    with st.expander(t("map.list")):
        st.dataframe(project_table(projects), hide_index=True, width="stretch")
