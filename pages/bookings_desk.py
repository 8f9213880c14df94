"""Bookings desk (staff): overdue returns first, then the requests to decide, the confirmed
bookings of the coming days (key or items handed over and taken back, premises notes, the
agent's evaluation) and everything still out."""

import datetime as dt

import streamlit as st

from vilco_core.resources import BookingStatus
from vilco_core.services import bookings, handovers, resources
from vilco_ui import db, desk_view
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.resources_view import brussels_day
from vilco_ui.widgets import show_flash

ctx = setup("bookings_desk")
user = ctx.user
assert user is not None
current = desk_view.now()
st.title(t("space.desk_title"))
by_id = {r.id or 0: r for r in resources.list_managed_resources(db.uow(), user)}
show_flash()
desk_view.overdue_banner(handovers.overdue_bookings(db.uow(), user, current), by_id, current)
waiting = bookings.list_bookings(db.uow(), user, status=BookingStatus.REQUESTED)
confirmed = bookings.list_bookings(db.uow(), user, status=BookingStatus.CONFIRMED)
out = [b for b in confirmed if b.handed_at is not None and b.returned_at is None]
st.caption(t("space.summary", requests=len({b.reference for b in waiting}), out=len(out)))
asked, planned, away = st.tabs(  # stable labels: the open tab survives an action's rerun
    [t("space.tab_requests"), t("space.tab_bookings"), t("space.tab_out")],
    key="space-desk-tab",
    on_change="rerun",
)
with asked:
    desk_view.requests_section(user, waiting, by_id)
with planned:
    c1, c2, c3 = st.columns([1, 1, 2])
    first = c1.date_input(t("space.from_day"), brussels_day(current), key="space-desk-from",
                          format="DD/MM/YYYY")  # fmt: skip
    days = c2.selectbox(t("space.days"), [1, 7, 14, 31], index=1, key="space-desk-days")
    names = {i: r.name.get(ctx.language) for i, r in by_id.items()}
    only = c3.multiselect(t("space.only"), list(names), format_func=names.__getitem__,
                          key="space-desk-only", placeholder=t("space.all"))  # fmt: skip
    shown = [
        b
        for b in confirmed
        if desk_view.in_window(b, first if isinstance(first, dt.date) else current.date(), days)
        and (not only or b.resource_id in only)
    ]
    desk_view.day_sections(user, shown, by_id, current, "day")
with away:
    desk_view.day_sections(user, out, by_id, current, "out")
