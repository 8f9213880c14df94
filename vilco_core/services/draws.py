"""Use cases of draws by lot: publish a lottery, draw its panel with the public seed, list,
read and replay published draws (the pure parts live in `vilco_core.draws`).

Two steps, in this order: `publish_lottery` stores the lottery file and its hashes (shown to the
public before any seed exists); `perform_draw` then takes the seed rolled in public, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from vilco_core.draws import CheckedLottery, Verification, check_lottery, seeded_panel, verify_draw
from vilco_core.errors import ValidationErrors, VilcoError, expect_found
from vilco_core.model import PanelDraw, Role, StaffUser
from vilco_core.services import access
from vilco_core.services.audit import log_action
from vilco_core.unit_of_work import UnitOfWork
from vilco_core.worker import Runner, inline

MAX_SEED: Final = 200
MAX_WITNESS: Final = 120


def publish_lottery(
    uow: UnitOfWork,
    actor: StaffUser | None,
    process_id: int,
    *,
    title: str,
    pool_csv: str,
    quotas_csv: str,
    lottery: bytes,
    alternates: int = 0,
    now: dt.datetime | None = None,
    run: Runner = inline,
) -> int:
    """Publish a lottery for a process the actor manages; returns the draw's id.

    The lottery file is re-read (canonical, consistent with its quotas) and checked against the
    pool and quotas given; only the draw's columns of the pool are stored (no contacts). The
    check (seconds for 100,000 volunteers) runs through `run`: here by default, in a worker
    process from the app (`vilco_core.worker.run`)."""
    user = access.require(actor, Role.ADMIN, Role.FACILITATOR)
    problems = []
    if not title.strip() or len(title.strip()) > 200:
        problems.append(VilcoError("draws.title_required"))
    if not 0 <= alternates <= 100:
        problems.append(VilcoError("draws.alternates_invalid", maximum=100))
    if problems:
        raise ValidationErrors(problems)
    checked: CheckedLottery = run(check_lottery, pool_csv, quotas_csv, lottery)
    draw = PanelDraw(
        id=None,
        process_id=process_id,
        title=title.strip(),
        method=checked.method,
        size=checked.size,
        alternates_count=alternates,
        pool_csv=checked.public_pool_csv,
        quotas_csv=checked.quotas_csv,
        lottery=lottery,
        lottery_sha256=checked.lottery_sha256,
        pool_sha256=checked.pool_sha256,
        quotas_sha256=checked.quotas_sha256,
        vilco_version=checked.vilco_version,
        published_at=now or dt.datetime.now(dt.UTC),
        published_by=user.username,
    )
    with uow:
        access.managed_process(uow, user, process_id)
        draw_id: int = uow.draws.add(draw)
        log_action(
            uow,
            user,
            "lottery_published",
            process_id=process_id,
            draw_id=draw_id,
            lottery_sha256=draw.lottery_sha256,
        )
        uow.commit()
    return draw_id


def _seed_problems(seed: str, witnesses: tuple[str, ...]) -> list[VilcoError]:
    problems = []
    if not seed:
        problems.append(VilcoError("sortition.empty_seed"))
    elif len(seed) > MAX_SEED:
        problems.append(VilcoError("draws.seed_too_long", maximum=MAX_SEED))
    if not witnesses:
        problems.append(VilcoError("draws.witness_required"))
    if any(len(w) > MAX_WITNESS for w in witnesses):
        problems.append(VilcoError("draws.witness_too_long", maximum=MAX_WITNESS))
    return problems


def perform_draw(
    uow: UnitOfWork,
    actor: StaffUser | None,
    draw_id: int,
    *,
    seed: str,
    witnesses: Sequence[str],
    now: dt.datetime | None = None,
    run: Runner = inline,
) -> PanelDraw:
    """Draw the panel of a published lottery with the seed entered in public: once only (the
    draw itself runs through `run`, as in `publish_lottery`)."""
    user = access.require(actor, Role.ADMIN, Role.FACILITATOR)
    seed = seed.strip()
    names = tuple(w.strip() for w in witnesses if w.strip())
    with uow:
        draw = expect_found(uow.draws.get(draw_id), "draws.not_found", id=draw_id)
        access.managed_process(uow, user, draw.process_id)
    if draw.drawn:
        raise VilcoError("draws.already_drawn", id=draw_id)
    problems = _seed_problems(seed, names)
    if problems:
        raise ValidationErrors(problems)
    # outside any transaction: the draw may take a moment, and runs in a worker from the app
    panel, alternates = run(seeded_panel, draw.lottery, draw.lottery_sha256, seed,
                            draw.alternates_count)  # fmt: skip
    done = replace(draw, seed=seed, panel=panel, alternates=alternates, witnesses=names,
                   drawn_at=now or dt.datetime.now(dt.UTC), drawn_by=user.username)  # fmt: skip
    with uow:
        access.managed_process(uow, user, draw.process_id)
        if not uow.draws.record_draw(done):  # conditional: another draw won meanwhile
            raise VilcoError("draws.already_drawn", id=draw_id)
        log_action(uow, user, "panel_drawn", process_id=draw.process_id, draw_id=draw_id,
                   seed=seed, panel=list(panel))  # fmt: skip
        uow.commit()
    return done


def list_draws(uow: UnitOfWork, process_id: int | None = None) -> list[PanelDraw]:
    """Published draws, newest first (everything stored about a draw is public)."""
    with uow:
        return list(uow.draws.list(process_id))


def get_draw(uow: UnitOfWork, draw_id: int) -> PanelDraw:
    with uow:
        return expect_found(uow.draws.get(draw_id), "draws.not_found", id=draw_id)


def draw_members(uow: UnitOfWork, draw_id: int) -> tuple[str, ...]:
    """The panel a draw seated (pool ids), for a citizen panel session to take as members."""
    draw = get_draw(uow, draw_id)
    if not draw.drawn:
        raise VilcoError("draws.not_drawn", id=draw_id)
    return draw.panel


def check_published_draw(
    uow: UnitOfWork, draw_id: int, seed: str, pool_csv: str | None = None
) -> Verification:
    """Replay a published draw with `seed` and a pool (the published one when None)."""
    draw = get_draw(uow, draw_id)
    return verify_draw(
        draw.pool_csv if pool_csv is None else pool_csv,
        draw.lottery,
        draw.lottery_sha256,
        seed,
        alternates=draw.alternates_count,
        published_panel=draw.panel if draw.drawn else None,
    )
