"""`users add --username U --role R --password-stdin`: create a staff account."""

from __future__ import annotations

import argparse
import sys

from vilco_core.model import Role, StaffUser
from vilco_core.services import staff
from vilco_core.store import SqlUnitOfWork, database_url, make_engine, upgrade_database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = subparsers.add_parser("users", help="staff accounts")
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create a staff account")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", help="display name (default: the username)")
    add.add_argument("--commune", action="append", default=[], help="NIS code, repeatable")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input (first line)",
    )
    add.set_defaults(handler=_add)


def _add(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    engine = make_engine(database_url())
    upgrade_database(engine)
    user = StaffUser(
        username=args.username,
        name=args.name or args.username,
        role=Role(args.role),
        commune_codes=tuple(args.commune),
    )
    staff.add_staff_user(SqlUnitOfWork(engine), user, password)
    print(f"user {user.username!r} added with role {user.role.value}")
    return 0
