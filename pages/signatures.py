"""Signatures: support per project against the call's threshold; review (strike a signature,
logged); export for the commune."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import processes, support
from vilco_ui import db
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process
from vilco_ui.support_view import signature_rows, support_rows
from vilco_ui.widgets import flash, show_error, show_flash

ctx = setup("signatures")
assert ctx.user is not None
st.title(t("signatures.title"))
process = pick_managed_process(ctx.user, key="signatures-process")
if process is None:
    st.stop()
process_id = process.id
show_flash()
st.caption(t("signatures.mode_caption", mode=t(f"signatures.mode_{process.signature_mode}")))
projects = {p.id: p for p in processes.list_projects(db.uow(), process_id)}
counts = support.support_counts(db.uow(), process_id)
st.dataframe(support_rows(counts, projects), hide_index=True, width="stretch")
for c in counts:
    if projects[c.project_id].status.value == "eligible" and c.threshold and not c.reached:
        st.warning(t("signatures.below_threshold", ref=projects[c.project_id].ref))
st.subheader(t("signatures.review"))
signed = support.review_signatures(db.uow(), ctx.user, process_id)
st.dataframe(signature_rows(signed, projects), hide_index=True, width="stretch")
strikable = {s.id: s for s in signed if s.state != "struck"}
with st.form("strike"):
    chosen = st.selectbox(
        t("signatures.strike_which"),
        list(strikable),
        format_func=lambda i: (
            f"#{i} · {projects[strikable[i].project_id].ref} · {strikable[i].name}"
        ),
    )
    reason = st.text_input(t("signatures.strike_reason"), max_chars=200)
    strike = st.form_submit_button(t("signatures.strike"), disabled=not strikable)
if strike and chosen is not None:
    try:
        done = support.strike_signature(db.uow(), ctx.user, chosen, reason)
    except VilcoError as error:
        show_error(error)
    else:
        flash(t("signatures.struck_below" if done.below_threshold else "signatures.struck"))
st.download_button(
    t("signatures.export"),
    support.export_signatures(db.uow(), ctx.user, process_id),
    f"signatures-process{process_id}.csv",
    "text/csv",
)
