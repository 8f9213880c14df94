"""The seed's canonical form through the draw page's use case and /verify's, on SQLite and
PostgreSQL: "3614255261" and "3 6 1 4 2 5 5 2 6 1" draw the same panel and both verify it; a
seed with a letter is refused with nothing stored; a draw recorded before the canonical form
(its seed stored with spaces) still verifies, typed either way."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import update

from tests.integration.test_draws import FACILITATOR, _lottery, _publish
from vilco_core.errors import ValidationErrors
from vilco_core.services import draws
from vilco_core.sortition import draw_panel, read_lottery
from vilco_core.store import SqlUnitOfWork
from vilco_core.store.tables import DrawRow


def test_seed_form_spaced_and_bare_seeds_draw_and_verify_the_same_panel(
    demo_uow: SqlUnitOfWork,
) -> None:
    spaced, bare = _publish(demo_uow), _publish(demo_uow)
    first = draws.perform_draw(
        demo_uow, FACILITATOR, spaced, seed="3 6 1 4 2 5 5 2 6 1", witnesses=["Ana"]
    )
    second = draws.perform_draw(demo_uow, FACILITATOR, bare, seed="3614255261", witnesses=["Ana"])
    assert first.seed == second.seed == "3614255261"
    assert first.panel == second.panel and first.alternates == second.alternates
    for typed in ("3614255261", "3 6 1 4 2 5 5 2 6 1", "36-14-25-52-61"):
        assert draws.check_published_draw(demo_uow, spaced, typed).matches
    assert not draws.check_published_draw(demo_uow, spaced, "3614255262").matches


def test_seed_form_a_letter_is_refused_and_nothing_stored(demo_uow: SqlUnitOfWork) -> None:
    draw_id = _publish(demo_uow)
    with pytest.raises(ValidationErrors) as refused:
        draws.perform_draw(demo_uow, FACILITATOR, draw_id, seed="3 6 1 a", witnesses=["Ana"])
    assert [p.code for p in refused.value.problems] == ["sessioncli.seed_not_digits"]
    assert not draws.get_draw(demo_uow, draw_id).drawn


def test_seed_form_a_draw_recorded_before_it_still_verifies(demo_uow: SqlUnitOfWork) -> None:
    draw_id = _publish(demo_uow)
    legacy = draw_panel(read_lottery(_lottery()), "3 6 1 4", alternates=3)
    published = draws.get_draw(demo_uow, draw_id)
    with demo_uow:
        assert demo_uow.draws.record_draw(
            replace(published, seed="3 6 1 4", panel=legacy.panel, alternates=legacy.alternates,
                    witnesses=("Ana",), drawn_at=published.published_at, drawn_by="facilitator")
        )  # fmt: skip
        demo_uow.commit()
    for typed in ("3 6 1 4", "3614"):
        checked = draws.check_published_draw(demo_uow, draw_id, typed)
        assert checked.matches and checked.draw.seed == "3 6 1 4"  # hashed as recorded
    with demo_uow:  # the stored seed is what counts: another one no longer matches
        demo_uow.session.execute(update(DrawRow).where(DrawRow.id == draw_id).values(seed="9 9"))
        demo_uow.commit()
    assert not draws.check_published_draw(demo_uow, draw_id, "3614").matches
