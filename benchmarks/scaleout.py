"""The scale-out run of `load.py`: N replicas behind the proxy (`deploy/local.py`), measured.

    python benchmarks/load.py --db postgres --replicas 1,2,4 --proxy [--voters 50,100,200]

Per replica count, on a fresh PostgreSQL schema with the demo: the launcher starts N
`streamlit run serve.py` replicas and the proxy (Caddy: TLS, the `vilco_replica` cookie);
50, 100 and 200 websocket-level voters (`stclient.py`) load their page through the proxy (an
HTTPS request first, as a browser does, whose stickiness cookie the websocket then sends), and
every "Confirm" is released at once. Printed per run: receipts, p50/p95/max, throughput, lost,
doubled, spent = stored, audit ok. With 2 replicas or more, two more checks:

- projector: a projector session pinned to replica r0 (its cookie) and a voter pinned to r1;
  the delay from the voter's receipt to the projector's "ballots received" figure counting it;
- kill: 100 voters, and 0.3 s after their "Confirm" taps are released replica r0 is SIGKILLed.
  A voter whose connection dies reconnects through the proxy (same cookie: the proxy retries
  it to a live replica) and tries again with its code: it votes, or finds its code spent (its
  first ballot was stored before the kill). Required: no acknowledged receipt lost, no ballot
  doubled, spent codes = stored ballots, and every voter's ballot stored exactly once.

Last: the ratio of p95 at 100 voters with 2 replicas against 1 (below 1: the second replica
helps). Ports 8680 (proxy) and 8681-8689 (replicas) by default (`--proxy-port`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import load
from benchmarks.stclient import Session, page_cookies
from deploy import local

SPENT = "déjà été utilisé"  # vote.code_spent in French
BALLOTS_LABEL = "Bulletins reçus"  # panel.ballots in French: the projector's figure
KILL_AFTER_S = 0.3
RETRIES = 4


@dataclass
class Voter:
    outcome: load.Outcome
    retries: int = 0
    spent_on_retry: bool = False  # its retry found the code spent: the first try was stored
    confirmed_at: float | None = None  # the first "Confirm" tap: latency runs from here


async def _steps(session: Session, timeout: float, gate: load.Gate | None,
                 voter: Voter) -> float | None:  # fmt: skip
    """Open, tick, "Voter", then (at the gate) "Confirmer": seconds to the receipt, or None
    when the page says the code is already spent."""
    await session.open(timeout)
    if session.text_containing(SPENT):
        return None
    await session.check(session.shown("checkbox")[0].label, timeout=timeout)
    await session.click("Voter", timeout=timeout)
    session.find("button", "Confirmer")
    if gate is not None:
        await gate.arrive()
    voter.outcome.confirmed = True
    if voter.confirmed_at is None:
        voter.confirmed_at = time.perf_counter()
    return await session.click("Confirmer", timeout=timeout)


async def vote_through_proxy(proxy_url: str, code: str, timeout_ms: int,
                             gate: load.Gate | None) -> Voter:  # fmt: skip
    """One voter through the proxy, with retries after a lost connection (a killed replica)."""
    voter, timeout = Voter(outcome=load.Outcome(code=code)), timeout_ms / 1000
    cookies: dict[str, str] = {}
    for attempt in range(RETRIES + 1):
        session: Session | None = None
        try:
            async with gate.opening if gate and attempt == 0 else contextlib.nullcontext():
                cookies = await asyncio.to_thread(page_cookies, proxy_url, f"/vote?c={code}",
                                                  cookies)  # fmt: skip
            session = Session(proxy_url, "vote", f"c={code}", cookies=cookies)
            seconds = await _steps(session, timeout, gate if attempt == 0 else None, voter)
            if seconds is None:
                voter.spent_on_retry = attempt > 0
                voter.outcome.error = None if attempt > 0 else "code spent at the first try"
                return voter
            found = load.RECEIPT.search(session.text_containing("Votre reçu :") or "")
            voter.outcome.receipt = found.group(1) if found else None
            voter.outcome.seconds = time.perf_counter() - (voter.confirmed_at or 0.0)
            voter.outcome.error = None if found else "receipt not shown"
            return voter
        except Exception as error:  # a dead connection or a timeout: try again, as a phone does
            voter.outcome.error = f"{type(error).__name__}: {str(error)[:120]}"
            if gate is not None and attempt == 0 and not voter.outcome.confirmed:
                gate.leave()
            voter.retries += 1
            await asyncio.sleep(0.5 * (attempt + 1))
        finally:
            if session is not None:
                cookies = session.cookies
                await session.close()
    return voter


async def run_wave(proxy_url: str, codes: list[str], timeout_ms: int, opening: int,
                   kill: Any = None) -> tuple[list[Voter], float]:  # fmt: skip
    """The first code warms up every replica's imports, then the others vote together; `kill`
    (a callable) runs in a thread `KILL_AFTER_S` after the taps are released."""
    warm = [await vote_through_proxy(proxy_url, code, 60_000, None) for code in codes[:1]]
    gate = load.Gate(len(codes) - 1, opening)
    tasks = [vote_through_proxy(proxy_url, code, timeout_ms, gate) for code in codes[1:]]

    async def killer() -> None:
        await gate.go.wait()
        await asyncio.sleep(KILL_AFTER_S)
        await asyncio.to_thread(kill)

    voters = await asyncio.gather(*tasks, *([killer()] if kill else []))
    wall = time.perf_counter() - gate.released_at
    return [*warm, *[v for v in voters if isinstance(v, Voter)]], wall


def _ballots_shown(session: Session) -> int | None:
    for shown in session.shown("metric"):
        if shown.proto.label == BALLOTS_LABEL and shown.proto.body.isdigit():
            return int(shown.proto.body)
    return None


def _cookie(replica: dict[str, Any]) -> dict[str, str]:
    """The proxy's cookie that pins a visitor to `replica` (`name=value` in the launcher's
    summary)."""
    name, _, value = str(replica["cookie"]).partition("=")
    return {name: value}


async def projector_delay(proxy_url: str, replicas: list[dict[str, Any]], code: str,
                          timeout: float = 20.0) -> dict[str, Any]:  # fmt: skip
    """A projector pinned to r0, a voter pinned to r1 (their proxy cookies): seconds from the
    voter's receipt to the projector counting the ballot."""
    projector = Session(proxy_url, "projector", "process=1&langs=fr",
                        cookies=_cookie(replicas[0]))  # fmt: skip
    voter = Session(proxy_url, "vote", f"c={code}", cookies=_cookie(replicas[1]))
    try:
        await projector.open(60)
        projector.follow_fragments()
        before = _ballots_shown(projector)
        await voter.open(60)
        await voter.check(voter.shown("checkbox")[0].label, timeout=60)
        await voter.click("Voter", timeout=60)
        await voter.click("Confirmer", timeout=60)
        receipt_at = time.perf_counter()
        landed = {"projector": replicas[0]["name"], "voter": replicas[1]["name"],
                  "kept_cookies": projector.cookies == _cookie(replicas[0])
                  and voter.cookies == _cookie(replicas[1])}  # fmt: skip
        while _ballots_shown(projector) != (before or 0) + 1:
            if time.perf_counter() - receipt_at > timeout:
                return {"projector_delay_s": None, "projector_before": before, **landed}
            await asyncio.sleep(0.02)
        delay = time.perf_counter() - receipt_at
        return {"projector_delay_s": round(delay, 2), "projector_within_3s": delay <= 3.0,
                "projector_before": before, **landed}  # fmt: skip
    finally:
        await voter.close()
        await projector.close()


def _codes_spent(url: str) -> int:
    return int(load.recount(url, [], 0)["codes_spent"])


def measure(url: str, proxy_url: str, codes: list[str], timeout_s: float, opening: int,
            kill: Any = None) -> dict[str, Any]:  # fmt: skip
    before, spent_before = load.ballots_now(url), _codes_spent(url)
    voters, wall = asyncio.run(run_wave(proxy_url, codes, int(timeout_s * 1000), opening, kill))
    outcomes = [v.outcome for v in voters]
    counted = load.recount(url, outcomes, before)
    spent = counted["codes_spent"] - spent_before
    summary = load.summarise(outcomes, wall)
    return {
        "voters": summary["voters"], "receipts": summary["receipts"],
        "p50_s": summary["p50_s"], "p95_s": summary["p95_s"], "max_s": summary["max_s"],
        "throughput_per_s": summary["throughput_per_s"], "lost": counted["lost"],
        "doubled": counted["doubled"], "spent_equals_stored": spent == counted["stored_added"],
        "each_voter_stored_once": counted["stored_added"] == len(codes),
        "audit_ok": counted["audit_chain_ok"] and counted["audit_tallies_ok"]
        and counted["audit_codes_ok"],
        "retried": sum(1 for v in voters if v.retries),
        "spent_on_retry": sum(1 for v in voters if v.spent_on_retry),
        "errors": summary["errors"] if summary["receipts"] < summary["voters"] else [],
    }  # fmt: skip


def pool_env(replicas: int) -> dict[str, str]:
    """Each replica's share of PostgreSQL's 100 connections (at most 80 for the app)."""
    size = min(10, 60 // replicas)
    return {"VILCO_DB_POOL_SIZE": str(size),
            "VILCO_DB_MAX_OVERFLOW": str(max(2, min(20, 80 // replicas - size)))}  # fmt: skip


def run_replicas(counts: list[int], voters: list[int], timeout_s: float, opening: int,
                 proxy_port: int, kill: bool = True) -> list[dict[str, Any]]:  # fmt: skip
    """Every replica count in turn, each on a fresh schema; one printed line per measurement."""
    rows: list[dict[str, Any]] = []
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="vilco-scaleout-") as folder:
            tmp = Path(folder)
            url, schema = load.make_database("postgres", tmp)
            saved = {k: local.os.environ.get(k) for k in pool_env(count)}
            local.os.environ.update(pool_env(count))
            try:
                needed = sum(n + 1 for n in voters) + (102 if kill and count > 1 else 0) + 1
                codes = load.issue(url, needed)
                started = time.perf_counter()
                deployment = local.up(replicas=count, port=proxy_port,
                                      first_replica_port=proxy_port + 1, database_url=url,
                                      state_dir=tmp / "deploy")  # fmt: skip
                up_s = round(time.perf_counter() - started, 1)
                proxy_url = deployment["proxy_url"]
                for n in voters:
                    batch, codes = codes[: n + 1], codes[n + 1 :]
                    row = {"replicas": count, "run": "load", "up_s": up_s,
                           **measure(url, proxy_url, batch, timeout_s, opening)}  # fmt: skip
                    rows.append(row)
                    yield_row(row)
                if count > 1:
                    row = {"replicas": count, "run": "projector",
                           **asyncio.run(projector_delay(proxy_url, deployment["replicas"],
                                                        codes.pop()))}  # fmt: skip
                    rows.append(row)
                    yield_row(row)
                if kill and count > 1:
                    batch, codes = codes[:101], codes[101:]
                    crash = functools.partial(local.kill_replica, 0, tmp / "deploy")
                    row = {"replicas": count, "run": "kill r0",
                           **measure(url, proxy_url, batch, timeout_s, opening, crash)}  # fmt: skip
                    rows.append(row)
                    yield_row(row)
            finally:
                local.down(tmp / "deploy")
                for key, value in saved.items():
                    if value is None:
                        local.os.environ.pop(key, None)
                    else:
                        local.os.environ[key] = value
                load.drop_schema(schema)
    p95 = {(r["replicas"], r["voters"]): r["p95_s"] for r in rows if r["run"] == "load"}
    one, two = p95.get((1, 100)), p95.get((2, 100))
    if one and two:
        row = {"run": "ratio", "p95_100_voters_2_vs_1_replica": round(two / one, 2)}
        rows.append(row)
        yield_row(row)
    return rows


def yield_row(row: dict[str, Any]) -> None:
    print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
