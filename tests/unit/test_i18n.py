"""The catalogue is complete in every language, and every key the code uses exists."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from vilco_core.i18n import (
    CATALOGUE,
    LANGUAGES,
    Catalogue,
    normalise_language,
    placeholders,
    translate,
)
from vilco_core.i18n.catalogue import (
    DOMAINS,
    LOCALE_DIR,
    add_messages,
    catalogue_problems,
    domain_of,
    fold_new_modules,
    po_path,
    read_domain,
    start_language,
    write_domain,
)

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


def test_i18n_catalogue_files_parse_and_every_domain_exists_in_every_language() -> None:
    assert catalogue_problems(LOCALE_DIR, LANGUAGES) == []
    found = {p.relative_to(LOCALE_DIR).as_posix() for p in LOCALE_DIR.rglob("*.po")}
    assert found == {f"{lang}/LC_MESSAGES/{d}.po" for lang in LANGUAGES for d in DOMAINS}


def test_i18n_no_key_is_written_twice() -> None:
    """A key written twice in one file (two merges adding it) silently keeps one text."""
    twice = {}
    for path in LOCALE_DIR.rglob("*.po"):
        keys = re.findall(r'^msgid "(.+)"$', path.read_text(), flags=re.MULTILINE)
        if doubled := sorted({k for k in keys if keys.count(k) > 1}):
            twice[path.relative_to(LOCALE_DIR).as_posix()] = doubled
    keys_by_file = [
        re.findall(r'^msgid "(.+)"$', p.read_text(), flags=re.MULTILINE)
        for p in sorted(LOCALE_DIR.glob("fr/LC_MESSAGES/*.po"))
    ]
    across = [k for k in {k for keys in keys_by_file for k in keys}
              if sum(k in keys for keys in keys_by_file) > 1]  # fmt: skip
    assert twice == {} and sorted(across) == []


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


def _copy_catalogue(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LOCALE_DIR, tmp_path / "locale"))


def _german(key: str, english: str) -> str:
    return "Startseite" if key == "nav.home" else f"[de] {english}"


def test_i18n_recipe_adding_a_language(tmp_path: Path) -> None:
    """The recipe of DEVELOPERS.md: one .po file per domain, plus the language in the list."""
    locale = _copy_catalogue(tmp_path)
    languages = (*LANGUAGES, "de")
    assert len(start_language("de", locale)) == len(DOMAINS)
    assert "home.title: no text in de" in catalogue_problems(locale, languages)
    assert Catalogue.read(locale, languages).translate("home.title", "de") == translate(
        "home.title", "en"
    )  # not translated yet: English
    for domain in DOMAINS:  # the translators' work
        english = read_domain(po_path(locale, "en", domain))
        write_domain(
            po_path(locale, "de", domain),
            "de",
            [(key, _german(key, text)) for key, text in english.items()],
        )
    catalogue = Catalogue.read(locale, languages)
    assert catalogue.translate("nav.home", "de") == "Startseite"
    assert catalogue.translate("home.running", "DE", count=3) == "[de] Processes running now: 3"
    assert catalogue.translate("nav.home", "fr") == translate("nav.home", "fr")
    assert catalogue.translate("language.name", "de") == "[de] English"  # the picker's label
    assert catalogue.field_label("title_de", "fr") == "Titre ([de] English)"
    assert catalogue.field_label("title_fr", "de") == "[de] Title (French)"
    assert catalogue_problems(locale, languages) == []
    # the checks do run on the new language: a placeholder lost, a domain file missing
    write_domain(po_path(locale, "de", "processes"), "de", [("home.running", "Laufend")])
    po_path(locale, "de", "audit").unlink()
    problems = catalogue_problems(locale, languages)
    assert any("home.running: placeholders differ" in p for p in problems), problems
    assert any("home.title: no text in de" in p for p in problems), problems
    assert any(p.startswith(str(po_path(locale, "de", "audit"))) for p in problems), problems


def test_i18n_a_po_file_that_does_not_parse_is_a_problem(tmp_path: Path) -> None:
    locale = _copy_catalogue(tmp_path)
    path = po_path(locale, "nl", "voting")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x.y"\nmsgstr no quotes\n')
    assert [p for p in catalogue_problems(locale, LANGUAGES) if p.startswith(str(path))]


def test_i18n_a_key_filed_in_the_wrong_domain_is_a_problem(tmp_path: Path) -> None:
    locale = _copy_catalogue(tmp_path)
    for lang in LANGUAGES:
        path = po_path(locale, lang, "audit")
        write_domain(path, lang, [*read_domain(path).items(), ("nav.extra", "x")])
    assert any(
        "nav.extra belongs to another domain" in p for p in catalogue_problems(locale, LANGUAGES)
    )


def test_i18n_multiline_texts_round_trip(tmp_path: Path) -> None:
    text = 'Ligne une : "{name}"\n\tligne deux \\ fin — ' + "long " * 30
    path = tmp_path / "fr" / "LC_MESSAGES" / "common.po"
    write_domain(path, "fr", [("nav.multi", text)])
    assert read_domain(path) == {"nav.multi": text}


def test_i18n_add_messages_folds_new_keys_into_their_domains(tmp_path: Path) -> None:
    """How the lead folds a `vilco_core/i18n/<stream>_new.py` dict into the catalogues."""
    locale = _copy_catalogue(tmp_path)
    new = {
        "rules.toy": {"fr": "Jouet {n}", "nl": "Speelgoed {n}", "en": "Toy {n}"},
        "nav.home": {"fr": "Accueil", "nl": "Home", "en": "Home"},
    }
    assert add_messages(new, locale, LANGUAGES) == ["ballots", "common"]
    catalogue = Catalogue.read(locale, LANGUAGES)
    assert catalogue.translate("rules.toy", "nl", n=2) == "Speelgoed 2"
    assert dict(catalogue.texts) == {**CATALOGUE, "rules.toy": new["rules.toy"]}
    assert catalogue_problems(locale, LANGUAGES) == []
    with pytest.raises(ValueError, match="PREFIX_DOMAINS"):
        domain_of("brandnew.key")


def test_i18n_recipe_a_new_language_reaches_texts_validation_and_csv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What derives from LANGUAGES: stored texts, validation fields and CSV columns."""
    import vilco_core.validation as validation
    from vilco_core import project_csv
    from vilco_core.model import LocalText, Process, ProcessKind

    languages = (*LANGUAGES, "de")
    monkeypatch.setattr(validation, "LANGUAGES", languages)
    name = LocalText(fr="Budget", nl="Begroting", de="x" * 201)
    process = Process(
        id=None, name=name, kind=ProcessKind.BUDGET, commune_codes=("21013",),
        envelope_cents=100, year=2027,
    )  # fmt: skip
    fields = [e.params.get("field") for e in validation.validate_process(process)]
    assert fields == ["name_de"]
    assert (name.get("de"), name.get("it")) == ("x" * 201, "Budget")
    required, optional = project_csv.columns(languages)
    assert required == project_csv.REQUIRED
    assert optional[:4] == ("title_en", "title_de", "description_en", "description_de")


def test_i18n_no_new_keys_wait_outside_the_catalogues() -> None:
    pending = sorted(p.name for p in (ROOT / "vilco_core" / "i18n").glob("*_new.py"))
    assert pending == [], "run vilco_core.i18n.catalogue.fold_new_modules() and commit the .po"


def test_i18n_fold_new_modules_moves_a_messages_dict_into_the_po_files(tmp_path: Path) -> None:
    locale = _copy_catalogue(tmp_path)
    module = tmp_path / "c_new.py"
    module.write_text(
        "MESSAGES = {\n"
        '    "rules.toy": {"fr": "Règle {n}", "nl": "Regel {n}", "en": "Rule {n}"},\n'
        '    "errors.toy": {"fr": "Oups", "nl": "Oeps", "en": "Oops"},\n'
        "}\n",
        encoding="utf-8",
    )
    assert fold_new_modules(tmp_path, locale) == {"c_new.py": ["ballots", "common"]}
    assert not module.exists()
    catalogue = Catalogue.read(locale, LANGUAGES)
    assert catalogue.translate("rules.toy", "fr", n=1) == "Règle 1"
    assert catalogue.translate("errors.toy", "nl") == "Oeps"
    assert catalogue_problems(locale, LANGUAGES) == []
