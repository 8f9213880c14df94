"""vilco's router: page config, staff login (one authenticator per run), navigation."""

import streamlit as st

from vilco_ui import auth, router

st.set_page_config(page_title="vilco", page_icon="🏛️", layout="wide")
auth.start()
router.navigation().run()
