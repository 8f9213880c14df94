"""The catalogue is complete in French, Dutch and English, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vilco_core.i18n import CATALOGUE, LANGUAGES, normalise_language, placeholders, translate

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "app.py",
    *(ROOT / "pages").glob("*.py"),
    *(ROOT / "vilco_ui").glob("*.py"),
    *(ROOT / "vilco_core").rglob("*.py"),
]
LITERAL_KEY = re.compile(r"""\b(?:t|translate|VilcoError)\(\s*["']([a-z_]+\.[a-z0-9_.-]+)["']""")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_i18n_every_key_has_all_languages_with_same_placeholders(key: str) -> None:
    texts = CATALOGUE[key]
    assert set(texts) == set(LANGUAGES), f"{key}: {sorted(texts)}"
    assert all(texts[lang].strip() for lang in LANGUAGES), key
    assert len({frozenset(placeholders(texts[lang])) for lang in LANGUAGES}) == 1, key


def test_i18n_every_literal_key_in_the_code_exists() -> None:
    used = {
        key for path in SOURCES for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no key: the pattern is broken"
    assert sorted(used - set(CATALOGUE)) == []


@pytest.mark.parametrize("prefix", ["phase", "status", "role", "kind", "rule"])
def test_i18n_every_enum_value_is_translated(prefix: str) -> None:
    from vilco_core.model import Phase, ProcessKind, ProjectStatus, Role
    from vilco_core.validation import ANNOUNCED_RULES

    values = {
        "phase": [p.value for p in Phase],
        "status": [s.value for s in ProjectStatus],
        "role": [r.value for r in Role],
        "kind": [k.value for k in ProcessKind],
        "rule": list(ANNOUNCED_RULES),
    }[prefix]
    assert [v for v in values if f"{prefix}.{v}" not in CATALOGUE] == []


def test_i18n_missing_key_is_marked_and_params_fill_in() -> None:
    assert translate("no.such.key", "fr") == "⟦no.such.key⟧"
    assert translate("home.running", "nl", count=2) == "Lopende processen: 2"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NL", "nl"),
        ("en-GB", "en"),
        ("", "fr"),
        (None, "fr"),
        ("<script>", "fr"),
        ("x" * 10_000, "fr"),
    ],
)
def test_i18n_normalise_language_defaults_to_french(raw: object, expected: str) -> None:
    assert normalise_language(raw) == expected
