"""Two replicas behind the proxy (`deploy/local.py up`: migrations once, 2 `streamlit run`
replicas and Caddy on 127.0.0.1, a fresh PostgreSQL database): two residents vote through the
proxy from two browsers that land on different replicas; both ballots are stored once, both
replicas' results count them, and the main JavaScript comes from the proxy's own precompressed
copy in brotli (Chromium accepts it over HTTPS), cached for a year, no replica asked; a
`/static/` file not in that copy still reaches a replica. Everything the launcher started is
stopped, the test passing or not."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect
from sqlalchemy import text

from deploy import local
from deploy.proxy import REPLICA_HEADER
from tests.e2e.conftest import settled, shot
from vilco_core.model import Role, StaffUser
from vilco_core.services import voting
from vilco_core.store import SqlUnitOfWork, make_engine

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.slow]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free ports (the replicas take one each)."""
    for _attempt in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = int(s.getsockname()[1])
        if first + count < 65535 and all(_free(first + i) for i in range(count)):
            return first
    raise RuntimeError("no consecutive free ports")


@pytest.fixture
def deployment(postgres_server: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if not shutil.which("caddy") and not Path(local.CADDY).exists():
        pytest.fail("Debian's caddy is missing: run `make proxy` (make test does)")
    name = f"vilco_scale_{uuid.uuid4().hex[:10]}"
    url = local.create_database(name, postgres_server)
    state_dir = tmp_path / "deploy"
    try:
        yield local.up(
            replicas=2,
            port=_free_ports(1),
            first_replica_port=_free_ports(2),
            database_url=url,
            state_dir=state_dir,
            demo=True,
        )
    finally:
        local.down(state_dir)
        local.drop_database(name, postgres_server)


def _counts(database_url: str, receipts: list[str]) -> tuple[int, dict[str, int]]:
    """The process's ballots (mixed and pending) and how many rows hold each receipt."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            total = 0
            found = dict.fromkeys(receipts, 0)
            for table in ("ballots", "pending_ballots"):
                total += connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE process_id = 1")
                ).scalar_one()
                for receipt in receipts:
                    found[receipt] += connection.execute(
                        text(f"SELECT count(*) FROM {table} WHERE receipt = :r"), {"r": receipt}
                    ).scalar_one()
            return total, found
    finally:
        engine.dispose()


def _served_by(context: BrowserContext) -> list[str]:
    """Every proxy answer's replica, as the browser saw them."""
    seen: list[str] = []

    def record(response: Response) -> None:
        replica = response.headers.get(REPLICA_HEADER.lower())
        if replica:
            seen.append(replica)

    context.on("response", record)
    return seen


def _vote(page: Page, proxy_url: str, code: str) -> str:
    """One ballot through the proxy, in three taps; its receipt."""
    page.goto(f"{proxy_url}/vote?c={code}")
    expect(page.get_by_role("checkbox").first).to_be_visible()
    page.get_by_test_id("stCheckbox").first.click()
    page.get_by_role("button", name="Voter", exact=True).click()
    page.get_by_role("button", name="Confirmer", exact=True).click()
    expect(page.get_by_text("Merci, votre vote est enregistré.")).to_be_visible()
    line = page.get_by_text("Votre reçu :")
    expect(line).to_be_visible()
    found = re.search(r"Votre reçu\s*:\s*(\S+)", line.inner_text())
    assert found, line.inner_text()
    return found.group(1).strip("`")


def _results_count(page: Page, replica_url: str, expected: int) -> None:
    page.goto(f"{replica_url}/results")
    settled(page)
    metric = page.get_by_test_id("stMetric").filter(has_text="Bulletins")
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(re.compile(rf"^{expected}$"))


def test_e2e_two_replicas_behind_the_proxy(deployment: dict[str, Any], browser: Browser) -> None:
    proxy_url, database_url = deployment["proxy_url"], deployment["database_url"]
    first, second = deployment["replicas"]
    engine = make_engine(database_url)
    try:
        codes = voting.issue_codes(SqlUnitOfWork(engine), ADMIN, 1, 2, dt.date.today()).codes
    finally:
        engine.dispose()
    before, _ = _counts(database_url, [])

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    try:  # both replicas' results, cached before the vote
        results = staff.new_page()
        for replica in (first, second):
            _results_count(results, replica["url"], before)
    finally:
        staff.close()

    phones = []
    try:
        # The first phone lands where the proxy sends it; the second carries the other
        # replica's cookie, as a phone the proxy had sent there would.
        one = browser.new_context(ignore_https_errors=True, locale="fr-BE", is_mobile=True)
        phones.append(one)
        seen_one = _served_by(one)
        page_one = one.new_page()
        page_one.set_default_timeout(30_000)
        document = page_one.goto(proxy_url + "/_stcore/health")
        assert document is not None
        landed = document.headers[REPLICA_HEADER.lower()]
        other = second if landed == first["address"] else first
        two = browser.new_context(ignore_https_errors=True, locale="fr-BE", is_mobile=True)
        phones.append(two)
        name, value = other["cookie"].split("=", 1)
        two.add_cookies([{"name": name, "value": value, "url": proxy_url}])
        seen_two = _served_by(two)
        page_two = two.new_page()
        page_two.set_default_timeout(30_000)

        main_scripts: list[dict[str, str]] = []

        def main_script(response: Response) -> None:
            if re.search(r"/static/js/index\.[\w-]+\.js$", response.url):
                main_scripts.append(
                    {**response.all_headers(), **response.request.all_headers()}
                    | {"status": str(response.status)}
                )

        page_one.on("response", main_script)
        receipts = [_vote(page_one, proxy_url, codes[0]), _vote(page_two, proxy_url, codes[1])]
        shot(page_two, "scale-out-receipt")
    finally:
        for context in phones:
            context.close()

    assert set(seen_one) == {landed}, seen_one  # sticky: every answer from one replica
    assert set(seen_two) == {other["address"]}, seen_two
    assert landed != other["address"]
    assert main_scripts, "the main JavaScript was never loaded"
    for headers in main_scripts:  # from the proxy's disk, brotli, immutable
        assert "br" in headers["accept-encoding"], headers
        assert headers["content-encoding"] == "br", headers
        assert headers["cache-control"] == "public, max-age=31536000, immutable", headers
        assert REPLICA_HEADER.lower() not in headers, headers
    status, answer = local.fetch(f"{proxy_url}/static/js/not-in-the-copy.Zz99.js")
    assert answer is not None and answer.get(REPLICA_HEADER) in {
        first["address"],
        second["address"],
    }, status  # not on disk: a replica answers

    after, found = _counts(database_url, receipts)
    assert after == before + 2
    assert found == dict.fromkeys(receipts, 1)  # each ballot stored once

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    try:  # each replica counts the ballot the other one took
        results = staff.new_page()
        for replica in (first, second):
            _results_count(results, replica["url"], after)
        shot(results, "scale-out-results")
    finally:
        staff.close()

    # A replica dies: its visitors' next requests reach the other one; started again, it is
    # back behind the proxy.
    state_dir = deployment["state_dir"]
    dead = first if landed == first["address"] else second
    local.kill_replica(dead["index"], state_dir)
    pinned = {"Cookie": dead["cookie"]}
    assert _through_proxy(proxy_url, pinned) == other["address"]
    local.start_replica(dead["index"], state_dir)
    assert _through_proxy(proxy_url, pinned, wanted=dead["address"]) == dead["address"]


def _through_proxy(proxy_url: str, headers: dict[str, str], wanted: str | None = None) -> str:
    """The replica answering `/_stcore/health` through the proxy (waiting up to 20 s for a 200,
    and for `wanted` when given)."""
    deadline = time.monotonic() + 20
    replica = ""
    while time.monotonic() < deadline:
        status, answer = local.fetch(f"{proxy_url}/_stcore/health", headers)
        replica = answer.get(REPLICA_HEADER) if status == 200 else ""
        if replica and (wanted is None or replica == wanted):
            return str(replica)
        time.sleep(0.5)
    return str(replica)
