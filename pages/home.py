"""Home: the processes running now and their phase."""

import datetime as dt

import streamlit as st

from vilco_core.communes import COMMUNES_BY_CODE
from vilco_core.services import processes
from vilco_ui import db
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.widgets import euros

ctx = setup("home")
st.title(t("home.title"))
st.write(t("home.intro"))

summaries = processes.summarise_processes(db.reading(), dt.date.today())
running = [s for s in summaries if s.phase is not None]
st.subheader(t("home.running", count=len(running)))
if not summaries:
    st.info(t("processes.none"))
for summary in summaries:
    process = summary.process
    with st.container(border=True):
        st.markdown(f"### {process.name.get(ctx.language)}", help=None)
        communes = ", ".join(
            COMMUNES_BY_CODE[c].name.get(ctx.language) for c in process.commune_codes
        )
        phase = t(f"phase.{summary.phase.value}") if summary.phase else t("phase.none")
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(t("field.phase"), phase)
        c2.metric(t("field.envelope"), euros(process.envelope_cents))
        c3.metric(t("home.projects"), summary.project_count)
        c4.metric(t("field.communes"), communes)
        windows = {w.phase: w for w in process.phases}
        if summary.phase in windows:
            w = windows[summary.phase]
            st.caption(
                t("home.phase_dates", start=w.starts_on.isoformat(), end=w.ends_on.isoformat())
            )
