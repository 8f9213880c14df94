"""Faults under load: the app server killed with SIGKILL mid-vote, and PostgreSQL going away
during a voter's session.

    python benchmarks/faults.py kill --voters 30 --db sqlite      # or --db postgres
    python benchmarks/faults.py pg-outage                         # stops and starts PostgreSQL!

`kill`: N voters (websocket-level Streamlit sessions, see `stclient.py`) start together; after
`--after` seconds the server gets SIGKILL and a new one starts on the same port. Voters whose
session died see no receipt. Then every voter without a receipt tries again with the same code
(a fresh session). Checked: every acknowledged receipt is stored once; spent codes equal stored
ballots (a code is spent only with its ballot); after the retries no code has two ballots, and
`codes_without_ballot` counts retries that still got no receipt (a timeout: their code stays
unused); the audit holds.

`pg-outage`: one voter reaches "Confirm"; PostgreSQL is stopped (`pg_ctlcluster ... stop`); the
tap must show the translated "try again" (no traceback) and store nothing; PostgreSQL is
started again; the voter opens the link again and votes: stored once. It stops the local
cluster for a few seconds: do not run it while others use that PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load

TRY_AGAIN = "réessayez dans quelques secondes"


def kill_scenario(kind: str, voters: int, after: float, timeout_s: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vilco-faults-") as folder:
        tmp = Path(folder)
        url, schema = load.make_database(kind, tmp)
        server = None
        try:
            codes = load.issue(url, voters + 1)
            before = load.ballots_now(url)
            server = load.start_server(url, tmp)
            restart: dict[str, float] = {}

            async def killer() -> None:
                await asyncio.sleep(after)
                restart["killed_at"] = time.perf_counter()
                assert server is not None
                server.kill9()
                await asyncio.to_thread(server.start)
                restart["down_s"] = time.perf_counter() - restart["killed_at"]

            first, _wall = asyncio.run(
                load.run_voters(server.url, codes, int(timeout_s * 1000), alongside=killer)
            )
            after_kill = load.recount(url, first, before)
            again = [o.code for o in first if not o.receipt]
            retried: list[load.Outcome] = []
            if again:
                retried, _ = asyncio.run(load.run_voters(server.url, [codes[0], *again], 60_000))
            final = load.recount(url, [o for o in first + retried[1:] if o.receipt], before)
            return {
                "db": kind, "voters": voters + 1, "killed_after_s": after,
                "server_down_s": round(restart.get("down_s", 0), 2),
                "receipts_before_kill_or_unaffected": after_kill["acknowledged"],
                "no_receipt": len(again),
                "after_kill": after_kill,
                "retry_receipts": sum(1 for o in retried[1:] if o.receipt),
                "retry_no_receipt": sum(1 for o in retried[1:] if not o.receipt),
                "final": final,
                "codes_without_ballot": voters + 1 - final["stored_added"],
            }  # fmt: skip
        finally:
            if server is not None:
                server.stop()
            load.drop_schema(schema)


def _cluster(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
                   check=True, capture_output=True)  # fmt: skip


async def _outage_voter(base_url: str, code: str) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=load.CHROMIUM,
                                                   args=load.CHROMIUM_ARGS)  # fmt: skip
        page = await browser.new_page(locale="fr-BE")
        page.set_default_timeout(60_000)
        await page.goto(f"{base_url}/vote?c={code}")
        await page.get_by_test_id("stCheckbox").first.click()
        await page.get_by_role("button", name="Voter", exact=True).click()
        confirm = page.get_by_role("button", name="Confirmer", exact=True)
        await confirm.wait_for()
        await asyncio.to_thread(_cluster, "stop")
        stopped = time.perf_counter()
        saw_try_again, tracebacks, shown_text = False, 0, ""
        try:
            await confirm.click()
            await page.get_by_text(TRY_AGAIN).wait_for(timeout=40_000)
            saw_try_again = True
        except Exception:  # report what the voter saw instead
            pass
        finally:
            tracebacks = await page.get_by_text("Traceback").count()
            shown_text = (await page.inner_text("body"))[-600:]
            await asyncio.to_thread(_cluster, "start")
        down = time.perf_counter() - stopped
        print(f"while PostgreSQL was down the voter saw: {shown_text!r}", file=sys.stderr)
        # The retry: the voter opens the card's link again and votes (three taps).
        await page.goto(f"{base_url}/vote?c={code}")
        await page.get_by_test_id("stCheckbox").first.click()
        await page.get_by_role("button", name="Voter", exact=True).click()
        await page.get_by_role("button", name="Confirmer", exact=True).click()
        shown = page.get_by_text("Votre reçu :")
        await shown.wait_for()
        found = load.RECEIPT.search(await shown.inner_text())
        await browser.close()
    receipt = found.group(1) if found else None
    return {"saw_try_again": saw_try_again, "tracebacks_shown": tracebacks, "seen": shown_text,
            "postgres_down_s": round(down, 1), "receipt": receipt}  # fmt: skip


def outage_scenario() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vilco-faults-") as folder:
        tmp = Path(folder)
        url, schema = load.make_database("postgres", tmp)
        server = None
        try:
            [code] = load.issue(url, 1)
            before = load.ballots_now(url)
            server = load.start_server(url, tmp)
            seen = asyncio.run(_outage_voter(server.url, code))
            outcome = load.Outcome(code=code, receipt=seen["receipt"])
            return {**seen, **load.recount(url, [load.Outcome(code=""), outcome], before)}
        finally:
            if server is not None:
                server.stop()
            load.drop_schema(schema)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    actions = parser.add_subparsers(dest="scenario", required=True)
    kill = actions.add_parser("kill")
    kill.add_argument("--voters", type=int, default=30)
    kill.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    kill.add_argument("--after", type=float, default=6.0, help="seconds before SIGKILL")
    kill.add_argument("--timeout", type=float, default=40.0)
    actions.add_parser("pg-outage")
    args = parser.parse_args()
    if args.scenario == "kill":
        if not 1 <= args.voters <= load.MAX_VOTERS:
            parser.error(f"voters must be 1..{load.MAX_VOTERS}")
        result = kill_scenario(args.db, args.voters, args.after, args.timeout)
    else:
        result = outage_scenario()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
