"""The public receipt check through AppTest: a counted receipt, an unknown one, junk refused
with a translated message and nothing written, and `?r=` links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_link, snapshot, texts
from vilco_core import audit as chain
from vilco_core.ballots import Ballot
from vilco_core.i18n import translate
from vilco_core.model import Role, StaffUser
from vilco_core.services import audit, ballots, mixing
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_core.store import uow as uow_module

OpenPage = Callable[..., AppTest]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


def _receipt(url: str) -> str:
    engine = make_engine(url)
    try:
        ballot = Ballot(kind="approval", project_ids=("SG-01",))
        uow = SqlUnitOfWork(engine)
        return ballots.record_ballot(uow, 1, ballot, "phone", None, dt.date.today())
    finally:
        engine.dispose()


def _check(at: AppTest, typed: str) -> AppTest:
    at.text_input[0].input(typed)
    return at.button[0].click().run()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_receipt_page_counted_and_unknown(open_page: OpenPage, demo_db: str, lang: str) -> None:
    receipt = _receipt(demo_db)
    at = _check(open_page("pages/receipt.py", lang=lang), receipt.lower())
    assert not at.exception and at.success
    assert receipt in at.success[0].value and str(dt.date.today()) in at.success[0].value
    at = _check(at, "0000000000" if receipt != "0000000000" else "1111111111")
    assert at.warning and not at.success
    assert not any("⟦" in text for text in texts(at))


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_receipt_page_shows_the_chain_head(open_page: OpenPage, demo_db: str, lang: str) -> None:
    _receipt(demo_db)
    engine = make_engine(demo_db)
    head = audit.chain_head(SqlUnitOfWork(engine))
    engine.dispose()
    at = open_page("pages/receipt.py", lang=lang)
    assert not at.exception and not at.error
    assert [c.value for c in at.code] == [f"{chain.group_hash(head.hash)}\n@{head.seq}"]
    assert at.subheader[0].value == translate("receipt.head_title", lang)
    assert at.caption[0].value == translate("receipt.head", lang, seq=head.seq, day=head.day)
    assert head.day == dt.date.today()


@pytest.mark.parametrize("junk", ["", "abc", "Z" * 40, "'; DROP TABLE ballots;--", "ÉÉÉÉÉÉÉÉÉÉ"])
def test_receipt_page_junk_refused_nothing_written(open_page: OpenPage, demo_db: str,
                                                   junk: str) -> None:  # fmt: skip
    before = snapshot(demo_db)
    at = _check(open_page("pages/receipt.py", lang="nl"), junk)
    assert not at.exception
    assert [e.value for e in at.error] == [translate("receipt.invalid", "nl")]
    assert snapshot(demo_db) == before


def test_receipt_page_reads_a_link(demo_db: str) -> None:
    receipt = _receipt(demo_db)
    at = open_link("pages/receipt.py", r=receipt)
    assert not at.exception and at.success and receipt in at.success[0].value


@pytest.mark.parametrize("junk", ["x" * 10_240, "1; DROP TABLE ballots; --", "<b>ZZ</b>", "é"])
def test_receipt_page_junk_link_refused_nothing_written(demo_db: str, junk: str) -> None:
    before = snapshot(demo_db)
    at = open_link("pages/receipt.py", lang="en", r=junk)
    assert not at.exception
    assert [e.value for e in at.error] == [translate("receipt.invalid", "en")]
    assert snapshot(demo_db) == before


def test_results_page_shows_the_last_good_state_when_the_database_is_away(
    open_page: OpenPage,
) -> None:
    at = open_page("pages/results.py", lang="en")
    assert not at.exception
    good, warned = [m.value for m in at.markdown], [w.value for w in at.warning]
    assert good

    away = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1")

    def away_session(_engine: object, **options: Any) -> Session:  # the server is restarting
        return Session(away, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uow_module, "Session", away_session)
        at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [translate("errors.showing_last_good", "en"), *warned]
    assert [m.value for m in at.markdown] == good  # the same results, not an error
    away.dispose()
    at.run()
    assert [w.value for w in at.warning] == warned and [m.value for m in at.markdown] == good


def test_receipt_page_says_try_again_when_the_database_is_away(open_page: OpenPage) -> None:
    at = open_page("pages/receipt.py", lang="fr")  # a good run: the staff list is known
    away = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1")

    def away_session(_engine: object, **options: Any) -> Session:
        return Session(away, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uow_module, "Session", away_session)
        at = _check(at, "7K3M9QPX2A")  # app-level reads (login) keep their last good answer
    assert not at.exception
    assert [e.value for e in at.error] == [translate("errors.database_unavailable", "fr")]
    away.dispose()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_receipt_page_pending_then_mixed(open_page: OpenPage, demo_db: str, lang: str) -> None:
    """A ballot waiting for its mixing batch is already counted, and the page says it enters
    the audit log with its batch; once mixed, the plain "counted" message."""
    receipt = _receipt(demo_db)
    day = dt.date.today()
    at = _check(open_page("pages/receipt.py", lang=lang), receipt)
    assert [s.value for s in at.success] == [
        translate("receipt.pending", lang, receipt=receipt, day=day)
    ]
    engine = make_engine(demo_db)
    mixing.flush_ballots(SqlUnitOfWork(engine), ADMIN, 1)
    engine.dispose()
    at = _check(at, receipt)
    assert [s.value for s in at.success] == [
        translate("receipt.counted", lang, receipt=receipt, day=day)
    ]
