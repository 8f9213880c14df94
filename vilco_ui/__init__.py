"""Streamlit glue shared by the pages: page guard, language, database, login, widgets."""
