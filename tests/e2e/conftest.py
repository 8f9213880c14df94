"""A real server (`streamlit run serve.py`: the app and its calendar feeds, on a free port, a
fresh SQLite file with the demo) and a real browser (Debian's chromium driven by Playwright).
Screenshots go to test-artifacts/e2e/."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from vilco_core.demo import load_demo
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(
        self, url: str, process: subprocess.Popen[bytes], database_url: str, log: object
    ) -> None:
        self.url, self.process, self.database_url, self.log = url, process, database_url, log

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()  # type: ignore[attr-defined]


def start_server(tmp: Path, extra_env: dict[str, str] | None = None) -> Server:
    database_url = f"sqlite:///{tmp / 'e2e.sqlite3'}"
    engine = make_engine(database_url)
    upgrade_database(engine)
    load_demo(SqlUnitOfWork(engine), dt.date.today())
    engine.dispose()
    env = {
        **os.environ,
        "VILCO_DATABASE_URL": database_url,
        "VILCO_DEMO": "1",
        "VILCO_BASEMAP": "none",
        "VILCO_LOGIN_SLEEP": "0",
        **(extra_env or {}),
    }
    for _attempt in range(3):  # another process may take the free port before streamlit does
        running = _serve(tmp, env, database_url)
        if running is not None:
            return running
    raise RuntimeError(f"streamlit did not start: {(tmp / 'server.log').read_text()[-2000:]}")


def _serve(tmp: Path, env: dict[str, str], database_url: str) -> Server | None:
    """`streamlit run` on a free port; None when it exits before answering (port taken)."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "serve.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return Server(url, process, database_url, log)
        except OSError:
            time.sleep(0.3)
    exited = process.poll() is not None
    if not exited:
        process.kill()
        process.wait()
    log.close()
    if exited:
        return None
    raise RuntimeError(f"streamlit did not start: {(tmp / 'server.log').read_text()[-2000:]}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = start_server(tmp_path)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make browser` (make test does)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # the first run on a fresh server imports everything

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def shot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def settled(page: object) -> None:
    """The current Streamlit run is over (no "running" status widget)."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def staff_login(page: object, server: Server, username: str) -> None:
    """Log in through the French login page and wait for the welcome line. The page's first
    runs (the auth cookie component mounts and reruns it) can swallow a click made while they
    are still going: wait for them to end, and try again if no welcome came (a loaded machine)."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{server.url}/login")
    welcome = page.get_by_text("Bienvenue, ")
    for attempt in range(3):
        settled(page)
        if welcome.count():
            return
        page.get_by_label("Nom d'utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill("vilco-demo-2026")
        page.get_by_role("button", name="Se connecter").click()
        try:
            expect(welcome).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            if attempt == 2:
                raise
