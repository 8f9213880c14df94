"""The "how to add a page" recipe (DEVELOPERS.md): a script whose first line is
`ctx = setup(__file__)` plus one row in `vilco_ui/pages_table.py` is enough for the router to
register it, the sidebar to list it to the roles of its row only (in the row's place) and the
guard to refuse every other audience. A toy page in a temporary table proves it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT
from vilco_core.i18n import LANGUAGES, translate
from vilco_core.model import Role
from vilco_ui import pages_table
from vilco_ui.pages_table import PageSpec

TOY_SCRIPT = """
import streamlit as st

from vilco_ui.page import setup

ctx = setup(__file__)
st.title("Toy page")
"""


@pytest.fixture
def toy(
    demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[PageSpec, Path]]:
    """A poll officers' page, `pages/toy.py` in a temporary folder, listed before the login."""
    script = tmp_path / "toy.py"
    script.write_text(TOY_SCRIPT, encoding="utf-8")
    spec = PageSpec(
        name="toy",
        icon=":material/toys:",
        section="staff",
        roles=frozenset({Role.POLL_OFFICER}),
        script=script,
    )
    *others, login = pages_table.PAGES
    monkeypatch.setattr(pages_table, "PAGES", (*others, spec, login))
    yield spec, script


def _run(script: str | Path, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(script), default_timeout=60)
    if user is not None:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = user
    at.session_state["vilco_language"] = "en"
    return at.run()


def _links(at: AppTest) -> list[tuple[str, str]]:
    return [(link.proto.page, link.proto.label) for link in at.sidebar.get("page_link")]


@pytest.mark.parametrize(
    ("user", "listed"), [(None, False), ("admin", False), ("facilitator", False), ("officer", True)]
)
def test_page_recipe_the_sidebar_lists_the_toy_page_to_its_roles(
    toy: tuple[PageSpec, Path], user: str | None, listed: bool
) -> None:
    at = _run(ROOT / "app.py", user)
    assert not at.exception
    links = _links(at)
    assert (("toy", translate("nav.toy", "en")) in links) is listed
    if listed:  # in the row's place: after the other staff pages, before the login
        assert [page for page, _ in links][-2:] == ["toy", "login"]


def test_page_recipe_the_router_registers_the_toy_page_and_it_serves_its_role(
    toy: tuple[PageSpec, Path],
) -> None:
    _, script = toy
    at = _run(ROOT / "app.py", "officer")
    at.switch_page(str(script)).run()
    assert not at.exception
    assert [title.value for title in at.title] == ["Toy page"]


@pytest.mark.parametrize(
    ("user", "refusal"), [(None, "access.login_required"), ("admin", "access.forbidden")]
)
def test_page_recipe_the_guard_refuses_the_wrong_audience(
    toy: tuple[PageSpec, Path], user: str | None, refusal: str
) -> None:
    _, script = toy
    through_router = _run(ROOT / "app.py", user)
    through_router.switch_page(str(script)).run()
    deep_link = _run(script, user)  # a fresh server: the page registers the router itself
    for at in (through_router, deep_link):
        assert not at.exception
        shown = [w.value for w in at.warning] + [e.value for e in at.error]
        assert shown == [translate(refusal, "en")] and not at.title


def test_page_recipe_every_row_has_a_script_and_a_translated_title() -> None:
    names = [spec.name for spec in pages_table.PAGES]
    assert len(names) == len(set(names))
    assert [spec.name for spec in pages_table.PAGES if spec.default] == ["home"]
    assert sorted(path.stem for path in (ROOT / "pages").glob("*.py")) == sorted(names)
    for spec in pages_table.PAGES:
        assert spec.path.is_file()
        assert pages_table.page_named(str(spec.path)) == spec
        for lang in LANGUAGES:
            assert "⟦" not in translate(spec.title_key, lang)


def test_page_recipe_every_page_guards_itself_with_its_own_row() -> None:
    """`setup("vote")` in pages/sign.py would give the sign page the vote page's roles."""
    for path in (ROOT / "pages").glob("*.py"):
        calls = [
            node
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setup"
        ]
        assert len(calls) == 1, path.name
        (argument,) = calls[0].args
        named = argument.value if isinstance(argument, ast.Constant) else ast.unparse(argument)
        assert named in (path.stem, "__file__"), path.name
