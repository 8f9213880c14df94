"""Panel sessions (facilitators): create a session with personal join codes, see who has
joined (and replace a member's lost code), open and close rounds, compare them, finalise the
panel's recommendation."""

import streamlit as st

from vilco_core.services import panel_rounds, panel_sessions
from vilco_ui import db, panel_view
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process

ctx = setup("sessions")
user = ctx.user
assert user is not None
st.title(t("panel.sessions_title"))
process = pick_managed_process(user, key="sessions-process")
if process is None:
    st.stop()
process_id = process.id
issued = st.session_state.get(panel_view.ISSUED_KEY)
if isinstance(issued, panel_sessions.IssuedSession) and issued.process_id == process_id:
    panel_view.issued_codes(issued)
session_id = panel_view.pick_session(process_id)
if session_id is None:
    panel_view.new_session_form(process_id, user)
    st.stop()
session = panel_sessions.get_session(db.uow(), session_id)
rounds = panel_rounds.list_rounds(db.uow(), session_id)
panel_view.page_link("projector", t("panel.open_projector"), ":material/tv:",
                     {"session": str(session_id), "langs": "fr+nl"})  # fmt: skip
left, right = st.columns([1, 2])
with left:
    st.subheader(t("panel.members"))
    panel_view.reissued_code(session_id)
    members = panel_view.members_table(user, session_id)
    panel_view.reissue_form(user, members)
with right:
    st.subheader(t("panel.rounds"))
    panel_view.round_controls(user, session, rounds)
    panel_view.rounds_overview(user, session, rounds)
