"""Heavy tasks in a worker process (`vilco_core.worker`): the value comes back, progress is
readable while the task runs, cancel stops it with `sortition.cancelled`, errors keep their
code and parameters, a crash is reported, and a draw gives the same lottery as in-process."""

from __future__ import annotations

import os
import time

import pytest

from tests.unit.sortition_helpers import instance_dir, panel_size
from vilco_core import worker
from vilco_core.draws import lottery_file, seeded_panel, summarise_pool
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.sortition import (
    CancelCheck,
    Progress,
    ProgressCallback,
    lottery_sha256,
    read_lottery,
)
from vilco_core.sortition.progress import report


def slow_count(steps: int, *, progress: ProgressCallback, cancelled: CancelCheck) -> int:
    """Counts to `steps`, reporting and checking cancel at each step (a stand-in solver)."""
    for done in range(steps):
        report(progress, cancelled, Progress(stage="counting", done=done, total=steps, panels=0))
        time.sleep(0.01)
    return steps


def refuse(many: bool) -> None:
    if many:
        raise ValidationErrors([VilcoError("draws.title_required"), VilcoError("x.y", n=2)])
    raise VilcoError("sortition.pool_hash_mismatch", expected="a", actual="b")


def crash() -> None:
    os._exit(3)


def test_worker_runs_elsewhere_and_returns_the_value() -> None:
    assert worker.run(os.getpid) != os.getpid()
    assert worker.run(pow, 3, 4) == 81 == worker.inline(pow, 3, 4)


def test_worker_progress_then_cancel() -> None:
    job = worker.start(slow_count, 100_000, reports_progress=True)
    try:
        waited = 0.0
        while job.progress() is None and waited < 120:
            time.sleep(0.05)
            waited += 0.05
        state = job.progress()
        assert state is not None and state.stage == "counting" and state.total == 100_000
        assert not job.done()
        job.cancel()
        with pytest.raises(VilcoError, match=r"sortition\.cancelled"):
            job.result(timeout=60)
    finally:
        job.stop()


def test_worker_errors_keep_code_and_parameters() -> None:
    with pytest.raises(VilcoError) as one:
        worker.run(refuse, False)
    assert (one.value.code, dict(one.value.params)) == (
        "sortition.pool_hash_mismatch",
        {"expected": "a", "actual": "b"},
    )
    with pytest.raises(ValidationErrors) as many:
        worker.run(refuse, True)
    assert [(e.code, dict(e.params)) for e in many.value.problems] == [
        ("draws.title_required", {}),
        ("x.y", {"n": 2}),
    ]
    with pytest.raises(RuntimeError, match="worker"):
        worker.run(crash)


def test_worker_draw_is_the_same_as_in_process() -> None:
    folder = instance_dir("example_small_20")
    pool, quotas = (folder / "people.csv").read_text(), (folder / "features.csv").read_text()
    size = panel_size("example_small_20")
    here = lottery_file(pool, quotas, size, "leximin")
    job = worker.start(lottery_file, pool, quotas, size, "leximin", reports_progress=True)
    there = job.result(timeout=300)
    job.stop()
    assert there == here
    digest = lottery_sha256(read_lottery(here))
    assert worker.run(seeded_panel, there, digest, "1 2 3 4", 2) == seeded_panel(
        here, digest, "1 2 3 4", 2
    )
    summary = worker.run(summarise_pool, pool, quotas, size, "leximin")
    assert summary == summarise_pool(pool, quotas, size, "leximin")
    assert summary.people == len(pool.strip().splitlines()) - 1 and summary.quotas
