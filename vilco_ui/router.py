"""The navigation: which pages this session's user sees, with translated titles.

`app.py` runs it on every run. A page opened by a deep link on a fresh server runs without
`app.py` (Streamlit falls back to the `pages/` folder); `vilco_ui.page.setup` then registers
this navigation itself, so the sidebar and later page changes go through the router again.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from vilco_core.model import Role
from vilco_ui import auth
from vilco_ui.i18n import language, t

ROUTED_KEY = "_vilco_routed"
# Absolute paths: a page run on its own (a deep link, AppTest) resolves relative paths against
# its own folder, where `pages/home.py` does not exist.
PAGES = Path(__file__).resolve().parent.parent / "pages"


def _pages() -> dict[str, st.Page]:
    """This run's pages: fresh copies of the pages built once per language (building them
    resolves every path on disk, half of a vote's run under load). Copies, because
    `st.navigation` marks the page it returns as callable once, per run."""
    return {name: copy.copy(page) for name, page in _built(language()).items()}


@functools.lru_cache(maxsize=8)
def _built(lang: str) -> dict[str, st.Page]:
    del lang  # cache key: the titles below are in this language
    return {
        "home": st.Page(PAGES / "home.py", title=t("nav.home"), icon=":material/home:",
                        url_path="home", default=True),
        "map": st.Page(PAGES / "map.py", title=t("nav.map"), icon=":material/map:", url_path="map"),
        "processes": st.Page(PAGES / "processes.py", title=t("nav.processes"),
                             icon=":material/folder_open:", url_path="processes"),
        "projects": st.Page(PAGES / "projects.py", title=t("nav.projects"),
                            icon=":material/list_alt:", url_path="projects"),
        "draw": st.Page(PAGES / "draw.py", title=t("nav.draw"), icon=":material/casino:",
                        url_path="draw"),
        "verify": st.Page(PAGES / "verify.py", title=t("nav.verify"), icon=":material/verified:",
                          url_path="verify"),
        "sign": st.Page(PAGES / "sign.py", title=t("nav.sign"), icon=":material/draw:",
                        url_path="sign"),
        "codes": st.Page(PAGES / "codes.py", title=t("nav.codes"), icon=":material/qr_code:",
                         url_path="codes"),
        "posters": st.Page(PAGES / "posters.py", title=t("nav.posters"),
                           icon=":material/print:", url_path="posters"),
        "signatures": st.Page(PAGES / "signatures.py", title=t("nav.signatures"),
                              icon=":material/how_to_reg:", url_path="signatures"),
        "vote": st.Page(PAGES / "vote.py", title=t("nav.vote"), icon=":material/how_to_vote:",
                        url_path="vote"),
        "tallies": st.Page(PAGES / "tallies.py", title=t("nav.tallies"),
                           icon=":material/ballot:", url_path="tallies"),
        "results": st.Page(PAGES / "results.py", title=t("nav.results"),
                           icon=":material/how_to_vote:", url_path="results"),
        "login": st.Page(PAGES / "login.py", title=t("nav.login"), icon=":material/key:",
                         url_path="login"),
        "receipt": st.Page(PAGES / "receipt.py", title=t("nav.receipt"),
                           icon=":material/receipt_long:", url_path="receipt"),
        "panel": st.Page(PAGES / "panel.py", title=t("nav.panel"), icon=":material/groups:",
                         url_path="panel"),
        "sessions": st.Page(PAGES / "sessions.py", title=t("nav.sessions"),
                            icon=":material/forum:", url_path="sessions"),
        "projector": st.Page(PAGES / "projector.py", title=t("nav.projector"),
                             icon=":material/tv:", url_path="projector"),
        "evaluate": st.Page(PAGES / "evaluate.py", title=t("nav.evaluate"),
                            icon=":material/rate_review:", url_path="evaluate"),
        "evaluations": st.Page(PAGES / "evaluations.py", title=t("nav.evaluations"),
                               icon=":material/insights:", url_path="evaluations"),
        "recommendation": st.Page(PAGES / "recommendation.py", title=t("nav.recommendation"),
                                  icon=":material/recommend:", url_path="recommendation"),
    }  # fmt: skip


def navigation() -> StreamlitPage:
    """Register every page (each guards itself), so a deep link to a staff page reaches its
    translated refusal; the sidebar menu lists only what this session's user may open."""
    st.session_state[ROUTED_KEY] = True
    pages = _pages()
    current = st.navigation(list(pages.values()), position="hidden")
    user = auth.current_user()
    visible = {
        t("nav.section_public"): ["home", "map", "results", "recommendation", "receipt", "verify"],
        t("nav.section_staff"): [],
    }
    if user is not None and user.role in (Role.ADMIN, Role.FACILITATOR):
        visible[t("nav.section_staff")] += ["processes", "projects", "draw"]
    visible[t("nav.section_public")] += ["vote", "sign", "panel", "evaluate"]
    if user is not None and user.role in (Role.ADMIN, Role.FACILITATOR):
        visible[t("nav.section_staff")] += ["codes", "posters", "signatures"]
        visible[t("nav.section_staff")] += ["sessions", "projector", "evaluations"]
    if user is not None:
        visible[t("nav.section_staff")].append("tallies")
    visible[t("nav.section_staff")].append("login")
    for section, names in visible.items():
        st.sidebar.caption(section)
        for name in names:
            title = t("nav.account") if name == "login" and user is not None else None
            st.sidebar.page_link(pages[name], label=title)
    return current
