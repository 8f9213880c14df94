"""Tallies: the poll officer types paper ballots for a site (one, or a batch), records
recounts, reconciles paper with phone per site, and follows the live counts (staff)."""

import datetime as dt

import streamlit as st

from vilco_core.ballots import paper_line
from vilco_core.errors import VilcoError
from vilco_core.i18n import translate_error
from vilco_core.services import ballots, processes, voting
from vilco_ui import db
from vilco_ui.i18n import t
from vilco_ui.onsite import log_rows, paper_ballot, reconciliation_rows, tally_tables
from vilco_ui.page import setup
from vilco_ui.widgets import flash, pick_process, show_error, show_flash

ctx = setup("tallies")
assert ctx.user is not None
st.title(t("tallies.title"))
show_flash()
entered = processes.list_entered_processes(db.uow(), ctx.user)
process_id = pick_process(entered, key="tallies-process")
sites = {s.id: s for s in processes.list_sites(db.uow(), process_id)} if process_id else {}
if process_id is None or not sites:
    st.info(t("codes.no_sites"))
    st.stop()
process = next(p for p in entered if p.id == process_id)
site_id = st.selectbox(t("codes.site"), list(sites), format_func=lambda i: sites[i].name)
now = dt.datetime.now(dt.UTC)
late = voting.paper_entry_late(process, now)
if late:
    st.warning(t("tallies.late_warning", end=voting.vote_end(process)))
one, batch, recount = st.tabs([t("tallies.one"), t("tallies.batch"), t("tallies.recount")])
with one, st.form("paper-one", clear_on_submit=True):
    code = st.text_input(t("vote.enter_code"), max_chars=64)
    paper = paper_ballot(process.ballot_rules(), ballots.list_ballot_projects(db.uow(), process_id))
    reason_one = (
        st.text_input(t("tallies.late_reason"), max_chars=200, key="late-one") if late else ""
    )
    save_one = st.form_submit_button(t("action.save"), type="primary")
with batch, st.form("paper-batch"):
    text = st.text_area(t("tallies.batch_help"), height=180, max_chars=200_000)
    reason_batch = (
        st.text_input(t("tallies.late_reason"), max_chars=200, key="late-batch") if late else ""
    )
    save_batch = st.form_submit_button(t("tallies.save_batch"))
with recount, st.form("recount"):
    counted = st.number_input(t("tallies.counted"), 0, 1_000_000, 0)
    note = st.text_input(t("tallies.note"), max_chars=200)
    save_recount = st.form_submit_button(t("tallies.save_recount"))
try:
    if save_one or save_batch:
        lines_text = paper_line(code, paper) if save_one else text
        lines, bad = voting.parse_paper_lines(lines_text, process.ballot.kind)
        reason = reason_one if save_one else reason_batch
        outcome = voting.enter_paper_ballots(
            db.uow(), ctx.user, site_id, lines, now, len(bad), late_reason=reason
        )
        for number, error in sorted([*bad, *outcome.refused], key=lambda x: x[0]):
            message = translate_error(error.code, error.params, ctx.language)
            st.error(t("tallies.refused_line", line=number, message=message))
        st.success(t("tallies.stored", count=outcome.stored))
    if save_recount:
        voting.record_recount(db.uow(), ctx.user, site_id, int(counted), now, note)
        flash(t("tallies.recorded"))
except VilcoError as error:
    show_error(error)
rows = voting.reconcile_sites(db.uow(), process_id)
st.subheader(t("tallies.reconciliation"))
st.dataframe(reconciliation_rows(rows), hide_index=True, width="stretch")
gaps = [r.site.name for r in rows if r.discrepancy]
if gaps:
    st.warning(t("tallies.gaps", sites=", ".join(gaps)))
with st.expander(t("tallies.log")):
    st.dataframe(log_rows(rows), hide_index=True, width="stretch")
st.subheader(t("tallies.live"))
tally_tables(process_id, ballots.live_tally(db.uow(), process_id))
