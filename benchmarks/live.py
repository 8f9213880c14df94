"""Benchmark: a live panel round with 50 members on real Streamlit sessions.

Run as `.venv/bin/python benchmarks/live.py [--members 50]`. Starts `streamlit run` on
127.0.0.1 with a fresh SQLite demo database, creates a session of N members and opens a round
(services, as the facilitator's page would), then drives real browser sessions (Debian's
chromium through Playwright, one page per member, each a Streamlit session with its polling
fragment): every member ticks projects, then all N press "Send" within a few seconds. Prints
how long the submits took, the time from the last submit until the projector page (1920x1080,
refreshing itself) shows all N ballots, and the server's memory per session (RSS after the
members connected minus before, divided by N). Bounded: at most 200 members; the wait
for the projector stops 30 s after the last submit.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Page, async_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
from vilco_core import panels  # noqa: E402
from vilco_core.model import Role, StaffUser  # noqa: E402
from vilco_core.store import SqlUnitOfWork, make_engine  # noqa: E402

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
TARGET_SECONDS = 3.0
TIME_LIMIT = 420.0  # the whole run; on timeout the server is stopped and the run fails


def rss_kib(pid: int) -> int:
    """The resident memory of a process and its children (streamlit runs in one process)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def prepare(database_url: str, members: int) -> tuple[int, list[str]]:
    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(engine)
        labels = [f"M{i:03d}" for i in range(members)]
        issued = panels.create_session(uow, ADMIN, 1, "Benchmark", labels, dt.date.today())
        refs = ("SG-01", "SG-02", "SG-03", "SG-04", "SC-01", "SC-02", "SC-03", "SC-04")
        panels.open_round(uow, ADMIN, issued.session_id, "approval", refs, "mes",
                          dt.datetime.now(dt.UTC))  # fmt: skip
        return issued.session_id, [code for _label, code in issued.codes]
    finally:
        engine.dispose()


async def member_ready(page: Page, url: str, index: int) -> None:
    """Open the member's link and tick two projects (forced clicks: a page that is not in front
    gets no animation frames, so nothing here waits for one)."""
    await page.goto(url, timeout=90_000)
    boxes = page.get_by_role("checkbox")
    await boxes.first.wait_for(state="attached", timeout=90_000)
    for offset in sorted({index % 8, (index * 3 + 1) % 8}):
        await boxes.nth(offset).click(force=True)
        await page.wait_for_timeout(300)  # the rerun that records the tick
    button = page.get_by_role("button", name="Envoyer mon vote")
    await button.wait_for(state="attached")
    for _ in range(300):  # until the server has seen the ticks (the button is enabled)
        if await button.is_enabled() and await page.get_by_role("checkbox").nth(0).count():
            break
        await asyncio.sleep(0.2)


async def submit(page: Page) -> float:
    """Press "Send" (forced: no waiting for animation frames a background page never gets)."""
    await page.get_by_role("button", name="Envoyer mon vote").click(force=True)
    return time.monotonic()


async def ballots_shown(projector: Page) -> int:
    text = await projector.get_by_test_id("stMetric").nth(1).inner_text()
    digits = "".join(ch for ch in text.split("\n")[-1] if ch.isdigit())
    return int(digits or 0)


async def run(members: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="vilco-live-"))
    server = start_server(tmp)
    started = time.monotonic()
    try:
        session_id, codes = prepare(server.database_url, members)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            big = await browser.new_context(viewport={"width": 1920, "height": 1080})
            projector = await big.new_page()
            await projector.goto(f"{server.url}/projector?session={session_id}&langs=fr+nl")
            await projector.get_by_test_id("stMetric").nth(1).wait_for(timeout=60_000)
            await asyncio.sleep(2)
            before = rss_kib(server.process.pid)
            pages = []
            for _code in codes:  # one context (window) per member: its own Streamlit session
                phone = await browser.new_context(viewport={"width": 360, "height": 740})
                pages.append(await phone.new_page())
            for page in pages:
                page.set_default_timeout(60_000)
            batch = 10  # open the phones ten at a time, as members arrive
            ready: list[Page] = []
            for i in range(0, members, batch):
                done = await asyncio.gather(
                    *(
                        member_ready(p, f"{server.url}/panel?c={codes[j]}", j)
                        for j, p in enumerate(pages[i : i + batch], start=i)
                    ),
                    return_exceptions=True,
                )
                chunk = pages[i : i + batch]
                ready += [p for p, d in zip(chunk, done, strict=True) if d is None]
            await asyncio.sleep(3)
            after = rss_kib(server.process.pid)
            first = time.monotonic()
            stamps = await asyncio.gather(*(submit(p) for p in ready))
            last = max(stamps)
            seen = None
            while time.monotonic() - last < 30 and time.monotonic() - started < TIME_LIMIT:
                if await ballots_shown(projector) >= len(ready):
                    seen = time.monotonic()
                    break
                await asyncio.sleep(0.05)
            confirmed = sum([await p.get_by_text("est enregistré").count() > 0 for p in pages])
            await browser.close()
    finally:
        server.stop()
    print(
        f"members (browser sessions): {members}; ready to vote: {len(ready)}; "
        f"confirmations seen: {confirmed}"
    )
    print(f"submits spread over: {last - first:.2f} s (target: within 5 s)")
    if seen is None:
        print("projector never showed every ballot within 30 s")
    else:
        lag = seen - last
        verdict = "OK" if lag <= TARGET_SECONDS else "over target"
        print(f"last submit -> projector shows {len(ready)} ballots: {lag:.2f} s "
              f"(target <= {TARGET_SECONDS:.0f} s: {verdict})")  # fmt: skip
    print(f"server RSS: {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB with the "
          f"members; {(after - before) / members:.0f} KiB per member session")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(asyncio.wait_for(run(max(1, min(200, args.members))), TIME_LIMIT))


if __name__ == "__main__":
    main()
