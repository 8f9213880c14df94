"""Staff login and logout."""

import streamlit as st

from vilco_ui import auth
from vilco_ui.i18n import t
from vilco_ui.page import setup

ctx = setup("login")
if ctx.user is None:
    st.title(t("login.heading"))
    auth.login_form()
    if st.session_state.get("authentication_status"):
        st.rerun()
else:
    st.title(t("login.welcome", name=ctx.user.name))
    st.write(t("login.role", role=t(f"role.{ctx.user.role.value}")))
    auth.logout_button()
