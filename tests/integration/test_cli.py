"""`python -m vilco_core`: demo load, processes --json, users add/disable/enable/list — on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _cli(
    url: str, *args: str, stdin: str = "", demo: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VILCO_DEMO"} | {"VILCO_DATABASE_URL": url}
    if demo:
        env["VILCO_DEMO"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "vilco_core", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_demo_load_refused_outside_demo_mode(database_url: str) -> None:
    refused = _cli(database_url, "demo", "load")
    assert refused.returncode == 2 and "VILCO_DEMO=1" in refused.stderr
    assert "users add --role admin" in refused.stderr and not refused.stdout
    assert _cli(database_url, "processes", "--json").stdout.strip() in ("[]", "")
    demo_login = _cli(database_url, "users", "add", "--username", "admin", "--role", "admin",
                      "--password-stdin", stdin="vilco-demo-2026\n")  # fmt: skip
    assert demo_login.returncode == 2 and "demo mode" in demo_login.stderr  # published password
    login = _cli(database_url, "users", "add", "--username", "admin", "--role", "admin",
                 "--password-stdin", stdin="a-long-secret-1\n")  # fmt: skip
    assert login.returncode == 0  # no demo account was created: the name is free


def test_cli_demo_load_then_processes_json(database_url: str) -> None:
    first = _cli(database_url, "demo", "load", demo=True)
    assert first.returncode == 0, first.stderr
    assert "demo loaded" in first.stdout and "admin" in first.stdout
    assert "not loaded" in _cli(database_url, "demo", "load", demo=True).stdout
    listing = _cli(database_url, "processes", "--json")
    items = json.loads(listing.stdout)
    assert [(i["id"], i["phase"]) for i in items] == [(1, "vote"), (2, "proposals"), (3, "vote")]
    assert {"id", "name", "phase"} <= set(items[0]) and items[0]["projects"] == 25


def test_cli_users_add_reads_the_password_from_stdin(database_url: str) -> None:
    added = _cli(
        database_url,
        "users",
        "add",
        "--username",
        "marie",
        "--role",
        "facilitator",
        "--commune",
        "21013",
        "--password-stdin",
        stdin="a-long-secret-1\n",
    )
    assert added.returncode == 0, added.stderr
    again = _cli(
        database_url,
        "users",
        "add",
        "--username",
        "marie",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a-long-secret-1\n",
    )
    assert again.returncode == 2 and "already exists" in again.stderr
    short = _cli(
        database_url,
        "users",
        "add",
        "--username",
        "paul",
        "--role",
        "admin",
        "--password-stdin",
        stdin="short\n",
    )
    assert short.returncode == 2 and "at least 10" in short.stderr
    bad_role = _cli(
        database_url, "users", "add", "--username", "x", "--role", "king", "--password-stdin"
    )
    assert bad_role.returncode != 0 and "invalid choice" in bad_role.stderr


def test_cli_audit_head_json_then_verify_against_it(database_url: str) -> None:
    assert _cli(database_url, "demo", "load", demo=True).returncode == 0
    done = _cli(database_url, "audit", "head", "--json")
    assert done.returncode == 0, done.stderr
    head = json.loads(done.stdout)
    assert set(head) == {"seq", "hash", "entries"} and len(head["hash"]) == 64
    assert head["seq"] == head["entries"] > 0
    checked = _cli(database_url, "audit", "verify", "--json", "--expect-head",
                   f"{head['hash']}@{head['seq']}")  # fmt: skip
    assert checked.returncode == 0, checked.stdout
    assert json.loads(checked.stdout)["head_ok"] is True
    junk = _cli(database_url, "audit", "verify", "--expect-head", "not-a-head")
    assert junk.returncode == 2 and "Unreadable chain head" in junk.stderr
    assert "Traceback" not in junk.stderr


def test_cli_users_add_takes_the_demo_password_in_demo_mode_only(database_url: str) -> None:
    args = ("users", "add", "--username", "ann", "--role", "admin", "--password-stdin")
    refused = _cli(database_url, *args, stdin="vilco-demo-2026\n")
    assert refused.returncode == 2 and "VILCO_DEMO=1" in refused.stderr and not refused.stdout
    assert json.loads(_cli(database_url, "users", "list", "--json").stdout) == []
    assert _cli(database_url, *args, stdin="vilco-demo-2026\n", demo=True).returncode == 0


def test_cli_users_disable_enable_and_list(database_url: str) -> None:
    added = _cli(database_url, "users", "add", "--username", "marie", "--role", "facilitator",
                 "--commune", "21013", "--password-stdin", stdin="a-long-secret-1\n")  # fmt: skip
    assert added.returncode == 0, added.stderr

    def listed() -> list[dict[str, object]]:
        result = _cli(database_url, "users", "list", "--json")
        assert result.returncode == 0, result.stderr
        rows: list[dict[str, object]] = json.loads(result.stdout)
        return rows

    expected = {"username": "marie", "name": "marie", "role": "facilitator",
                "communes": ["21013"], "disabled": False}  # fmt: skip
    assert listed() == [expected]
    disabled = _cli(database_url, "users", "disable", "marie")
    assert disabled.returncode == 0 and "disabled" in disabled.stdout, disabled.stderr
    assert listed() == [expected | {"disabled": True}]
    assert "marie\tfacilitator\t21013\tdisabled" in _cli(database_url, "users", "list").stdout
    enabled = _cli(database_url, "users", "enable", "marie")
    assert enabled.returncode == 0, enabled.stderr
    assert listed() == [expected]
    for action in ("disable", "enable"):
        unknown = _cli(database_url, "users", action, "nobody")
        assert unknown.returncode == 2 and "no staff account ‘nobody’" in unknown.stderr
        assert not unknown.stdout
