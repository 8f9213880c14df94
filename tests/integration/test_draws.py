"""Draws stored on a real database (SQLite file and PostgreSQL): lottery first, then the seed,
once; anyone can replay a stored draw; tampering and the wrong roles are refused."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from sqlalchemy import update

from vilco_core import worker
from vilco_core.draws import lottery_file, prepare_instance, prepare_lottery, verify_draw
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import draws
from vilco_core.sortition import draw_panel, lottery_bytes, lottery_sha256, read_lottery
from vilco_core.store import SqlUnitOfWork
from vilco_core.store.tables import DrawRow

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
FACILITATOR = StaffUser(
    username="facilitator", name="F", role=Role.FACILITATOR, commune_codes=("21013",)
)
OFFICER = StaffUser(username="officer", name="O", role=Role.POLL_OFFICER, commune_codes=("21013",))
BUDGET, SCHAERBEEK_CALL = 1, 2  # demo processes: Saint-Gilles + Schaerbeek, Schaerbeek only
QUOTAS = "feature,value,min,max\ngender,woman,3,4\ngender,man,3,4\nage,young,2,4\nage,old,2,4\n"
NOW = dt.datetime(2027, 3, 1, 18, 30, tzinfo=dt.UTC)


def _pool(private: bool = True) -> str:
    """30 synthetic volunteers; with `private`, the contact columns a real file would have."""
    lines = ["id,name,email,gender,age" if private else "id,gender,age"]
    for i in range(30):
        gender, age = ("woman", "man")[i % 2], ("young", "old")[(i // 2) % 2]
        contact = f"Person {i},p{i}@example.org," if private else ""
        lines.append(f"P{i:02d},{contact}{gender},{age}")
    return "\n".join(lines) + "\n"


@cache
def _lottery(method: str = "leximin") -> bytes:
    instance = prepare_instance(_pool(), QUOTAS, 7, method)
    return lottery_bytes(prepare_lottery(instance, method))  # type: ignore[arg-type]


def _publish(uow: SqlUnitOfWork, actor: StaffUser = FACILITATOR, process: int = BUDGET) -> int:
    return draws.publish_lottery(
        uow,
        actor,
        process,
        title="Panel citoyen 2027",
        pool_csv=_pool(),
        quotas_csv=QUOTAS,
        lottery=_lottery(),
        alternates=3,
        now=NOW,
    )


def test_draws_publish_then_seed_stores_the_whole_record(demo_uow: SqlUnitOfWork) -> None:
    draw_id = _publish(demo_uow)
    published = draws.get_draw(demo_uow, draw_id)
    lottery = read_lottery(_lottery())
    assert not published.drawn and published.panel == () and published.seed is None
    assert published.lottery == _lottery()
    assert published.lottery_sha256 == lottery_sha256(lottery)
    assert published.pool_sha256 == lottery.pool_sha256
    assert published.quotas_sha256 == lottery.quotas_sha256
    assert (published.method, published.size, published.vilco_version) == ("leximin", 7, "0.1.0")
    assert published.published_at == NOW
    public = [line.split(",") for line in published.pool_csv.splitlines()]
    assert public[:2] == [["id", "age", "gender"], ["P00", "young", "woman"]]  # no contacts
    assert "example.org" not in published.pool_csv and "Person" not in published.pool_csv

    later = NOW + dt.timedelta(hours=1)
    drawn = draws.perform_draw(
        demo_uow, FACILITATOR, draw_id, seed=" 3 6 1 4 ", witnesses=["Ana", " ", "Jef"], now=later
    )
    expected = draw_panel(lottery, "3 6 1 4", alternates=3)
    stored = draws.get_draw(demo_uow, draw_id)
    assert stored == drawn
    assert stored.seed == "3 6 1 4" and stored.witnesses == ("Ana", "Jef")
    assert stored.panel == expected.panel and stored.alternates == expected.alternates
    assert len(stored.alternates) == 3 and stored.drawn_by == "facilitator"
    assert stored.drawn_at == later
    assert draws.draw_members(demo_uow, draw_id) == expected.panel
    assert [d.id for d in draws.list_draws(demo_uow, BUDGET)] == [draw_id]
    assert draws.list_draws(demo_uow, SCHAERBEEK_CALL) == []


def test_draws_seed_only_after_publication_and_only_once(demo_uow: SqlUnitOfWork) -> None:
    with pytest.raises(VilcoError) as missing:
        draws.perform_draw(demo_uow, ADMIN, 999, seed="1234", witnesses=["Ana"])
    assert missing.value.code == "draws.not_found"
    draw_id = _publish(demo_uow)
    with pytest.raises(VilcoError) as early:
        draws.draw_members(demo_uow, draw_id)
    assert early.value.code == "draws.not_drawn"
    first = draws.perform_draw(demo_uow, FACILITATOR, draw_id, seed="1234", witnesses=["Ana"])
    with pytest.raises(VilcoError) as again:
        draws.perform_draw(demo_uow, ADMIN, draw_id, seed="9999", witnesses=["Bob"])
    assert again.value.code == "draws.already_drawn"
    assert draws.get_draw(demo_uow, draw_id) == first


def test_draws_seed_and_witnesses_are_checked_together(demo_uow: SqlUnitOfWork) -> None:
    draw_id = _publish(demo_uow)
    with pytest.raises(ValidationErrors) as errors:
        draws.perform_draw(demo_uow, FACILITATOR, draw_id, seed="  ", witnesses=["", " "])
    assert [p.code for p in errors.value.problems] == [
        "sortition.empty_seed",
        "draws.witness_required",
    ]
    with pytest.raises(ValidationErrors) as long:
        draws.perform_draw(demo_uow, FACILITATOR, draw_id, seed="1" * 201, witnesses=["A"])
    assert [p.code for p in long.value.problems] == ["draws.seed_too_long"]
    assert not draws.get_draw(demo_uow, draw_id).drawn


def test_draws_anyone_replays_a_stored_draw(demo_uow: SqlUnitOfWork) -> None:
    draw_id = _publish(demo_uow)
    drawn = draws.perform_draw(demo_uow, FACILITATOR, draw_id, seed="42", witnesses=["Ana"])
    same = draws.check_published_draw(demo_uow, draw_id, "42")
    assert same.matches and same.pool_matches and same.panel_matches is True
    assert same.panel == drawn.panel and same.lottery_sha256 == drawn.lottery_sha256
    # the organiser's private file (with contacts) has the same pool hash as the published one
    private = draws.check_published_draw(demo_uow, draw_id, "42", pool_csv=_pool())
    assert private.matches and private.pool_sha256 == drawn.pool_sha256
    wrong_seed = draws.check_published_draw(demo_uow, draw_id, "43")
    assert wrong_seed.pool_matches and wrong_seed.panel_matches is False and not wrong_seed.matches
    other_pool = drawn.pool_csv.replace("P00,young,woman", "P00,old,woman")
    wrong_pool = draws.check_published_draw(demo_uow, draw_id, "42", pool_csv=other_pool)
    assert not wrong_pool.pool_matches and not wrong_pool.matches
    pure = verify_draw(drawn.pool_csv, drawn.lottery, drawn.lottery_sha256, "42")
    assert pure.matches and pure.panel == drawn.panel and pure.panel_matches is None


def test_draws_tampered_lottery_is_refused(demo_uow: SqlUnitOfWork) -> None:
    data = _lottery()
    tampered = data.replace(b'"P00"', b'"P99"')
    assert tampered != data
    with pytest.raises(VilcoError) as mismatch:
        verify_draw(_pool(), tampered, lottery_sha256(read_lottery(data)), "42")
    assert mismatch.value.code == "sortition.lottery_hash_mismatch"
    with pytest.raises(VilcoError) as wrong_pool:  # the lottery does not contain this pool
        draws.publish_lottery(
            demo_uow,
            ADMIN,
            BUDGET,
            title="T",
            pool_csv=_pool(),
            quotas_csv=QUOTAS,
            lottery=tampered,
        )
    assert wrong_pool.value.code == "sortition.pool_hash_mismatch"
    other_quotas = QUOTAS.replace("age,old,2,4", "age,old,1,4")
    with pytest.raises(VilcoError) as quotas:
        draws.publish_lottery(
            demo_uow,
            ADMIN,
            BUDGET,
            title="T",
            pool_csv=_pool(),
            quotas_csv=other_quotas,
            lottery=data,
        )
    assert quotas.value.code == "sortition.quotas_hash_mismatch"
    # a lottery changed in the database after publication cannot be drawn from
    draw_id = _publish(demo_uow)
    with demo_uow:
        demo_uow.session.execute(
            update(DrawRow).where(DrawRow.id == draw_id).values(lottery=tampered)
        )
        demo_uow.commit()
    with pytest.raises(VilcoError) as stored:
        draws.perform_draw(demo_uow, ADMIN, draw_id, seed="42", witnesses=["Ana"])
    assert stored.value.code == "sortition.lottery_hash_mismatch"
    assert draws.list_draws(demo_uow, BUDGET)[0].seed is None


@pytest.mark.parametrize(
    ("actor", "process"),
    [(None, BUDGET), (OFFICER, BUDGET), (FACILITATOR, SCHAERBEEK_CALL)],
)
def test_draws_roles_are_refused(
    demo_uow: SqlUnitOfWork, actor: StaffUser | None, process: int
) -> None:
    with pytest.raises(VilcoError) as publish:
        _publish(demo_uow, actor, process)  # type: ignore[arg-type]
    assert publish.value.code == "errors.forbidden"
    draw_id = _publish(demo_uow, ADMIN, process)
    with pytest.raises(VilcoError) as draw:
        draws.perform_draw(demo_uow, actor, draw_id, seed="1", witnesses=["Ana"])
    assert draw.value.code == "errors.forbidden"
    assert not draws.get_draw(demo_uow, draw_id).drawn


def test_draws_uniform_lottery_publishes_ids_only(demo_uow: SqlUnitOfWork) -> None:
    draw_id = draws.publish_lottery(
        demo_uow,
        ADMIN,
        BUDGET,
        title="Uniforme",
        pool_csv=_pool(),
        quotas_csv="",
        lottery=_lottery("uniform"),
    )
    draw = draws.perform_draw(demo_uow, ADMIN, draw_id, seed="7", witnesses=["Ana"])
    assert draw.method == "uniform" and draw.pool_csv.splitlines()[0] == "id"
    assert len(draw.panel) == 7
    assert draws.check_published_draw(demo_uow, draw_id, "7").matches


def test_draws_through_the_worker_process_give_the_same_panel(demo_uow: SqlUnitOfWork) -> None:
    """The app publishes and draws through a worker process: same lottery bytes, same stored
    pool, same panel for the same seed as in-process, bit for bit; refusals still refused."""
    job = worker.start(lottery_file, _pool(), QUOTAS, 7, "leximin", reports_progress=True)
    data = job.result(timeout=120)
    job.stop()
    assert data == _lottery()
    seed = "3 6 1 4 2 5"
    here = draws.perform_draw(demo_uow, FACILITATOR, _publish(demo_uow), seed=seed,
                              witnesses=["W"], now=NOW)  # fmt: skip
    there_id = draws.publish_lottery(demo_uow, FACILITATOR, BUDGET, title="Worker",
                                     pool_csv=_pool(), quotas_csv=QUOTAS, lottery=data,
                                     alternates=3, run=worker.run)  # fmt: skip
    there = draws.perform_draw(demo_uow, FACILITATOR, there_id, seed=seed, witnesses=["W"],
                               now=NOW, run=worker.run)  # fmt: skip
    assert (there.panel, there.alternates) == (here.panel, here.alternates)
    assert there.pool_csv == here.pool_csv and there.lottery_sha256 == here.lottery_sha256
    with pytest.raises(VilcoError) as caught:
        draws.publish_lottery(demo_uow, FACILITATOR, BUDGET, title="Other pool",
                              pool_csv=_pool().replace("P29", "X29"), quotas_csv=QUOTAS,
                              lottery=data, run=worker.run)  # fmt: skip
    assert caught.value.code == "sortition.pool_hash_mismatch"
    with pytest.raises(VilcoError, match=r"draws\.already_drawn"):
        draws.perform_draw(demo_uow, FACILITATOR, there_id, seed=seed, witnesses=["W"],
                           run=worker.run)  # fmt: skip
