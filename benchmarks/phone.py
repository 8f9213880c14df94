"""Bytes and time to a usable ballot on a phone: bare `streamlit run` against the proxy.

    python benchmarks/phone.py [--target bare|proxy|both] [--runs 10]

A resident's phone opens the card's link `/vote?c=CODE` and waits for the ballot's checkboxes.
Debian's chromium (Playwright) at 360×740, with CDP network throttling (9 Mbit/s down,
1.5 Mbit/s up, 170 ms round trip) and a 4× CPU slowdown (`Emulation.setCPUThrottlingRate`).
Per run: a new browser context loads the page (cold: nothing cached), then a second page of the
same context loads it again (warm: the HTTP cache holds what the server allowed it to keep).
Measured: seconds from the navigation to the first checkbox visible, and the bytes received
over HTTP (the sum of CDP `Network.loadingFinished.encodedDataLength`: compressed bytes as they
crossed the network; the websocket's frames are not counted). Printed: the median of `--runs`
runs per target and temperature, and the ratio of transferred bytes against bare.

`bare` is one `streamlit run serve.py` on 127.0.0.1 (plain HTTP, no compression);
`proxy` is `deploy/local.py up --replicas 2` (Caddy: TLS, compression, long cache headers on hashed
assets). Both on a fresh demo database; ports 8690 (bare), 8691 (proxy) and 8692-8693.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import load  # noqa: E402
from deploy import local  # noqa: E402

MBIT = 1_000_000 / 8  # bytes per second in one Mbit/s
NETWORK = {"offline": False, "latency": 170, "downloadThroughput": 9 * MBIT,
           "uploadThroughput": 1.5 * MBIT}  # fmt: skip
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 360, "height": 740}
BARE_PORT, PROXY_PORT = 8690, 8691


DETAIL: list[tuple[int, str, str]] = []
DETAIL_DONE: list[bool] = []  # (bytes, encoding, url) of the first cold page


async def open_ballot(context: Any, url: str, timeout_s: float) -> tuple[float, int]:
    """One page of `context` opening `url` under throttling: (seconds to the ballot, bytes)."""
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    received: list[int] = []
    names: dict[str, tuple[str, str]] = {}

    def responded(event: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        names[event["requestId"]] = (event["response"]["url"],
                                     headers.get("content-encoding", "-"))  # fmt: skip

    def finished(event: dict[str, Any]) -> None:
        received.append(int(event["encodedDataLength"]))
        if not DETAIL_DONE:
            name, encoding = names.get(event["requestId"], ("?", "?"))
            DETAIL.append((int(event["encodedDataLength"]), encoding, name))

    cdp.on("Network.responseReceived", responded)
    cdp.on("Network.loadingFinished", finished)
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", NETWORK)
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    try:
        started = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        await page.get_by_role("checkbox").first.wait_for(state="visible",
                                                          timeout=timeout_s * 1000)  # fmt: skip
        DETAIL_DONE.append(True)
        return time.perf_counter() - started, sum(received)
    except Exception:
        await page.screenshot(path=str(ROOT / "test-artifacts" / "phone-timeout.png"))
        raise
    finally:
        await cdp.detach()
        await page.close()


def spki_hash(pem: Path) -> str:
    """The base64 SHA-256 of the certificate's public key: Chromium trusts that certificate
    with `--ignore-certificate-errors-spki-list` and caches as over a real one (with a plain
    certificate error it caches nothing, and "warm" would measure a cold page)."""
    key = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", str(pem)],
                         check=True, capture_output=True).stdout  # fmt: skip
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=key,
                         check=True, capture_output=True).stdout  # fmt: skip
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


async def measure(url: str, runs: int, timeout_s: float,
                  trusted: str | None = None) -> dict[str, list[float]]:  # fmt: skip
    from playwright.async_api import async_playwright

    found: dict[str, list[float]] = {"cold_s": [], "cold_bytes": [], "warm_s": [],
                                     "warm_bytes": []}  # fmt: skip
    async with async_playwright() as playwright:
        trust = [f"--ignore-certificate-errors-spki-list={trusted}"] if trusted else []
        browser = await playwright.chromium.launch(executable_path=load.CHROMIUM,
                                                   args=[*load.CHROMIUM_ARGS, *trust])  # fmt: skip
        try:
            for _ in range(runs):
                context = await browser.new_context(viewport=VIEWPORT, locale="fr-BE",
                                                    is_mobile=True, has_touch=True)  # fmt: skip
                try:
                    for temperature in ("cold", "warm"):
                        seconds, size = await open_ballot(context, url, timeout_s)
                        found[f"{temperature}_s"].append(seconds)
                        found[f"{temperature}_bytes"].append(size)
                finally:
                    await context.close()
        finally:
            await browser.close()
    return found


def bare(url: str, tmp: Path) -> tuple[str, subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "VILCO_DATABASE_URL": url,
        "VILCO_BASEMAP": "none",
        "VILCO_COOKIE_KEY": secrets.token_urlsafe(48),
    }  # as the launcher sets one
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port",
               str(BARE_PORT), "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    with (tmp / "bare.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{BARE_PORT}"
    deadline = time.monotonic() + 120
    while local.fetch(f"{base}/_stcore/health")[0] != 200:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError(f"streamlit did not start: {(tmp / 'bare.log').read_text()}")
        time.sleep(0.3)
    return base, process


def run_target(target: str, runs: int, timeout_s: float, detail: int = 0) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="vilco-phone-") as folder:
        tmp = Path(folder)
        url, schema = load.make_database("postgres", tmp)
        process: subprocess.Popen[bytes] | None = None
        trusted = None
        try:
            [code] = load.issue(url, 1)
            if target == "bare":
                base, process = bare(url, tmp)
            else:
                deployment = local.up(
                    replicas=2,
                    port=PROXY_PORT,
                    database_url=url,
                    first_replica_port=PROXY_PORT + 1,
                    state_dir=tmp / "deploy",
                )
                base = deployment["proxy_url"]
                trusted = spki_hash(tmp / "deploy" / "proxy.crt")
            found = asyncio.run(measure(f"{base}/vote?c={code}", runs, timeout_s, trusted))
        finally:
            if process is not None:
                process.terminate()
                process.wait(30)
            if target == "proxy":
                local.down(tmp / "deploy")
            load.drop_schema(schema)
    if detail:
        for size, encoding, name in sorted(DETAIL, reverse=True)[:detail]:
            print(f"  {target} cold: {size / 1024:8.0f} KiB  {encoding:<6} {name[:90]}")
    DETAIL.clear()
    DETAIL_DONE.clear()
    return {name: statistics.median(values) for name, values in found.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["bare", "proxy", "both"], default="both")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=120.0, help="per page, seconds")
    parser.add_argument("--detail", type=int, default=0,
                        help="list the N largest responses of the first cold page")  # fmt: skip
    args = parser.parse_args()
    if not 1 <= args.runs <= 50:
        parser.error("runs must be 1..50")
    targets = ["bare", "proxy"] if args.target == "both" else [args.target]
    medians = {
        target: run_target(target, args.runs, args.timeout, args.detail) for target in targets
    }
    print(f"median of {args.runs} runs · 360×740 · 9/1.5 Mbit/s, 170 ms RTT · CPU ÷{CPU_SLOWDOWN}")
    print(f"{'target':<8}{'cold s':>9}{'cold KiB':>11}{'warm s':>9}{'warm KiB':>11}")
    for target, m in medians.items():
        print(f"{target:<8}{m['cold_s']:>9.2f}{m['cold_bytes'] / 1024:>11.0f}"
              f"{m['warm_s']:>9.2f}{m['warm_bytes'] / 1024:>11.0f}")  # fmt: skip
    if "bare" in medians and "proxy" in medians:
        for temperature in ("cold", "warm"):
            bare_bytes = medians["bare"][f"{temperature}_bytes"]
            proxy_bytes = medians["proxy"][f"{temperature}_bytes"]
            ratio = bare_bytes / proxy_bytes if proxy_bytes else float("inf")
            print(f"{temperature}: bare / proxy bytes = {ratio:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
