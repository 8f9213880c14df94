"""The navigation: which pages this session's user sees, with translated titles.

`app.py` runs it on every run. A page opened by a deep link on a fresh server runs without
`app.py` (Streamlit falls back to the `pages/` folder); `vilco_ui.page.setup` then registers
this navigation itself, so the sidebar and later page changes go through the router again.
The pages, their roles and their order come from `vilco_ui.pages_table`.
"""

from __future__ import annotations

import copy
import functools

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from vilco_ui import auth, pages_table
from vilco_ui.i18n import language, t
from vilco_ui.pages_table import PageSpec

ROUTED_KEY = "_vilco_routed"


def _pages() -> dict[str, st.Page]:
    """This run's pages: fresh copies of the pages built once per language (building them
    resolves every path on disk, half of a vote's run under load). Copies, because
    `st.navigation` marks the page it returns as callable once, per run."""
    built = _built(language(), pages_table.PAGES)
    return {name: copy.copy(page) for name, page in built.items()}


@functools.lru_cache(maxsize=8)
def _built(lang: str, table: tuple[PageSpec, ...]) -> dict[str, st.Page]:
    del lang  # cache key: the titles below are in this language
    return {
        spec.name: st.Page(
            spec.path,
            title=t(spec.title_key),
            icon=spec.icon,
            url_path=spec.name,
            default=spec.default,
        )
        for spec in table
    }


def navigation() -> StreamlitPage:
    """Register every page (each guards itself), so a deep link to a staff page reaches its
    translated refusal; the sidebar menu lists only what this session's user may open."""
    st.session_state[ROUTED_KEY] = True
    pages = _pages()
    current = st.navigation(list(pages.values()), position="hidden")
    user = auth.current_user()
    for section, caption_key in pages_table.SECTIONS.items():
        st.sidebar.caption(t(caption_key))
        for spec in pages_table.PAGES:
            if spec.section == section and spec.listed(user):
                label_key = spec.signed_in_title_key if user is not None else None
                st.sidebar.page_link(pages[spec.name], label=label_key and t(label_key))
    return current
