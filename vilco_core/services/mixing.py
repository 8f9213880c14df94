"""Use cases of ballot mixing: a cast ballot waits in the pending table (committed with the spend
of its code, its receipt shown at once) until at least `k` ballots of its process wait; then a
new transaction moves them all into the ballots table in shuffled order, their audit entries in
that order (`audit.mix_pending`). Nothing stored afterwards — row order, PostgreSQL's `xmin`,
the audit log's order — ties a ballot to a code, a card batch or a moment finer than its batch.

`k` is `VILCO_MIX_BATCH` (default 20). What is still pending at the end of the vote is mixed
whatever its size by `flush_ballots` (`python -m vilco_core mix --flush`) or by publishing the
tally; `mix_report` gives the size of every batch, shown with the results.
"""

from __future__ import annotations

import json
import logging
import os
import random
from dataclasses import dataclass
from typing import Final

from vilco_core.audit import MIXED
from vilco_core.model import StaffUser
from vilco_core.services import access
from vilco_core.services.audit import mix_pending
from vilco_core.unit_of_work import UnitOfWork

DEFAULT_BATCH: Final = 20
MAX_BATCH: Final = 10_000
log = logging.getLogger(__name__)


def mix_batch(environ: dict[str, str] | None = None) -> int:
    """`k`, the smallest batch mixed during the vote: `VILCO_MIX_BATCH`, else 20. A value that is
    not a whole number from 1 to 10,000 is ignored (with a warning): votes must not stop on it."""
    env = os.environ if environ is None else environ
    text = env.get("VILCO_MIX_BATCH", "").strip()
    if not text:
        return DEFAULT_BATCH
    if text.isdigit() and 1 <= int(text) <= MAX_BATCH:
        return int(text)
    log.warning("VILCO_MIX_BATCH=%r is not a whole number from 1 to %d: using %d",
                text, MAX_BATCH, DEFAULT_BATCH)  # fmt: skip
    return DEFAULT_BATCH


def mix_due(uow: UnitOfWork, process_id: int, k: int | None = None,
            rng: random.Random | None = None) -> int:  # fmt: skip
    """After a cast has committed: mix the process's pending ballots when at least `k` wait.
    How many were mixed. A failure here loses nothing (the ballots stay pending, the next cast
    or a flush mixes them), so it is logged, never raised to the voter who already has a
    receipt."""
    try:
        with uow:
            mixed = mix_pending(uow, process_id, k or mix_batch(), rng or random.SystemRandom())
            if mixed:
                uow.commit()
                uow.ballots.reclaim()
        return mixed
    except Exception:  # the cast is committed: the voter keeps a valid receipt whatever happens
        log.exception("mixing the pending ballots of process %s failed; they stay pending",
                      process_id)  # fmt: skip
        return 0


def flush_ballots(uow: UnitOfWork, actor: StaffUser | None, process_id: int | None = None,
                  rng: random.Random | None = None) -> dict[int, int]:  # fmt: skip
    """Mix every pending ballot (of one process, or of every process with pending ballots),
    whatever the batch size: at the end of the vote. {process id: ballots mixed}."""
    return _mix_each(uow, actor, process_id, 1, rng)


def mix_all_due(uow: UnitOfWork, actor: StaffUser | None, process_id: int | None = None,
                rng: random.Random | None = None) -> dict[int, int]:  # fmt: skip
    """`mix_due` for every process with pending ballots (the CLI's `mix`, e.g. from cron)."""
    return _mix_each(uow, actor, process_id, mix_batch(), rng)


def _mix_each(uow: UnitOfWork, actor: StaffUser | None, process_id: int | None, k: int,
              rng: random.Random | None) -> dict[int, int]:  # fmt: skip
    access.require(actor, *access.PUBLISHERS)
    with uow:
        waiting = uow.ballots.pending_counts()
        if process_id is not None:
            access.managed_process(uow, actor, process_id)
    chosen = [p for p in sorted(waiting) if process_id in (None, p)]
    done: dict[int, int] = {}
    for pid in chosen:
        with uow:
            access.managed_process(uow, actor, pid)
            done[pid] = mix_pending(uow, pid, k, rng or random.SystemRandom())
            uow.commit()
    if done:
        with uow:
            uow.ballots.reclaim()
    return done


@dataclass(frozen=True, slots=True, kw_only=True)
class MixReport:
    """The size of each mixing batch of a process, in the order they were mixed, and how many
    ballots wait for the next one (counted already, in the audit log once mixed)."""

    batches: tuple[int, ...]
    pending: int

    @property
    def smallest(self) -> int | None:
        return min(self.batches) if self.batches else None


def mix_report(uow: UnitOfWork, process_id: int) -> MixReport:
    with uow:
        entries = uow.audit.of_kind(MIXED)
        pending = uow.ballots.pending_counts().get(process_id, 0)
    sizes = []
    for e in entries:
        payload = json.loads(e.payload)
        if payload.get("process_id") == process_id:
            sizes.append(int(payload["ballots"]))
    return MixReport(batches=tuple(sizes), pending=pending)
