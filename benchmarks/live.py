"""Benchmark: a live panel round with 50 members, and the projector that shows their ballots.

    .venv/bin/python benchmarks/live.py [--members 50] [--repeat 3] [--json]

Starts `streamlit run` on 127.0.0.1 with a fresh SQLite demo database, creates a session of N
members and opens a round (services, as the facilitator's page does). The projector is a real
browser page (Debian's chromium through Playwright, 1920x1080, `/projector?session=ID`,
refreshing itself). Each member is a real Streamlit session on the server driven by the
websocket-level client (`stclient.py`; fifty Chromium renderers would not fit beside the server
on two cores): it opens `/panel?c=CODE`, polls the facilitator every 2 s as a phone does, and
ticks two projects. Then every member presses "Send" at once (all submits within 5 s), and the
benchmark watches the projector's "ballots received" figure in the browser.

Prints: how the submits spread, the time from the last submit (the last press) until the
projector shows all N ballots (target <= 3 s; Decidim's meeting polls refresh every 5 s),
and the server's memory per member session (RSS with the members connected minus before, over
N). With `--repeat`, a second and third round repeat the measurement on the same session.
Bounded: at most 200 members; the whole run stops after 7 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Page, async_playwright  # noqa: E402

from benchmarks.stclient import Session  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
from vilco_core.model import Role, StaffUser  # noqa: E402
from vilco_core.services import panel_rounds, panel_sessions  # noqa: E402
from vilco_core.store import SqlUnitOfWork, make_engine  # noqa: E402

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
TARGET_SECONDS = 3.0
TIME_LIMIT = 420.0
REFS = ("SG-01", "SG-02", "SG-03", "SG-04", "SC-01", "SC-02", "SC-03", "SC-04")
SEND = "Envoyer mon vote"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def create_session(database_url: str, members: int) -> tuple[int, list[str]]:
    engine = make_engine(database_url)
    try:
        labels = [f"M{i:03d}" for i in range(members)]
        issued = panel_sessions.create_session(
            SqlUnitOfWork(engine), ADMIN, 1, "Benchmark", labels, dt.date.today()
        )
        return issued.session_id, [code for _label, code in issued.codes]
    finally:
        engine.dispose()


def next_round(database_url: str, session_id: int) -> None:
    """Close the open round (if any) and open the next one, as the facilitator does."""
    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(engine)
        now = dt.datetime.now(dt.UTC)
        current = panel_rounds.current_round(uow, session_id)
        if current is not None and current.open:
            panel_rounds.close_round(uow, ADMIN, current.id, now)
        panel_rounds.open_round(uow, ADMIN, session_id, "approval", REFS, "mes", now)
    finally:
        engine.dispose()


async def member_ready(member: Session, index: int, round_number: int) -> None:
    """Wait for the round on the phone, then tick two projects (different for each member)."""
    await member.wait_for_text(f"Tour {round_number}", 60)
    boxes = member.shown("checkbox")
    for offset in sorted({index % len(boxes), (index * 3 + 1) % len(boxes)}):
        await member.check(boxes[offset].label)
    member.find("button", SEND)


async def ballots_shown(projector: Page) -> int:
    text = await projector.get_by_test_id("stMetric").nth(1).inner_text()
    digits = "".join(ch for ch in text.split("\n")[-1] if ch.isdigit())
    return int(digits or 0)


async def one_round(members: list[Session], projector: Page, number: int) -> dict[str, Any]:
    await asyncio.gather(*(member_ready(m, i, number) for i, m in enumerate(members)))
    await asyncio.sleep(2)  # the room settles; the projector shows 0 ballots for this round
    pressed: list[float] = []

    async def press(member: Session) -> float:
        pressed.append(time.monotonic())
        return await member.click(SEND)

    answers = await asyncio.gather(*(press(m) for m in members))
    first, last = min(pressed), max(pressed)
    seen = None
    while time.monotonic() - last < 30:
        if await ballots_shown(projector) >= len(members):
            seen = time.monotonic()
            break
        await asyncio.sleep(0.02)
    confirmed = sum(1 for m in members if m.text_containing("est enregistré"))
    return {
        "round": number,
        "confirmed": confirmed,
        "submits_spread_s": round(last - first, 3),
        "submit_to_confirmation_p95_s": round(sorted(answers)[int(0.95 * len(answers)) - 1], 3),
        "last_submit_to_projector_s": round(seen - last, 3) if seen else None,
    }


async def run(count: int, repeat: int) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="vilco-live-"))
    server = start_server(tmp)
    members: list[Session] = []
    try:
        session_id, codes = create_session(server.database_url, count)
        next_round(server.database_url, session_id)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = await browser.new_context(viewport={"width": 1920, "height": 1080})
            projector = await context.new_page()
            await projector.goto(f"{server.url}/projector?session={session_id}&langs=fr+nl")
            await projector.get_by_test_id("stMetric").nth(1).wait_for(timeout=60_000)
            await asyncio.sleep(2)
            before = rss_kib(server.process.pid)
            for i in range(0, count, 10):  # members arrive ten at a time
                batch = [Session(server.url, "panel", f"c={c}") for c in codes[i : i + 10]]
                await asyncio.gather(*(m.open() for m in batch))
                for member in batch:
                    member.follow_fragments()
                members += batch
            await asyncio.sleep(3)
            after = rss_kib(server.process.pid)
            rounds = [await one_round(members, projector, 1)]
            for number in range(2, repeat + 1):
                next_round(server.database_url, session_id)
                rounds.append(await one_round(members, projector, number))
            await browser.close()
    finally:
        await asyncio.gather(*(m.close() for m in members))
        server.stop()
    lags = [r["last_submit_to_projector_s"] for r in rounds]
    worst = None if None in lags else max(lags)
    return {
        "members": count,
        "rounds": rounds,
        "worst_last_submit_to_projector_s": worst,
        "median_last_submit_to_projector_s": None if worst is None else statistics.median(lags),
        "target_s": TARGET_SECONDS,
        "worst_vs_target": None if worst is None else round(worst / TARGET_SECONDS, 2),
        "ok": worst is not None and worst <= TARGET_SECONDS,
        "server_rss_before_mb": round(before / 1024, 1),
        "server_rss_with_members_mb": round(after / 1024, 1),
        "kib_per_member_session": round((after - before) / count),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="rounds measured (1-5)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    members, repeat = max(1, min(200, args.members)), max(1, min(5, args.repeat))
    result = asyncio.run(asyncio.wait_for(run(members, repeat), TIME_LIMIT))
    if args.json:
        print(json.dumps(result))
        return
    for r in result["rounds"]:
        print("  ".join(f"{k}={v}" for k, v in r.items()))
    print("  ".join(f"{k}={v}" for k, v in result.items() if k != "rounds"))


if __name__ == "__main__":
    main()
