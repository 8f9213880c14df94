"""Several app replicas on one database: a ballot cast through one replica shows on another's
cached screens (results, projector, live counts) within 3 s.

Each replica is a separate Python process (`replica_probe.py`) holding the app's own caches
(`results_cache`, the projector's board); both warm their caches first, then one casts and the
other keeps reading as its screens do. On SQLite the two processes share one file; on
PostgreSQL one database, as `deploy/` runs N replicas.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vilco_core.model import Role, StaffUser
from vilco_core.services import voting
from vilco_core.store import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[2]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
WITHIN_S = 3.0


class Replica:
    """One probe process: `read()` returns what its screens show now."""

    def __init__(self, database_url: str) -> None:
        env = {**os.environ, "VILCO_DATABASE_URL": database_url, "VILCO_MIX_BATCH": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.replica_probe", "1"],
            cwd=ROOT, env=env, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.first = self._answer()

    def _answer(self, timeout: float = 60.0) -> dict[str, int]:
        assert self.process.stdout is not None
        found: list[str] = []
        reader = threading.Thread(target=lambda: found.append(self.process.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        assert found and found[0], f"the replica did not answer within {timeout} s"
        return dict(json.loads(found[0]))

    def _send(self, line: str) -> dict[str, int]:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._answer()

    def read(self) -> dict[str, int]:
        return self._send("read")

    def cast(self, code: str, ref: str) -> dict[str, int]:
        return self._send(f"cast {code} {ref}")

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def replicas(demo_uow: SqlUnitOfWork, database_url: str) -> Iterator[tuple[Replica, Replica]]:
    started: list[Replica] = []
    try:
        started = [Replica(database_url), Replica(database_url)]
        yield started[0], started[1]
    finally:
        for replica in started:
            replica.stop()


def test_replicas_a_ballot_cast_on_one_shows_on_the_other_within_3_s(
    demo_uow: SqlUnitOfWork, replicas: tuple[Replica, Replica]
) -> None:
    a, b = replicas
    [code] = voting.issue_codes(demo_uow, ADMIN, 1, 1, dt.date.today()).codes
    before = a.read()  # A's caches are warm: results, projector and live counts all cached
    assert before == b.first and before["results"] == before["live"] > 0
    after_b = b.cast(code, "SG-01")
    assert after_b == {key: value + 1 for key, value in before.items()}
    cast_at, seen = time.monotonic(), a.read()
    while seen != after_b and time.monotonic() - cast_at < WITHIN_S:
        time.sleep(0.1)
        seen = a.read()
    assert seen == after_b, f"replica A still shows {seen} {WITHIN_S} s after B's ballot"
