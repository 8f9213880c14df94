"""`migrate`: apply the database migrations, once per deployment, before the replicas start
(`deploy/systemd/vilco-migrate.service`, `deploy/local.py up`); `--check` only says whether the
database is current (exit 1 when not), without changing it."""

from __future__ import annotations

import argparse

from vilco_core.store import database_url, make_engine, schema_is_current, upgrade_database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = subparsers.add_parser("migrate", help="apply the database migrations (once)")
    migrate.add_argument("--check", action="store_true", help="exit 1 if migrations are missing")
    migrate.set_defaults(handler=_migrate)


def _migrate(args: argparse.Namespace) -> int:
    engine = make_engine(database_url())
    try:
        if args.check:
            current = schema_is_current(engine)
            print("database up to date" if current else "database lacks migrations")
            return 0 if current else 1
        upgrade_database(engine)
        print("database up to date")
        return 0
    finally:
        engine.dispose()
