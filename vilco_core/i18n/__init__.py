"""Translation catalogue: every string a person sees, in each language of `LANGUAGES`.

The texts live in gettext catalogues, one `.po` file per domain and language under `locale/`
(see `vilco_core.i18n.catalogue`), read once at import. `translate` formats `{placeholders}`
with `str.format` and falls back to English; a missing key comes back as `⟦key⟧` so tests can
spot it on a rendered page. A `Catalogue` can also be read from another directory with other
languages (tests add a toy language that way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast, get_args

from vilco_core.i18n.catalogue import LOCALE_DIR, load_catalogue, placeholders

# Adding a language: its code here (the first is the default), and its `.po` files
# under locale/<code>/LC_MESSAGES/ (see DEVELOPERS.md).
Language = Literal["fr", "nl", "en"]
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
DEFAULT_LANGUAGE: Final[Language] = LANGUAGES[0]  # French, also for an unknown language
FALLBACK_LANGUAGE: Final = "en"
MISSING_MARK: Final[str] = "⟦"

__all__ = [
    "CATALOGUE",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MISSING_MARK",
    "Catalogue",
    "Language",
    "field_label",
    "language_name",
    "normalise_language",
    "placeholders",
    "translate",
    "translate_error",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalogue:
    """The texts of some languages: `texts[key][language]`."""

    languages: tuple[str, ...]
    texts: Mapping[str, Mapping[str, str]]

    @classmethod
    def read(cls, directory: Path, languages: Sequence[str]) -> Catalogue:
        return cls(languages=tuple(languages), texts=load_catalogue(directory, languages))

    def normalise(self, value: object) -> str:
        """The language named by `value` (any case, e.g. from a URL), else the first one."""
        text = str(value).strip().lower()[:2] if value is not None else ""
        return text if text in self.languages else self.languages[0]

    def translate(self, key: str, language: str, /, **params: Any) -> str:
        texts = self.texts.get(key)
        if texts is None:
            return f"{MISSING_MARK}{key}⟧"
        template = texts.get(self.normalise(language)) or texts[FALLBACK_LANGUAGE]
        try:
            return template.format(**params) if params else template
        except (KeyError, IndexError, ValueError):
            return template

    def field_label(self, field: str, language: str) -> str:
        """A field's name: `field.<field>`; for a text in a language with no key of its own
        (`title_de`), `field.<text>` followed by the language's own name; else `field`."""
        if f"field.{field}" in self.texts:
            return self.translate(f"field.{field}", language)
        text, _, code = field.rpartition("_")
        if code in self.languages and f"field.{text}" in self.texts:
            label = self.translate(f"field.{text}", language)
            own_name = self.translate("language.name", code)
            return self.translate("field.in_language", language, field=label, language=own_name)
        return field


_CATALOGUE: Final[Catalogue] = Catalogue.read(LOCALE_DIR, LANGUAGES)
CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = _CATALOGUE.texts


def normalise_language(value: object) -> Language:
    """The language named by `value` (any case, e.g. from a URL), else the default (French)."""
    return cast(Language, _CATALOGUE.normalise(value))


def translate(key: str, language: str, /, **params: Any) -> str:
    """The text for `key` in `language`, with `params` filled in; `⟦key⟧` when unknown."""
    return _CATALOGUE.translate(key, normalise_language(language), **params)


def language_name(language: Language) -> str:
    """A language's name in that language (the language picker's label)."""
    return translate("language.name", language)


def field_label(field: str, language: str) -> str:
    """A form field's name (`name_fr` → "Name (French)") in `language`."""
    return _CATALOGUE.field_label(field, normalise_language(language))


def translate_error(code: str, params: Mapping[str, Any], language: str) -> str:
    """An error's text; a problem located in a file row is prefixed with its row number."""
    values = dict(params)
    field = values.get("field")
    if isinstance(field, str):
        values["field"] = field_label(field, language)
    message = translate(code, language, **values)
    if "row" in values:
        return translate("errors.in_row", language, row=values["row"], message=message)
    return message
