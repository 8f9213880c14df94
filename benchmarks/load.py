"""N concurrent voters against `streamlit run`, each a real Streamlit session with its own code.

    python benchmarks/load.py --voters 50 --db sqlite      # or --db postgres
    python benchmarks/load.py --voters 10,25,50,100,150 --db sqlite --json
    python benchmarks/load.py --voters 10 --client browser  # headless Chromium instead
    python benchmarks/load.py --db postgres --replicas 1,2,4 --proxy  # scale-out: scaleout.py

Each voter opens its card's link `/vote?c=CODE`, ticks a project, taps "Vote" then "Confirm",
and waits for its receipt. By default a voter is a websocket-level client (`stclient.py`: the
Streamlit protocol over `/_stcore/stream`, a session of its own on the server, no browser);
`--client browser` uses a Playwright context of Debian's chromium instead, whose renderers share
the server's two cores (fifty of them measure the browsers more than the server). Pages open a
few at a time, then every "Confirm" is released at once: the server sees N simultaneous submits.
Latency is measured from the "Confirm" tap to the receipt on screen. Bounded: at most 200 voters,
a global time limit, 127.0.0.1 only. The recount checks that every acknowledged receipt is in
the database exactly once, that spent codes equal stored ballots (no ballot without its code,
no code spent without its ballot) and that the audit chain and ballot entries hold.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from vilco_core.demo import load_demo  # noqa: E402
from vilco_core.model import Role, StaffUser  # noqa: E402
from vilco_core.services import audit, voting  # noqa: E402
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database  # noqa: E402
from vilco_core.store.tables_ballots import BallotRow, PendingBallotRow  # noqa: E402
from vilco_core.store.tables_onsite import CodeBatchRow, VoteCodeRow  # noqa: E402

MAX_VOTERS = 200
TARGET_P95_S = 2.0  # the issue's target for 50 voters: printed as a ratio (<= 1 meets it)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]  # fmt: skip
POSTGRES = os.environ.get(
    "VILCO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ADMIN = StaffUser(username="admin", name="bench", role=Role.ADMIN)
RECEIPT = re.compile(r"Votre reçu : ([0-9A-Z]{10})")


# -- database and server ---------------------------------------------------------------------


def make_database(kind: str, tmp: Path) -> tuple[str, str | None]:
    """A fresh database with the demo: (URL, PostgreSQL schema to drop afterwards or None)."""
    if kind == "sqlite":
        url, schema = f"sqlite:///{tmp / 'load.sqlite3'}", None
    else:
        schema = f"vilco_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_database(engine)
    load_demo(SqlUnitOfWork(engine), dt.date.today())
    engine.dispose()
    return url, schema


def drop_schema(schema: str | None) -> None:
    if schema:
        admin = create_engine(POSTGRES)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def issue(url: str, count: int) -> list[str]:
    engine = make_engine(url)
    try:
        return list(
            voting.issue_codes(SqlUnitOfWork(engine), ADMIN, 1, count, dt.date.today()).codes
        )
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    port: int
    database_url: str
    log: Path
    root: Path = ROOT  # the checkout whose app runs
    process: subprocess.Popen[bytes] | None = None
    rss_peak_kb: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        env = {**os.environ, "VILCO_DATABASE_URL": self.database_url, "VILCO_DEMO": "1",
               "VILCO_BASEMAP": "none", "VILCO_LOGIN_SLEEP": "0"}  # fmt: skip
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port",
                   str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        threading.Thread(target=self._sample, daemon=True).start()
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start: {self.log.read_text()[-2000:]}")

    def _sample(self) -> None:
        process = self.process
        while process is not None and process.poll() is None and not self._stop.is_set():
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
                self.rss_peak_kb = max(self.rss_peak_kb, kb)
            except (OSError, AttributeError):
                return
            time.sleep(0.2)

    def kill9(self) -> None:
        if self.process is not None:
            self.process.kill()  # SIGKILL: no shutdown hook runs
            self.process.wait()

    def stop(self) -> None:
        self._stop.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


def start_server(database_url: str, tmp: Path, root: Path = ROOT) -> Server:
    port = free_port()
    server = Server(url=f"http://127.0.0.1:{port}", port=port, database_url=database_url,
                    log=tmp / "server.log", root=root)  # fmt: skip
    server.start()
    return server


# -- voters ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    code: str
    receipt: str | None = None
    seconds: float | None = None  # "Confirm" tapped -> receipt shown
    error: str | None = None
    confirmed: bool = False  # the confirm tap was sent (the ballot may or may not be stored)


async def vote(browser: Any, base_url: str, code: str, timeout_ms: int,
               gate: Gate | None = None) -> Outcome:  # fmt: skip
    """One voter; with a `gate`, the page is opened under its limit and the "Confirm" tap
    waits for every other voter's, so all submits land together."""
    outcome = Outcome(code=code)
    arrived = False
    context = await browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-BE")
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        async with gate.opening if gate else contextlib.nullcontext():
            await page.goto(f"{base_url}/vote?c={code}")
            await page.get_by_role("checkbox").first.wait_for()
            await page.get_by_test_id("stCheckbox").first.click()
            await page.get_by_role("button", name="Voter", exact=True).click()
            confirm = page.get_by_role("button", name="Confirmer", exact=True)
            await confirm.wait_for()
        if gate is not None:
            arrived = True
            await gate.arrive()
        start = time.perf_counter()
        await confirm.click()
        outcome.confirmed = True
        shown = page.get_by_text("Votre reçu :")
        await shown.wait_for()
        outcome.seconds = time.perf_counter() - start
        found = RECEIPT.search(await shown.inner_text())
        outcome.receipt = found.group(1) if found else None
        if outcome.receipt is None:
            outcome.error = "receipt unreadable"
    except Exception as error:  # a timeout or a dead server: the voter saw no receipt
        outcome.error = type(error).__name__
        if gate is not None and not arrived:
            gate.leave()
    finally:
        await context.close()
    return outcome


async def vote_ws(base_url: str, code: str, timeout_ms: int, gate: Gate | None = None) -> Outcome:
    """One voter as a websocket-level Streamlit session (see `vote` for the steps)."""
    from benchmarks.stclient import Session

    outcome = Outcome(code=code)
    timeout = timeout_ms / 1000
    session = Session(base_url, "vote", f"c={code}")
    try:
        async with gate.opening if gate else contextlib.nullcontext():
            await session.open(timeout)
            await session.check(session.shown("checkbox")[0].label, timeout=timeout)
            await session.click("Voter", timeout=timeout)
            session.find("button", "Confirmer")
        if gate is not None:
            await gate.arrive()
        outcome.confirmed = True  # from here on the voter has arrived at the gate
        outcome.seconds = await session.click("Confirmer", timeout=timeout)
        found = RECEIPT.search(session.text_containing("Votre reçu :") or "")
        outcome.receipt = found.group(1) if found else None
        if outcome.receipt is None:
            outcome.error = "receipt not shown"
    except Exception as error:  # a timeout or a dead server: the voter saw no receipt
        outcome.error = f"{type(error).__name__}: {str(error)[:160]}"
        if gate is not None and not outcome.confirmed:
            gate.leave()
    finally:
        await session.close()
    return outcome


class Gate:
    """Opens pages a few at a time (the browsers share the server's two cores), then releases
    every "Confirm" tap at once: the server sees N simultaneous submits."""

    def __init__(self, voters: int, opening: int) -> None:
        self.opening = asyncio.Semaphore(opening)
        self.waiting, self.go = voters, asyncio.Event()
        self.released_at = 0.0

    async def arrive(self) -> None:
        self.leave()
        await self.go.wait()

    def leave(self) -> None:
        self.waiting -= 1
        if self.waiting <= 0 and not self.go.is_set():
            self.released_at = time.perf_counter()
            self.go.set()


async def run_voters(
    base_url: str,
    codes: list[str],
    timeout_ms: int,
    alongside: Any = None,
    opening: int = 0,
    client: str = "ws",
) -> tuple[list[Outcome], float]:
    """The first code warms the server up; the others vote together. With `opening`, pages
    open that many at a time and the submits are synchronised (see `Gate`); the wall time then
    runs from the release of the taps. `alongside`: a coroutine run with the voters."""
    async with contextlib.AsyncExitStack() as stack:
        if client == "browser":
            from playwright.async_api import async_playwright

            playwright = await stack.enter_async_context(async_playwright())
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)  # fmt: skip
            stack.push_async_callback(browser.close)

            def one(code: str, timeout: int, gate: Gate | None = None) -> Any:
                return vote(browser, base_url, code, timeout, gate)
        else:

            def one(code: str, timeout: int, gate: Gate | None = None) -> Any:
                return vote_ws(base_url, code, timeout, gate)

        warm = await one(codes[0], 60_000)  # the first run imports everything
        gate = Gate(len(codes) - 1, opening) if opening else None
        started = time.perf_counter()
        tasks = [one(c, timeout_ms, gate) for c in codes[1:]]
        if alongside is not None:
            tasks.append(alongside())
        results = await asyncio.gather(*tasks)
        wall = time.perf_counter() - (gate.released_at if gate and gate.released_at else started)
    return [warm, *[r for r in results if isinstance(r, Outcome)]], wall


# -- the recount -----------------------------------------------------------------------------


def recount(database_url: str, outcomes: list[Outcome], ballots_before: int) -> dict[str, Any]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            receipts = [r for (r,) in connection.execute(select(BallotRow.receipt))]
            receipts += [r for (r,) in connection.execute(select(PendingBallotRow.receipt))]
            spent = connection.scalar(  # the demo's own ballots spent the "demo" batch
                select(func.count())
                .select_from(VoteCodeRow)
                .join(CodeBatchRow, CodeBatchRow.id == VoteCodeRow.batch_id)
                .where(VoteCodeRow.state == "spent", CodeBatchRow.label != "demo")
            )
        report = audit.verify_audit(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    stored = set(receipts)
    acked = [o.receipt for o in outcomes if o.receipt]
    added = len(receipts) - ballots_before
    return {
        "acknowledged": len(acked),
        "lost": sum(1 for r in acked if r not in stored),
        "doubled": len(receipts) - len(stored) + (len(acked) - len(set(acked))),
        "stored_added": added,
        "unacknowledged_stored": added - sum(1 for r in acked if r in stored),
        "codes_spent": int(spent or 0),
        "spent_equals_stored": int(spent or 0) == added,
        "audit_chain_ok": report.chain_ok,
        "audit_tallies_ok": report.tallies_ok,
        "audit_codes_ok": report.codes_ok,  # per process: spent codes = resident ballots
    }


def ballots_now(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return sum(
                int(connection.scalar(select(func.count()).select_from(table)) or 0)
                for table in (BallotRow, PendingBallotRow)
            )  # mixed and pending ballots alike
    finally:
        engine.dispose()


def summarise(outcomes: list[Outcome], wall: float) -> dict[str, Any]:
    times = sorted(o.seconds for o in outcomes[1:] if o.seconds is not None)
    p95 = times[max(0, round(0.95 * len(times)) - 1)] if times else None
    return {
        "voters": len(outcomes) - 1,
        "receipts": sum(1 for o in outcomes[1:] if o.receipt),
        "errors": sorted({o.error for o in outcomes[1:] if o.error}),
        "wall_seconds": round(wall, 2),
        "throughput_per_s": round(sum(1 for o in outcomes[1:] if o.receipt) / wall, 2),
        "p50_s": round(statistics.median(times), 3) if times else None,
        "p95_s": round(p95, 3) if p95 is not None else None,
        "p95_vs_target": round(p95 / TARGET_P95_S, 2) if p95 is not None else None,
        "max_s": round(times[-1], 3) if times else None,
    }


def run_once(kind: str, voters: int, timeout_s: float, opening: int,
             client: str = "ws") -> dict[str, Any]:  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="vilco-load-") as folder:
        tmp = Path(folder)
        url, schema = make_database(kind, tmp)
        server = None
        try:
            codes = issue(url, voters + 1)
            before = ballots_now(url)
            server = start_server(url, tmp)
            outcomes, wall = asyncio.run(
                run_voters(server.url, codes, int(timeout_s * 1000), opening=opening, client=client)
            )
            result = {"db": kind, "client": client, "opening": opening, **summarise(outcomes, wall),
                      "server_rss_peak_mb": round(server.rss_peak_kb / 1024, 1),
                      **recount(url, outcomes, before)}  # fmt: skip
        finally:
            if server is not None:
                server.stop()
            drop_schema(schema)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", default="50", help="a number, or several: 10,25,50")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--timeout", type=float, default=60.0, help="per voter, seconds")
    parser.add_argument("--opening", type=int, default=4,
                        help="pages opened at once before the synchronised submits (0: all at "
                             "once, unsynchronised)")  # fmt: skip
    parser.add_argument(
        "--client",
        choices=["ws", "browser"],
        default="ws",
        help="websocket-level Streamlit sessions, or headless Chromium",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--replicas", default="", help="with --proxy: replica counts, e.g. 1,2,4")
    parser.add_argument("--proxy", action="store_true",
                        help="through deploy/local.py's HAProxy (TLS, sticky cookie); voters "
                             "default to 50,100,200; see benchmarks/scaleout.py")  # fmt: skip
    parser.add_argument("--proxy-port", type=int, default=8680)
    parser.add_argument("--no-kill", action="store_true", help="skip the SIGKILL run")
    args = parser.parse_args()
    if args.proxy:
        from benchmarks import scaleout

        if args.db != "postgres":
            parser.error("--proxy runs several replicas: --db postgres")
        voters = [int(v) for v in (args.voters if args.voters != "50" else "50,100,200").split(",")]
        counts = [int(v) for v in (args.replicas or "1,2").split(",")]
        if not all(1 <= n <= MAX_VOTERS for n in voters) or not all(1 <= c <= 8 for c in counts):
            parser.error(f"voters must be 1..{MAX_VOTERS}, replicas 1..8")
        scaleout.run_replicas(counts, voters, args.timeout, args.opening or 4, args.proxy_port,
                              kill=not args.no_kill)  # fmt: skip
        return 0
    for n in [int(v) for v in args.voters.split(",")]:
        if not 1 <= n <= MAX_VOTERS:
            parser.error(f"voters must be 1..{MAX_VOTERS}")
        result = run_once(args.db, n, args.timeout, args.opening, args.client)
        print(json.dumps(result) if args.json else
              "  ".join(f"{k}={v}" for k, v in result.items()), flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
