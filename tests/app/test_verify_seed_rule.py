"""/verify states the seed's canonical form, in each language, and reads the typed seed
through it: a seed with a letter gets the translated refusal, no traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.integration.test_draws import FACILITATOR, _publish
from vilco_core.i18n import translate, translate_error
from vilco_core.services import draws
from vilco_core.store import SqlUnitOfWork, make_engine

OpenPage = Callable[..., AppTest]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_verify_states_the_seed_rule(open_page: OpenPage, lang: str) -> None:
    at = open_page("pages/verify.py", lang=lang)
    assert not at.exception
    assert translate("sessioncli.seed_rule", lang) in [c.value for c in at.caption]


def test_verify_refuses_a_seed_with_a_letter_and_reads_separators(
    open_page: OpenPage, demo_db: str
) -> None:
    engine = make_engine(demo_db)
    draw_id = _publish(SqlUnitOfWork(engine))
    draws.perform_draw(SqlUnitOfWork(engine), FACILITATOR, draw_id, seed="3614", witnesses=["A"])
    engine.dispose()
    at = open_page("pages/verify.py", lang="en")
    at.text_input[0].set_value("3 6 1 x")
    at.button[0].click().run()
    assert not at.exception
    refusal = translate_error("sessioncli.seed_not_digits", {"character": "x"}, "en")
    assert refusal in [e.value for e in at.error]
    at.text_input[0].set_value("3-6-1-4")
    at.button[0].click().run()
    assert not at.exception and not at.error
