"""Signatures: support per project against the call's threshold; export for the commune."""

import streamlit as st

from vilco_core.services import processes, support
from vilco_ui import db
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process

ctx = setup("signatures")
assert ctx.user is not None
st.title(t("signatures.title"))
process = pick_managed_process(ctx.user, key="signatures-process")
if process is None:
    st.stop()
process_id = process.id
projects = {p.id: p for p in processes.list_projects(db.uow(), process_id)}
counts = support.support_counts(db.uow(), process_id)
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
    support.export_signatures(db.uow(), ctx.user, process_id),
    f"signatures-process{process_id}.csv",
    "text/csv",
)
