"""Results: the outcome of a process's vote under its announced rule, why each project won or
lost, greedy beside Equal Shares, the winners on the map, and the downloads (public); one tab
per envelope (district, theme, city-wide part, quarter) when the process has several."""

import datetime as dt

import streamlit as st

from vilco_core.services import processes
from vilco_ui import audit_view, db, envelopes_view, last_good, results_cache, results_view
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.widgets import pick_process

ctx = setup("results")
last_good.start()
st.title(t("results.title"))
listed = last_good.read("processes", lambda: processes.list_processes(db.reading()))
process_id = pick_process(listed, key="results-process")
if process_id is None:
    st.stop()
today = dt.date.today()
computed = last_good.read(("results", process_id, today),
                          lambda: results_view.compute(process_id, today))  # fmt: skip
if results_cache.pending(process_id):  # a large vote: a worker computes (newer) results
    results_view.wait_for_worker(process_id, computed[0].results if computed else None)
if not computed:
    st.stop()
audit_view.publish_action(ctx.user, computed[0].results.process)
envelopes_view.flow_note(computed)
for envelope, place in envelopes_view.tabs(computed):  # one per district, theme, city, quarter
    with place:
        envelopes_view.header(envelope, len(computed))
        results = envelope.results
        results_view.status(results)
        if results.ballot_count == 0:
            st.info(t("results.no_ballots"))
            continue
        results_view.outcome(results, key=envelope.key)
        st.subheader(t("results.map"))
        results_view.winners_map(results)
        st.subheader(t("results.downloads"))
        results_view.downloads(results, envelope.key)
envelopes_view.zip_download(computed)
audit_view.mix_note(process_id)
