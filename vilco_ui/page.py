"""The one call at the top of every page: page config, language, and the access guard.

A page can be the first script a fresh server runs (a QR code opening `/vote` before `app.py`
ever ran), so every page guards itself through `setup` instead of trusting the router.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from vilco_core.i18n import Language
from vilco_core.model import StaffUser
from vilco_ui import auth, pages_table, router
from vilco_ui.i18n import language, language_picker, t


@dataclass(frozen=True, slots=True, kw_only=True)
class PageContext:
    language: Language
    user: StaffUser | None


def setup(name: str) -> PageContext:
    """Configure page `name` (its row in `vilco_ui.pages_table`; a page may pass `__file__`)
    and stop it, with a translated message, for the wrong audience: a staff page opens only
    for a logged-in staff user with one of the row's roles.
    """
    spec = pages_table.page_named(name)
    st.set_page_config(page_title=f"{t(spec.title_key)} · vilco", page_icon="🏛️", layout=spec.layout)
    if not st.session_state.get(router.ROUTED_KEY):  # a deep link ran this page without app.py
        auth.start()
        router.navigation()
        st.rerun()  # run again through the router now registered, before drawing anything
    language_picker()
    user = auth.current_user()
    if spec.roles is not None:
        if user is None:
            st.warning(t("access.login_required"))
            _link_to_login()
            st.stop()
        if user.role not in spec.roles:
            st.error(t("access.forbidden"))
            st.stop()
    return PageContext(language=language(), user=user)


def _link_to_login() -> None:
    try:
        st.page_link("pages/login.py", label=t("nav.login"), icon="🔑")
    except Exception:  # the router has not registered the page yet (deep link on a fresh server)
        st.markdown(f"[{t('nav.login')}](/login)")
