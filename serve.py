"""The server entry point: `streamlit run serve.py` serves the app (`app.py`, its pages and
`.streamlit/config.toml`) and, beside it, the iCalendar feeds of shared resources
(`vilco_ui/feeds.py`: `/feeds/space-<id>.ics`, staff and booking feeds)."""

import streamlit as st
from starlette.routing import Route

from vilco_ui import feeds

app = st.App("app.py", routes=[Route(feeds.ROUTE, feeds.feed, methods=["GET"])])
