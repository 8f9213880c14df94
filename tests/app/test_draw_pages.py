"""The draw page (staff) and the public check page through AppTest, on the demo database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import texts
from vilco_core import draws as draw_rules
from vilco_core.model import PanelDraw, Role, StaffUser
from vilco_core.services import draws
from vilco_core.sortition import lottery_bytes
from vilco_core.store import SqlUnitOfWork, make_engine

OpenPage = Callable[..., AppTest]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


@pytest.fixture
def demo_uow_app(demo_db: str) -> Iterator[SqlUnitOfWork]:
    engine = make_engine(demo_db)
    yield SqlUnitOfWork(engine)
    engine.dispose()


def _drawn(uow: SqlUnitOfWork, seed: str = "6 6 2 5 1 3") -> PanelDraw:
    """A draw of the demo pool (panel of 12), published then drawn, as the page would."""
    pool, quotas = draw_rules.demo_pool()
    quotas = "feature,value,min,max\ngender,man,5,7\ngender,nonbinary,0,1\ngender,woman,5,7\n"
    lottery = draw_rules.prepare_lottery(
        draw_rules.prepare_instance(pool, quotas, 12, "leximin"), "leximin"
    )
    draw_id = draws.publish_lottery(
        uow,
        ADMIN,
        1,
        title="Panel test",
        pool_csv=pool,
        quotas_csv=quotas,
        lottery=lottery_bytes(lottery),
        alternates=2,
    )
    return draws.perform_draw(uow, ADMIN, draw_id, seed=seed, witnesses=["Ana", "Jef"])


def test_draw_page_refuses_anonymous_and_the_poll_officer(open_page: OpenPage) -> None:
    anonymous = open_page("pages/draw.py")
    assert not anonymous.exception
    assert [w.value for w in anonymous.warning] == [
        "Cette page est réservée au personnel. Veuillez vous connecter."
    ]
    assert not anonymous.title and not anonymous.button
    officer = open_page("pages/draw.py", user="officer", lang="en")
    assert [e.value for e in officer.error] == ["Your role does not give access to this page."]
    assert not officer.title and not officer.button


def test_draw_page_facilitator_draws_the_demo_pool_end_to_end(
    open_page: OpenPage, demo_uow_app: SqlUnitOfWork
) -> None:
    at = open_page("pages/draw.py", user="facilitator")
    assert at.title[0].value == "Tirage au sort d'un panel"
    assert [i.value for i in at.info] == [
        "Chargez le vivier et les quotas pour préparer le tirage."
    ]
    at.toggle(key="draw-use-demo").set_value(True).run()
    quota_table = at.dataframe[0].value
    assert len(quota_table) == 12 and quota_table["Dans le vivier"].sum() == 4 * 300
    at.button[0].click().run()  # compute the lottery
    assert not at.exception
    assert at.success[0].value.startswith("Loterie prête (LEXIMIN")
    lottery_hash = at.code[0].value
    next(b for b in at.button if b.label == "Publier la loterie").click().run()
    assert [s.value for s in at.success] == [
        "Loterie publiée. Place à la cérémonie : la graine se tire en public."
    ]
    assert any(lottery_hash[:4] in m.value for m in at.markdown)  # on the projected board
    at.text_input(key="draw-seed").set_value("3 1 4 1 5 9")
    at.text_area(key="draw-witnesses").set_value("Ana Peeters\nJef Dupont\n")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "24 membres tirés ; tous les quotas sont respectés." in [s.value for s in at.success]
    quotas, members, alternates = (d.value for d in at.dataframe)
    assert set(quotas["Respecté"]) == {"✓"} and len(members) == 24 and len(alternates) == 5
    assert list(members.columns) == ["id", "age", "commune", "education", "gender"]
    assert not [ti for ti in at.text_input if ti.key == "draw-seed"]  # no second seed
    stored = draws.list_draws(demo_uow_app, 1)[0]
    assert stored.lottery_sha256 == lottery_hash and stored.seed == "3 1 4 1 5 9"
    assert stored.witnesses == ("Ana Peeters", "Jef Dupont") and stored.drawn_by == "facilitator"
    assert tuple(members["id"]) == stored.panel
    chart = at.get("vega_lite_chart")[0].proto
    assert json.loads(chart.spec)["title"] == "Probabilités de sélection, triées"
    assert "Uniforme k/n" in str(chart)  # the k/n line beside the leximin curve
    assert [d.label for d in at.get("download_button")] == [
        "Panel (CSV)",
        "Suppléants (CSV)",
        "Fichier de loterie",
        "Vivier publié (CSV)",
    ]
    assert "email" not in stored.pool_csv and "Volontaire" not in stored.pool_csv


def test_draw_page_reports_every_problem_of_an_impossible_draw(open_page: OpenPage) -> None:
    at = open_page("pages/draw.py", user="admin", lang="en")
    at.toggle(key="draw-use-demo").set_value(True).run()
    at.number_input[0].set_value(400).run()  # a panel larger than the pool
    assert not at.exception
    message = at.error[0].value
    assert "300" in message and "400" in message and message.count("- ") >= 2
    assert not [b for b in at.button if b.label == "Compute the lottery"]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_draw_pages_render_a_drawn_draw_in_every_language(
    open_page: OpenPage, demo_uow_app: SqlUnitOfWork, lang: str
) -> None:
    drawn = _drawn(demo_uow_app)
    for page in ("pages/draw.py", "pages/verify.py"):
        at = open_page(page, user="admin", lang=lang)
        if page == "pages/draw.py":
            at.selectbox[1].set_value(drawn.id).run()
            assert at.dataframe and at.get("vega_lite_chart")
        assert not at.exception, page
        assert not [text for text in texts(at) if "⟦" in text], page


@pytest.mark.parametrize(
    ("lang", "same", "differs"),
    [
        ("fr", "Même panel", "Panel différent"),
        ("nl", "Zelfde panel", "Ander panel"),
        ("en", "Same panel", "A different panel"),
    ],
)
def test_verify_page_anyone_reproduces_a_published_draw(
    open_page: OpenPage, demo_uow_app: SqlUnitOfWork, lang: str, same: str, differs: str
) -> None:
    drawn = _drawn(demo_uow_app)
    at = open_page("pages/verify.py", lang=lang)
    assert not at.exception
    at.text_input[0].set_value("6 6 2 5 1 3")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith(same)
    assert tuple(at.dataframe[0].value.iloc[:, 0]) == drawn.panel
    assert any(drawn.lottery_sha256 in m.value for m in at.markdown)
    at.text_input[0].set_value("6 6 2 5 1 4").run()
    at.button[0].click().run()
    assert at.error[0].value.startswith(differs)
    assert tuple(at.dataframe[1].value.iloc[:, 0]) == drawn.panel  # the published one beside


def test_verify_page_without_any_draw_says_so(open_page: OpenPage) -> None:
    at = open_page("pages/verify.py", lang="en")
    assert not at.exception
    assert [i.value for i in at.info] == ["No draw published yet."]
