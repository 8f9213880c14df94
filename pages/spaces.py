"""Spaces and garage (public): citizen initiatives find a commune's space on the map or in the
list, or garage items, see the agenda of free and taken slots (never who booked) and ask for
one: confirmed at once or on approval, with a reference and a secret follow link."""

import streamlit as st

from vilco_core.resources import ResourceKind
from vilco_core.services import resources
from vilco_ui import booking_view, db
from vilco_ui.i18n import t
from vilco_ui.onsite import inline_language_picker
from vilco_ui.page import setup
from vilco_ui.widgets import inert_markdown

ctx = setup("spaces")
inline_language_picker()
st.title(t("booking.title"))
if booking_view.show_receipt():
    st.stop()
chosen = booking_view.chosen_resource()
if chosen is None:
    st.caption(t("booking.intro"))
    kind = booking_view.kind_picker()
    found = resources.list_resources(db.uow(), kind)
    if kind is ResourceKind.SPACE:
        booking_view.space_map(found)
    booking_view.resource_cards(found)
    st.stop()
st.button(t("booking.back"), icon=":material/arrow_back:", on_click=booking_view.choose,
          args=(None,))  # fmt: skip
with st.container(border=True):
    booking_view.resource_facts(chosen)
    if chosen.description.get(ctx.language):
        st.markdown(inert_markdown(chosen.description.get(ctx.language)))
    if chosen.rules.get(ctx.language):
        st.caption(":material/rule: " + inert_markdown(chosen.rules.get(ctx.language)))
times = booking_view.agenda_and_times(chosen)
request = booking_view.request_form(chosen, times)
if request is not None:
    booking_view.send_request(chosen, request)
