"""Projector (full screen, large type): a panel session's live round (`?session=ID`) or a
resident vote's results merging phone and paper per site (`?process=ID`, one envelope of it with
`&envelope=KEY`), in one language or
several side by side (`&langs=fr+nl`). Refreshes itself; provisional until closed."""

import streamlit as st

from vilco_core.services import panel_sessions, processes
from vilco_core.services.processes import parse_id
from vilco_ui import db, panel_view, projector_view
from vilco_ui.i18n import t
from vilco_ui.onsite import url_params
from vilco_ui.page import setup

ctx = setup("projector")
params = url_params(["session", "process", "langs", "envelope"])
langs = projector_view.languages_of(params.get("langs"), ctx.language)
session_id, process_id = parse_id(params.get("session")), parse_id(params.get("process"))
if session_id is not None or process_id is not None:
    projector_view.projector_style()
    board, side = st.columns([3, 1], gap="large")
    with board:  # refreshes itself every second
        if session_id is not None:
            projector_view.panel_board(session_id, langs)
        else:
            projector_view.vote_board(process_id or 0, langs, params.get("envelope") or "")
    with side:  # redrawn when the winners change
        projector_view.side_panel(langs)
        if session_id is not None:
            projector_view.panel_map(session_id)
        else:
            projector_view.vote_map(process_id or 0)
    st.stop()
st.title(t("panel.projector_title"))
st.caption(t("panel.projector_help"))
for process in processes.list_processes(db.reading()):
    name = process.name.get(ctx.language)
    query = {"process": str(process.id), "langs": "fr+nl"}
    panel_view.page_link("projector", t("panel.project_vote", name=name), ":material/tv:", query)
    for key, label in processes.envelope_links(process, ctx.language):  # one per district
        link = t("envelope.project_link", name=name, envelope=label)
        panel_view.page_link("projector", link, ":material/tv:", {**query, "envelope": key})
    for session in panel_sessions.list_sessions(db.reading(), process.id):
        query = {"session": str(session.id), "langs": "fr+nl"}
        label = t("panel.project_session", title=session.title)
        panel_view.page_link("projector", label, ":material/groups:", query)
