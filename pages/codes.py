"""Codes: issue batches of one-time voting or support codes, print their cards, void them."""

import streamlit as st

from vilco_core import codes as code_rules
from vilco_core.errors import VilcoError
from vilco_core.services import voting
from vilco_ui import db
from vilco_ui.i18n import labeller, t
from vilco_ui.onsite import issued_downloads, today
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process
from vilco_ui.widgets import flash, show_error, show_flash

ctx = setup("codes")
assert ctx.user is not None
st.title(t("codes.title"))
process = pick_managed_process(ctx.user, key="codes-process")
if process is None:
    st.stop()
process_id = process.id
show_flash()
issued = st.session_state.get("vilco_issued_batch")
if isinstance(issued, voting.IssuedBatch) and issued.process_id == process_id:
    issued_downloads(issued)
batches = voting.list_code_batches(db.uow(), process_id)
st.subheader(t("codes.batches"))
if not batches:
    st.info(t("codes.none"))
else:
    st.dataframe(
        [
            {
                t("codes.col_batch"): b.id,
                t("codes.purpose"): t(f"codes.purpose_{b.purpose}"),
                t("codes.label"): b.label,
                t("codes.col_issued"): b.issued_on,
                t("codes.col_by"): b.issued_by,
                t("codes.col_unused"): b.unused,
                t("codes.col_spent"): b.spent,
                t("codes.col_void"): b.void,
            }
            for b in batches
        ],
        hide_index=True,
    )
with st.form("issue-codes"):
    st.subheader(t("codes.issue"))
    count = st.number_input(t("codes.count"), 1, voting.MAX_BATCH, 100)
    label = st.text_input(t("codes.label"), max_chars=120)
    purposes = list(code_rules.PURPOSES)
    purpose = st.radio(t("codes.purpose"), purposes, horizontal=True,
                       format_func=labeller("codes.purpose_", purposes))  # fmt: skip
    issue = st.form_submit_button(t("codes.issue_button"))
with st.expander(t("codes.void_batch")):
    batch_id = st.selectbox(t("codes.col_batch"), [b.id for b in batches], key="void-batch")
    void = st.button(t("codes.void_batch"), disabled=batch_id is None)
with st.expander(t("codes.void_one")):
    lost = st.text_input(t("vote.enter_code"), max_chars=64, key="void-code")
    void_one = st.button(t("codes.void_button"), disabled=not lost)
try:
    if issue:
        batch = voting.issue_codes(db.uow(), ctx.user, process_id, int(count), today(), label,
                                   code_rules.parse_purpose(purpose))  # fmt: skip
        st.session_state["vilco_issued_batch"] = batch
        st.rerun()
    if void and batch_id is not None:
        flash(t("codes.voided", count=voting.void_batch(db.uow(), ctx.user, batch_id)))
    if void_one:
        done = voting.void_code(db.uow(), ctx.user, lost)
        flash(t("codes.voided", count=1) if done else t("codes.not_voided"))
except VilcoError as error:
    show_error(error)
