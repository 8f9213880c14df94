"""Translation catalogue: every string a person sees, in French, Dutch and English.

The catalogue is split by area (one module each, a `MESSAGES` dict of
`key -> {"fr": ..., "nl": ..., "en": ...}`) so that features add keys without touching each
other. `translate` formats `{placeholders}` with `str.format`; a missing key comes back as
`⟦key⟧` so tests can spot it on a rendered page.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Mapping
from typing import Any, Final, Literal

Language = Literal["fr", "nl", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("fr", "nl", "en")
DEFAULT_LANGUAGE: Final[Language] = "fr"
MISSING_MARK: Final[str] = "⟦"


def _load_catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, texts in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"translation key {key!r} defined twice ({info.name})")
            merged[key] = dict(texts)
    return merged


CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = _load_catalogue()


def normalise_language(value: object) -> Language:
    """The language named by `value` (any case, e.g. from a URL), else the default (French)."""
    text = str(value).strip().lower()[:2] if value is not None else ""
    for language in LANGUAGES:
        if text == language:
            return language
    return DEFAULT_LANGUAGE


def translate(key: str, language: str, /, **params: Any) -> str:
    """The text for `key` in `language`, with `params` filled in; `⟦key⟧` when unknown."""
    texts = CATALOGUE.get(key)
    if texts is None:
        return f"{MISSING_MARK}{key}⟧"
    template = texts.get(normalise_language(language)) or texts["en"]
    try:
        return template.format(**params) if params else template
    except (KeyError, IndexError, ValueError):
        return template


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects (used by the catalogue consistency test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def translate_error(code: str, params: Mapping[str, Any], language: str) -> str:
    """An error's text; a problem located in a file row is prefixed with its row number."""
    values = dict(params)
    field = values.get("field")
    if isinstance(field, str) and f"field.{field}" in CATALOGUE:
        values["field"] = translate(f"field.{field}", language)
    message = translate(code, language, **values)
    if "row" in values:
        return translate("errors.in_row", language, row=values["row"], message=message)
    return message
