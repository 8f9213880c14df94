"""Follow a booking (public, `/booking?t=TOKEN`): the secret link an initiative got with its
reference shows that request only — status, times, access instructions once confirmed, its
calendar file, cancelling, premises notes and, after the booking, the evaluation."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import bookings
from vilco_ui import db, follow_view
from vilco_ui.i18n import t
from vilco_ui.onsite import inline_language_picker, url_params
from vilco_ui.page import setup
from vilco_ui.widgets import show_error

ctx = setup("booking")
params = url_params(["t"])
inline_language_picker()
st.title(t("booking.follow_title"))
token = follow_view.follow_token(params)
if token is None:
    st.stop()
try:
    followed = bookings.follow_booking(db.uow(), token)
except VilcoError as error:
    show_error(error)
    st.button(t("booking.follow_other"), on_click=follow_view.forget_token)
    st.stop()
follow_view.show_followed(followed)
follow_view.cancel_section(token, followed)
follow_view.notes_section(token, followed)
follow_view.evaluation_section(token, followed)
