"""The current language of the session and the one translation function pages use: `t`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from vilco_core.i18n import (
    LANGUAGES,
    Language,
    field_label,
    language_name,
    normalise_language,
    translate,
)

LANG_KEY = "vilco_language"
_WIDGET_KEY = "vilco_language_picker"
# Each language by its own name (`language.name` in its catalogue), in the order of LANGUAGES.
LABELS = {code: language_name(code) for code in LANGUAGES}


def language() -> Language:
    """The session's language: chosen in the picker, else `?lang=` of the first URL, else fr."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalise_language(st.query_params.get("lang"))
    return normalise_language(st.session_state[LANG_KEY])


def t(key: str, /, **params: Any) -> str:
    return translate(key, language(), **params)


def label(field: str, /) -> str:
    """A form field's label (`name_fr`, `title_de`...), see `vilco_core.i18n.field_label`."""
    return field_label(field, language())


def _on_pick() -> None:
    st.session_state[LANG_KEY] = st.session_state[_WIDGET_KEY]


def language_picker() -> None:
    """The sidebar picker; its value lives under a non-widget key so it survives page changes."""
    current = language()
    st.session_state[_WIDGET_KEY] = current
    st.sidebar.radio(
        "🌐 " + "/".join(LABELS[code] for code in LANGUAGES),
        LANGUAGES,
        key=_WIDGET_KEY,
        format_func=LABELS.__getitem__,
        horizontal=True,
        on_change=_on_pick,
        label_visibility="collapsed",
    )


def labeller(prefix: str, values: list[str]) -> Callable[[object], str]:
    """A widget `format_func` for `prefix.value` keys, translated now: AppTest and reruns
    may call it outside the script run, where the session's language cannot be read."""
    texts = {value: t(f"{prefix}{value}") for value in values}
    return lambda value: texts.get(str(value), str(value))
