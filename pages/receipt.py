"""Check a receipt (public): a resident types the receipt shown after voting and sees whether
that ballot is stored and counted. Nothing is written; a link may carry it as `?r=`."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import audit
from vilco_ui import audit_view, db
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.widgets import show_error

setup("receipt")
st.title(t("receipt.title"))
st.markdown(t("receipt.intro"))
given = st.query_params.get("r", "")
with st.form("receipt-form"):
    typed = st.text_input(t("receipt.field"), value=given[:40], max_chars=40)
    asked = st.form_submit_button(t("receipt.check"), type="primary")
if asked or given:
    try:
        found = audit.check_receipt(db.reading(), typed)
    except VilcoError as error:
        show_error(error)
    else:
        if found.counted and found.pending:
            st.success(t("receipt.pending", receipt=found.receipt, day=found.cast_on))
        elif found.counted:
            st.success(t("receipt.counted", receipt=found.receipt, day=found.cast_on))
        else:
            st.warning(t("receipt.not_counted", receipt=found.receipt))
audit_view.head_note()
