"""Signatures: support per project against the call's threshold; export for the commune."""

import streamlit as st

from vilco_core import services, voting
from vilco_ui import db
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.widgets import pick_process

ctx = setup("signatures")
assert ctx.user is not None
st.title(t("signatures.title"))
processes = [p for p in services.list_processes(db.uow()) if ctx.user.may_manage(p)]
process_id = pick_process(processes, key="signatures-process")
if process_id is None:
    st.stop()
projects = {p.id: p for p in services.list_projects(db.uow(), process_id)}
counts = voting.support_counts(db.uow(), process_id)
st.dataframe(
    [
        {
            t("field.ref"): projects[c.project_id].ref,
            t("field.title"): projects[c.project_id].title.get(ctx.language),
            t("signatures.col_count"): c.signatures,
            t("signatures.col_threshold"): c.threshold or "—",
            t("signatures.col_missing"): c.missing if c.threshold else "—",
            t("field.status"): t(f"status.{projects[c.project_id].status.value}"),
        }
        for c in counts
    ],
    hide_index=True,
    width="stretch",
)
st.download_button(
    t("signatures.export"),
    voting.export_signatures(db.uow(), ctx.user, process_id),
    f"signatures-process{process_id}.csv",
    "text/csv",
)
