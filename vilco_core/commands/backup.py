"""`backup FILE` and `restore FILE`: the whole database to one file and back.

SQLite: the online backup API (safe while the app runs). PostgreSQL: `pg_dump` custom format
and `pg_restore --clean --single-transaction`. Run `audit verify` after a restore.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vilco_core.backup import backup_database, restore_database
from vilco_core.store import database_url, make_engine, upgrade_database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = subparsers.add_parser("backup", help="copy the database to FILE")
    backup.add_argument("file", type=Path)
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser("restore", help="replace the database by FILE's contents")
    restore.add_argument("file", type=Path)
    restore.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    url = database_url()
    engine = make_engine(url)
    upgrade_database(engine)  # a backup always holds the current tables
    engine.dispose()
    backup_database(url, args.file)
    print(f"database copied to {args.file}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    restore_database(database_url(), args.file)
    print(f"database restored from {args.file}; check it with `audit verify`")
    return 0
