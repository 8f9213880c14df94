"""The server entry point: `streamlit run serve.py` serves the app (`app.py`, its pages and
`.streamlit/config.toml`) and, beside it, the iCalendar feeds of shared resources
(`vilco_ui/feeds.py`: `/feeds/space-<id>.ics`, staff and booking feeds). At start it migrates
the database, or only checks it when a deployment migrates as its own step (`deploy/`)."""

import streamlit as st
from starlette.routing import Route

from vilco_ui import db, feeds

db.prepare_at_start()  # migrations, or only a check under VILCO_MIGRATE_AT_START=0
app = st.App("app.py", routes=[Route(feeds.ROUTE, feeds.feed, methods=["GET"])])
