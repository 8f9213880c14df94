"""Processes: create and edit participatory budgets and calls for projects (staff)."""

import datetime as dt

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import processes
from vilco_ui import db
from vilco_ui.forms import process_form
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.widgets import euros, flash, show_error, show_flash

ctx = setup("processes")
assert ctx.user is not None
st.title(t("processes.title"))
show_flash()
managed = processes.list_managed_processes(db.uow(), ctx.user)
choices = [None, *[p.id for p in managed]]
names = {p.id: p.name.get(ctx.language) for p in managed}
chosen = st.selectbox(
    t("processes.edit_which"),
    choices,
    format_func={None: t("processes.new"), **names}.__getitem__,
)
current = next((p for p in managed if p.id == chosen), None)
today = dt.date.today()
locked = current is not None and processes.is_locked(db.uow(), current.id or 0, today)
edited = process_form(current, ctx.user, locked)
if edited is not None:
    try:
        process_id = processes.save_process(db.uow(), ctx.user, edited, today)
    except VilcoError as error:
        show_error(error)
    else:
        st.session_state["vilco_process_id"] = process_id
        flash(t("processes.saved", name=edited.name.get(ctx.language)))
if current is not None and current.rolling:
    st.subheader(t("processes.quarters"))
    st.dataframe(
        [
            {
                t("field.quarter"): f"Q{q.quarter}",
                t("field.starts_on"): q.starts_on,
                t("field.ends_on"): q.ends_on,
                t("field.amount"): euros(q.amount_cents),
            }
            for q in current.quarterly_envelopes()
        ],
        hide_index=True,
    )
