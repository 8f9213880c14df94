"""`demo load`: the demo data into the database named by VILCO_DATABASE_URL, in demo mode only.

The demo creates staff accounts whose password is published (`DEMO_PASSWORD`), so it refuses
to run without VILCO_DEMO=1 (exit 2): a real commune's database never holds them, and its
first way in is `users add --role admin`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from vilco_core.demo import DEMO_DIR, DEMO_PASSWORD, load_demo
from vilco_core.errors import VilcoError
from vilco_core.store import SqlUnitOfWork, database_url, make_engine, upgrade_database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser("demo", help="demo data")
    actions = demo.add_subparsers(dest="action", required=True)
    load = actions.add_parser(
        "load", help="migrate, then load the demo if the database is empty (VILCO_DEMO=1 only)"
    )
    load.add_argument("--data", type=Path, default=DEMO_DIR, help="folder holding demo.json")
    load.set_defaults(handler=_load)
    migrate = actions.add_parser("migrate", help="apply the database migrations only")
    migrate.set_defaults(handler=_migrate)


def _migrate(args: argparse.Namespace) -> int:
    upgrade_database(make_engine(database_url()))
    print("database up to date")
    return 0


def demo_mode_set() -> bool:
    """VILCO_DEMO=1 (or true/yes), as the server reads it (`vilco_ui.config.demo_mode`)."""
    return os.environ.get("VILCO_DEMO", "").lower() in ("1", "true", "yes")


def _load(args: argparse.Namespace) -> int:
    if not demo_mode_set():
        raise VilcoError("errors.demo_mode_required")
    engine = make_engine(database_url())
    upgrade_database(engine)
    loaded = load_demo(SqlUnitOfWork(engine), dt.date.today(), args.data)
    print("demo loaded" if loaded else "database not empty: demo not loaded")
    print(f"demo staff logins (password {DEMO_PASSWORD!r}): admin, facilitator, officer")
    return 0
