"""The last good answer of a public read, for when the database is briefly out of reach.

Public screens (results, projector) read through `read(key, fetch)`: a good answer is kept for
this server process (they are the same for everyone); if the database does not answer
(`errors.database_unavailable`), the page shows the last good answer under a translated notice
instead of an error, and catches up by itself once the database is back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_ui.i18n import t

T = TypeVar("T")
SHOWN_KEY = "_vilco_last_good_shown"


@st.cache_resource(show_spinner=False)
def _answers() -> dict[Hashable, object]:
    return {}


def start() -> None:
    """Call once per run, before the reads: the notice shows at most once a run."""
    st.session_state[SHOWN_KEY] = False


def read(key: Hashable, fetch: Callable[[], T], *, notice: bool = True) -> T:
    answers = _answers()
    try:
        value = fetch()
    except VilcoError as error:
        if error.code != "errors.database_unavailable" or key not in answers:
            raise
        if notice and not st.session_state.get(SHOWN_KEY):
            st.warning(t("errors.showing_last_good"), icon=":material/cloud_off:")
            st.session_state[SHOWN_KEY] = True
        return cast(T, answers[key])
    answers[key] = value
    return value
