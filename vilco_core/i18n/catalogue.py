"""The gettext catalogues: one `.po` file per domain and language, read through Babel.

Files follow the GNU gettext layout `locale/<language>/LC_MESSAGES/<domain>.po`, the layout
Babel's `update_catalog`/`compile_catalog`, Poedit and Weblate's file masks
(`vilco_core/i18n/locale/*/LC_MESSAGES/<domain>.po`) expect. Each entry's msgid is the stable
key (`nav.home`) and its msgstr the text: monolingual catalogues, English being a language
like the others (Weblate: "gettext PO file (monolingual)", English as the base file). A key's
domain follows from its prefix (`PREFIX_DOMAINS`); domains are the nouns of
`vilco_core.services`, plus `common` for navigation, actions, fields and errors.
"""

from __future__ import annotations

import runpy
import string
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALE_DIR: Final[Path] = Path(__file__).resolve().parent / "locale"

DOMAINS: Final[tuple[str, ...]] = (
    "common",
    "access",
    "processes",
    "staff",
    "draws",
    "ballots",
    "voting",
    "support",
    "panels",
    "evaluations",
    "audit",
    "resources",
)

# The rule that files a key: the part before its first dot names the domain.
PREFIX_DOMAINS: Final[Mapping[str, str]] = {
    **dict.fromkeys(("nav", "action", "field", "help", "errors", "config", "language"), "common"),
    "access": "access",
    **dict.fromkeys(
        ("home", "map", "processes", "projects", "phase", "kind", "status", "lock"), "processes"
    ),
    **dict.fromkeys(("login", "role"), "staff"),
    **dict.fromkeys(("draw", "draws", "sortition", "verify"), "draws"),
    **dict.fromkeys(("ballot", "ballot_kind", "results", "rule", "rules", "pabulib"), "ballots"),
    **dict.fromkeys(("envelope", "minsup"), "ballots"),
    **dict.fromkeys(("codes", "card", "vote", "poster", "tallies"), "voting"),
    **dict.fromkeys(("sign", "signatures"), "support"),
    **dict.fromkeys(("panel", "rec"), "panels"),
    "eval": "evaluations",
    **dict.fromkeys(("receipt", "audit", "backup"), "audit"),
    **dict.fromkeys(("resources", "booking", "space", "garage", "agenda"), "resources"),
}


def domain_of(key: str) -> str:
    """The domain whose catalogue holds `key` (by its prefix); a new prefix must be filed first."""
    prefix = key.split(".", 1)[0]
    try:
        return PREFIX_DOMAINS[prefix]
    except KeyError:
        raise ValueError(f"key {key!r}: add its prefix {prefix!r} to PREFIX_DOMAINS") from None


def po_path(directory: Path, language: str, domain: str) -> Path:
    return directory / language / "LC_MESSAGES" / f"{domain}.po"


def read_domain(path: Path) -> dict[str, str]:
    """A `.po` file's `key -> text`; untranslated and fuzzy entries count as missing (gettext)."""
    with path.open("rb") as file:
        catalog = read_po(file, abort_invalid=True)
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
        if not m.fuzzy
    }


def load_catalogue(directory: Path, languages: Sequence[str]) -> dict[str, dict[str, str]]:
    """`key -> language -> text` of every domain file of every language under `directory`."""
    merged: dict[str, dict[str, str]] = {}
    for language in languages:
        owner: dict[str, str] = {}
        for domain in DOMAINS:
            for key, text in read_domain(po_path(directory, language, domain)).items():
                if key in owner:
                    raise RuntimeError(f"{language}: key {key!r} in {owner[key]} and {domain}")
                owner[key] = domain
                merged.setdefault(key, {})[language] = text
    return merged


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects (used by the catalogue consistency check)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def catalogue_problems(directory: Path, languages: Sequence[str]) -> list[str]:
    """Everything that makes the catalogues under `directory` inconsistent, as sentences:
    a file missing or not parsing, a key in the wrong domain, a language missing for a key,
    an empty text, placeholders differing between languages."""
    problems: list[str] = []
    texts: dict[str, dict[str, str]] = {}
    for language in languages:
        for domain in DOMAINS:
            path = po_path(directory, language, domain)
            try:
                found = read_domain(path)
            except Exception as error:  # any reason (missing, unparsable) is a problem to report
                problems.append(f"{path}: {type(error).__name__}: {error}")
                continue
            for key, text in found.items():
                if PREFIX_DOMAINS.get(key.split(".", 1)[0]) != domain:
                    problems.append(f"{path}: {key} belongs to another domain")
                texts.setdefault(key, {})[language] = text
    for key, by_language in sorted(texts.items()):
        missing = [lang for lang in languages if not by_language.get(lang, "").strip()]
        if missing:
            problems.append(f"{key}: no text in {', '.join(missing)}")
        if len({frozenset(placeholders(text)) for text in by_language.values()}) > 1:
            problems.append(f"{key}: placeholders differ between languages")
    return problems


def write_domain(path: Path, language: str, messages: Iterable[tuple[str, str]]) -> None:
    """Write `(key, text)` pairs as one domain's `.po` file, keeping the header of an existing
    file (so its dates do not churn); entries keep the order given."""
    if path.exists():
        with path.open("rb") as file:
            catalog = read_po(file)
        for message in list(catalog):
            if message.id:
                catalog.delete(message.id)
    else:
        catalog = Catalog(
            locale=language,
            domain=path.stem,
            header_comment=f"# vilco: {path.stem} texts, language {language}.\n"
            "# msgid is the key the code uses, msgstr the text (monolingual catalogue).\n"
            "# Distributed under the same license as vilco (AGPL-3.0-or-later).",
            project="vilco",
            version="0.1.0",
            language_team=f"vilco {language}",
            fuzzy=False,
        )
    for key, text in messages:
        catalog.add(key, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=76)


def add_messages(
    messages: Mapping[str, Mapping[str, str]],
    directory: Path = LOCALE_DIR,
    languages: Sequence[str] | None = None,
) -> list[str]:
    """Fold a `MESSAGES` dict (`key -> {language: text}`, as in a `<stream>_new.py` module) into
    the catalogues: each key goes to the domain of its prefix, after the keys already there;
    a key that exists is replaced in place. Returns the domains touched."""
    langs = tuple(languages or sorted({lang for texts in messages.values() for lang in texts}))
    domains = sorted({domain_of(key) for key in messages})
    for language in langs:
        for domain in domains:
            path = po_path(directory, language, domain)
            current = read_domain(path) if path.exists() else {}
            for key, texts in messages.items():
                if domain_of(key) == domain and language in texts:
                    current[key] = texts[language]
            write_domain(path, language, current.items())
    return domains


def start_language(code: str, directory: Path = LOCALE_DIR, source: str = "en") -> list[Path]:
    """Create `code`'s catalogue files: every key of `source`'s files, with empty texts for the
    translators to fill in (like `pybabel init`); the header names the new language."""
    paths = []
    for domain in DOMAINS:
        keys = read_domain(po_path(directory, source, domain))
        path = po_path(directory, code, domain)
        if path.exists():
            raise FileExistsError(path)
        write_domain(path, code, ((key, "") for key in keys))
        paths.append(path)
    return paths


def fold_new_modules(
    package: Path = LOCALE_DIR.parent, directory: Path = LOCALE_DIR
) -> dict[str, list[str]]:
    """Fold every `<stream>_new.py` module of `package` (a `MESSAGES` dict, the way features
    written in parallel add keys) into the catalogues, then delete it. Returns, per module
    folded, the domains it touched. Languages are the ones each dict gives."""
    folded: dict[str, list[str]] = {}
    for path in sorted(package.glob("*_new.py")):
        messages = runpy.run_path(str(path)).get("MESSAGES")
        if not isinstance(messages, dict):
            raise ValueError(f"{path}: no MESSAGES dict")
        folded[path.name] = add_messages(messages, directory)
        path.unlink()
    return folded
