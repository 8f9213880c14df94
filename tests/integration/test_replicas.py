"""Several app replicas on one database: a ballot cast through one replica shows on another's
cached screens (results, projector, live counts) within 3 s; so do a panel's new round (the
phones' poll) and a member's ballot (the panel's projector).

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
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vilco_core.model import Role, StaffUser
from vilco_core.services import panel_sessions, voting
from vilco_core.store import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[2]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
WITHIN_S = 3.0


class Replica:
    """One probe process: `read()` returns what its screens show now."""

    def __init__(self, database_url: str, session_id: int) -> None:
        env = {**os.environ, "VILCO_DATABASE_URL": database_url, "VILCO_MIX_BATCH": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.replica_probe", "1", str(session_id)],
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

    def open_round(self) -> dict[str, int]:
        return self._send("open")

    def send(self, code: str, round_id: int, ref: str) -> dict[str, int]:
        return self._send(f"send {code} {round_id} {ref}")

    def sees(self, expected: dict[str, int], within: float = WITHIN_S) -> dict[str, int]:
        """Read as a screen does until it shows `expected` or `within` seconds passed."""
        return self.until(lambda seen: seen == expected, within)

    def until(self, shown: Callable[[dict[str, int]], bool], within: float = WITHIN_S,
              seen: dict[str, int] | None = None) -> dict[str, int]:  # fmt: skip
        started, seen = time.monotonic(), seen or self.read()
        while not shown(seen) and time.monotonic() - started < within:
            time.sleep(0.1)
            seen = self.read()
        return seen

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
def panel(demo_uow: SqlUnitOfWork) -> tuple[int, str]:
    """A panel session of the demo vote with one member present: (session, their code)."""
    issued = panel_sessions.create_session(demo_uow, ADMIN, 1, "Panel", ["P1"], dt.date.today())
    [(_, code)] = issued.codes
    panel_sessions.join_session(demo_uow, code, dt.datetime.now(dt.UTC))
    return issued.session_id, code


@pytest.fixture
def replicas(database_url: str, panel: tuple[int, str]) -> Iterator[tuple[Replica, Replica]]:
    started: list[Replica] = []
    try:
        started = [Replica(database_url, panel[0]), Replica(database_url, panel[0])]
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
    assert before["round"] is None and before["round_ballots"] is None
    after_b = b.cast(code, "SG-01")
    counts = ("results", "projector", "live")
    assert after_b == before | {key: before[key] + 1 for key in counts}
    seen = a.sees(after_b)
    assert seen == after_b, f"replica A shows {seen} {WITHIN_S} s after B's ballot"


def test_replicas_a_round_opened_and_a_member_ballot_on_one_show_on_the_other_within_3_s(
    replicas: tuple[Replica, Replica], panel: tuple[int, str]
) -> None:
    a, b = replicas
    a.read()  # A's phones' poll and panel projector are cached: no round yet
    # the phones' poll reads the round at most once a second per replica (ttl 1 s), B's too
    opened = b.until(lambda seen: seen["round"] is not None, seen=b.open_round())
    assert opened["round"] is not None and opened["round_ballots"] == 0
    assert a.sees(opened) == opened, "the phones on replica A never saw B's new round"
    sent = b.send(panel[1], int(opened["round"]), "SG-02")
    assert sent == opened | {"round_ballots": 1}
    assert a.sees(sent) == sent, "the projector on replica A never counted B's panel ballot"
