"""`python -m vilco_core`: demo load, processes --json, users add — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VILCO_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "vilco_core", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_demo_load_then_processes_json(database_url: str) -> None:
    first = _cli(database_url, "demo", "load")
    assert first.returncode == 0, first.stderr
    assert "demo loaded" in first.stdout and "admin" in first.stdout
    assert "not loaded" in _cli(database_url, "demo", "load").stdout
    listing = _cli(database_url, "processes", "--json")
    items = json.loads(listing.stdout)
    assert [(i["id"], i["phase"]) for i in items] == [(1, "vote"), (2, "proposals")]
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
