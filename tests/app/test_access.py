"""Access matrix over every page the router registers: each staff page as anonymous (asked to
log in), as each wrong role (refused) and as each right role (served); public pages open to
anyone. The pages come from `vilco_ui/pages_table.py` (what the router registers), so a page
added there must be classified here or this test fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT
from vilco_core.demo import load_demo
from vilco_core.i18n import translate
from vilco_core.model import Role
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database
from vilco_ui import pages_table

ADMINS = frozenset({Role.ADMIN, Role.FACILITATOR})
RESOURCE_STAFF = frozenset({Role.ADMIN, Role.AGENT})
# Who may open each staff page; every other routed page is public.
STAFF_PAGES: dict[str, frozenset[Role]] = {
    "processes": ADMINS, "projects": ADMINS, "draw": ADMINS, "codes": ADMINS,
    "posters": ADMINS, "signatures": ADMINS, "sessions": ADMINS, "evaluations": ADMINS,
    "tallies": ADMINS | {Role.POLL_OFFICER},
    "manage_resources": RESOURCE_STAFF, "bookings_desk": RESOURCE_STAFF,
    "resource_scores": RESOURCE_STAFF,
}  # fmt: skip
PUBLIC_PAGES = {"home", "map", "verify", "sign", "vote", "results", "login", "receipt",
                "panel", "projector", "evaluate", "recommendation",
                "spaces", "booking"}  # fmt: skip
DEMO_USERS = {Role.ADMIN: "admin", Role.FACILITATOR: "facilitator", Role.POLL_OFFICER: "officer",
              Role.AGENT: "agent"}  # fmt: skip


def routed_pages() -> list[str]:
    """The page files the router registers (read from its table: no Streamlit run needed)."""
    return sorted({spec.path.stem for spec in pages_table.PAGES})


ROUTED = routed_pages()
STAFF_CASES = [
    (page, role) for page in ROUTED if page in STAFF_PAGES for role in [None, *Role]
]  # fmt: skip


@pytest.fixture(scope="module")
def access_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One demo database for the whole matrix: these runs only read."""
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'app.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine)
    load_demo(SqlUnitOfWork(engine), dt.date.today())
    engine.dispose()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"VILCO_DATABASE_URL": url, "VILCO_DEMO": "1",
                            "VILCO_LOGIN_SLEEP": "0", "VILCO_BASEMAP": "none"}.items():  # fmt: skip
            patch.setenv(name, value)
        yield url


def _run(page: str, user: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    if user is not None:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = user
    at.session_state["vilco_language"] = "en"
    return at.run()


def test_access_every_routed_page_is_classified() -> None:
    assert len(ROUTED) >= 14
    assert [p for p in ROUTED if p not in STAFF_PAGES and p not in PUBLIC_PAGES] == []
    for page in ROUTED:
        assert (ROOT / "pages" / f"{page}.py").is_file()


@pytest.mark.parametrize(("page", "role"), STAFF_CASES, ids=[f"{p}-{r}" for p, r in STAFF_CASES])
def test_access_staff_page(access_db: str, page: str, role: Role | None) -> None:
    at = _run(page, None if role is None else DEMO_USERS[role])
    assert not at.exception
    refusals = [w.value for w in at.warning] + [e.value for e in at.error]
    login, forbidden = translate("access.login_required", "en"), translate("access.forbidden", "en")
    if role is None:
        assert login in refusals and not at.title and not at.button
    elif role not in STAFF_PAGES[page]:
        assert refusals == [forbidden] and not at.title and not at.button
    else:
        assert login not in refusals and forbidden not in refusals


@pytest.mark.parametrize("page", [p for p in ROUTED if p not in STAFF_PAGES])
def test_access_public_page_open_to_anonymous(access_db: str, page: str) -> None:
    at = _run(page, None)
    assert not at.exception
    refusals = [w.value for w in at.warning] + [e.value for e in at.error]
    assert translate("access.forbidden", "en") not in refusals
    assert translate("access.login_required", "en") not in refusals


def test_access_a_deleted_account_is_anonymous(access_db: str) -> None:
    at = _run("processes", "nobody")
    assert at.warning and not at.title


@pytest.mark.parametrize("role", [None, *Role], ids=str)
def test_access_publish_tally_action_on_the_public_results_page(
    access_db: str, role: Role | None
) -> None:
    """A staff action on a public page: offered to the roles that may publish, to nobody else
    (the service refuses them too: tests/integration/test_access_actions.py)."""
    at = _run("results", None if role is None else DEMO_USERS[role])
    shown = [b for b in at.button if b.label == translate("results.publish", "en")]
    assert not at.exception and at.metric
    assert len(shown) == (1 if role in ADMINS else 0)
