"""Fuzz corpora (Hypothesis) for every door junk can come through: project CSV import, pool and
quota CSVs, `.pb` files, ballot payloads, URL parameters (`c`, `site`, ids), login fields and
translated strings. Each must end in a `VilcoError` whose every problem has a translated text
in FR/NL/EN (no traceback, no missing key), and a refusal must leave every table unchanged
(a snapshot of the whole database before and after). One demo database on SQLite per module;
examples are few (the suite stays quick) and without deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, select

from vilco_core.ballots import Ballot
from vilco_core.demo import load_demo
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.i18n import CATALOGUE, LANGUAGES, MISSING_MARK, translate, translate_error
from vilco_core.model import Role, StaffUser
from vilco_core.pabulib import parse_pabulib
from vilco_core.services import audit, ballots, draws, processes, staff, voting
from vilco_core.sortition import parse_quotas
from vilco_core.sortition.pool import parse_pool
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)
ADMIN = StaffUser(username="admin", name="A", role=Role.ADMIN)
FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
JUNK_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            "\x00",
            "\ufeff",
            "=cmd|'/c calc'!A1",
            "<script>alert(1)</script>",
            "'; DROP TABLE ballots; --",
            "../../etc/passwd",
            "9" * 400,
            "é" * 50,
            "-1",
            "0",
            "1e9",
            "NaN",
            "1;2",
            " 1 ",
            "١",
            "²",
        ]
    ),
)
CSV_CELLS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@pytest.fixture(scope="module")
def uow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlUnitOfWork]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}")
    upgrade_database(engine)
    unit = SqlUnitOfWork(engine)
    load_demo(unit, TODAY)
    yield unit
    engine.dispose()


def _snapshot(uow: SqlUnitOfWork) -> list[list[str]]:
    meta = MetaData()
    meta.reflect(uow.engine)
    with uow.engine.connect() as connection:
        return [sorted(map(repr, connection.execute(select(t)))) for t in meta.sorted_tables]


def _translated(error: VilcoError) -> None:
    problems = error.problems if isinstance(error, ValidationErrors) else [error]
    assert problems
    for problem in problems:
        assert problem.code in CATALOGUE, problem.code
        for lang in LANGUAGES:
            text = translate_error(problem.code, problem.params, lang)
            assert text and MISSING_MARK not in text


def _refused_or_done(action: Callable[[], object], uow: SqlUnitOfWork | None = None) -> bool:
    """Run `action`: a clean translated refusal that changed nothing (False), or done (True).
    Any other exception fails the test: a resident would see a traceback."""
    before = _snapshot(uow) if uow is not None else None
    try:
        action()
    except VilcoError as error:
        _translated(error)
        if uow is not None:
            assert _snapshot(uow) == before
        return False
    return True


def _csv(header: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    return "\n".join(",".join(cell(c) for c in row) for row in [header, *rows]) + "\n"


PROJECT_HEADER = [
    "id",
    "title_fr",
    "title_nl",
    "description_fr",
    "description_nl",
    "cost",
    "lat",
    "lon",
    "district",
    "theme",
    "initiative",
    "status",
]


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(st.lists(CSV_CELLS, min_size=0, max_size=14), max_size=4).map(
            lambda rows: _csv(PROJECT_HEADER, rows).encode("utf-8")
        ),
        st.lists(st.lists(JUNK_TEXT, min_size=12, max_size=12), min_size=1, max_size=3).map(
            lambda rows: _csv(PROJECT_HEADER, rows).encode("utf-8")
        ),
    )
)
def test_bad_project_csv(uow: SqlUnitOfWork, data: bytes) -> None:
    _refused_or_done(lambda: processes.import_projects(uow, ADMIN, 1, data), uow)


@FUZZ
@given(
    header=st.lists(
        st.sampled_from(
            ["id", "gender", "age", "min", "max", "feature", "value", "category", "x", ""]
        ),
        max_size=6,
    ),
    rows=st.lists(st.lists(JUNK_TEXT, max_size=6), max_size=5),
)
def test_bad_pool_and_quota_csv(
    uow: SqlUnitOfWork, header: list[str], rows: list[list[str]]
) -> None:
    text = _csv(header, rows)
    _refused_or_done(lambda: parse_quotas(text))
    _refused_or_done(lambda: parse_pool(text, ["gender", "age"]))
    _refused_or_done(
        lambda: draws.publish_lottery(
            uow, ADMIN, 1, title="t", pool_csv=text, quotas_csv=text, lottery=text.encode()
        ),
        uow,
    )


PB_SEED = (
    "META\nkey;value\ndescription;x\nnum_projects;2\nnum_votes;2\nbudget;100\nvote_type;approval\n"
    "rule;greedy\nPROJECTS\nproject_id;cost;name\n1;60;a\n2;50;b\nVOTES\nvoter_id;vote\n1;1,2\n2;2\n"
)


@FUZZ
@given(
    text=st.one_of(
        JUNK_TEXT,
        st.tuples(st.integers(0, len(PB_SEED)), st.integers(0, 40), JUNK_TEXT).map(
            lambda t: PB_SEED[: t[0]] + t[2] + PB_SEED[t[0] + t[1] :]
        ),
    )
)
def test_bad_pabulib(text: str) -> None:
    _refused_or_done(lambda: parse_pabulib(text))


REFS = st.sampled_from(["SG-01", "SG-02", "SC-01", "NOPE", "", "sg-01", "SG-01 ", "'", "é" * 40])


@FUZZ
@given(
    kind=st.sampled_from(["approval", "knapsack", "cumulative", "ordinal", "", "APPROVAL"]),
    refs=st.lists(REFS, max_size=30),
    points=st.lists(st.integers(-(10**12), 10**12), max_size=30),
    channel=st.sampled_from(["phone", "paper", "panel", "import", "", "PHONE", "x"]),
    site=st.one_of(st.none(), st.integers(-5, 10**9)),
)
def test_bad_ballot_payload(
    uow: SqlUnitOfWork,
    kind: str,
    refs: list[str],
    points: list[int],
    channel: str,
    site: int | None,
) -> None:
    ballot = Ballot(kind=kind, project_ids=tuple(refs), points=tuple(points))  # type: ignore[arg-type]
    done = _refused_or_done(
        lambda: ballots.record_ballot(uow, 1, ballot, channel, site, TODAY),
        uow,  # type: ignore[arg-type]
    )
    if done:  # a valid ballot found by chance: it counts once and the audit still holds
        assert audit.verify_audit(uow).tallies_ok


@FUZZ
@given(code=JUNK_TEXT, site=JUNK_TEXT)
def test_bad_url_parameters(uow: SqlUnitOfWork, code: str, site: str) -> None:
    assert processes.parse_id(site) is None or processes.parse_id(site) > 0
    _refused_or_done(lambda: processes.find_site(uow, site))
    site_id = processes.parse_id(site)
    _refused_or_done(lambda: voting.open_vote(uow, code, site_id, TODAY))
    ballot = Ballot(kind="approval", project_ids=("SG-01",))
    _refused_or_done(lambda: voting.cast_ballot(uow, code, ballot, "phone", site_id, TODAY), uow)
    _refused_or_done(lambda: audit.check_receipt(uow, code))


@FUZZ
@given(username=JUNK_TEXT)
def test_bad_login_fields(uow: SqlUnitOfWork, username: str) -> None:
    if username in {"admin", "facilitator", "officer"}:
        return
    before = _snapshot(uow)
    assert staff.log_in(uow, username, "x", NOW, demo=True) is staff.LoginOutcome.FAILED
    assert staff.get_staff_user(uow, username) is None
    assert _snapshot(uow) == before


@FUZZ
@given(
    key=st.sampled_from(sorted(CATALOGUE)),
    lang=JUNK_TEXT,
    params=st.dictionaries(
        st.sampled_from(["row", "field", "id", "ref", "x", "count"]),
        st.one_of(JUNK_TEXT, st.integers(), st.none()),
        max_size=4,
    ),
)
def test_bad_translated_strings(key: str, lang: str, params: dict[str, Any]) -> None:
    text = translate(key, lang, **params)
    assert text and MISSING_MARK not in text
    assert MISSING_MARK not in translate_error(key, params, lang)


def test_bad_input_left_the_audit_whole(uow: SqlUnitOfWork) -> None:
    report = audit.verify_audit(uow)
    assert report.chain_ok and report.tallies_ok, report.problems
