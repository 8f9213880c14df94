"""`users add --username U --role R --password-stdin`: create a staff account (outside demo mode
never with the demo password); `users disable NAME` / `users enable NAME`: an account may no
longer / again log in; `users list [--json]`: every account and whether it is disabled."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from vilco_core.commands import store
from vilco_core.commands.demo import demo_mode_set
from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import staff
from vilco_core.services.access import CLI_ACTOR


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
    disable = actions.add_parser("disable", help="refuse an account's logins and sessions")
    disable.add_argument("username")
    disable.set_defaults(handler=_disable)
    enable = actions.add_parser("enable", help="let a disabled account log in again")
    enable.add_argument("username")
    enable.set_defaults(handler=_enable)
    listing = actions.add_parser("list", help="every staff account")
    listing.add_argument("--json", action="store_true", help="one JSON array on standard output")
    listing.set_defaults(handler=_list)


def _add(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    if password == staff.DEMO_PASSWORD and not demo_mode_set():
        raise VilcoError("errors.demo_password_refused")
    user = StaffUser(
        username=args.username,
        name=args.name or args.username,
        role=Role(args.role),
        commune_codes=tuple(args.commune),
    )
    with store() as uow:
        staff.add_staff_user(uow, user, password)
    print(f"user {user.username!r} added with role {user.role.value}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    with store() as uow:
        staff.disable_user(uow, CLI_ACTOR, args.username, dt.datetime.now(dt.UTC))
    print(f"user {args.username!r} disabled")
    return 0


def _enable(args: argparse.Namespace) -> int:
    with store() as uow:
        staff.enable_user(uow, CLI_ACTOR, args.username)
    print(f"user {args.username!r} enabled")
    return 0


def _list(args: argparse.Namespace) -> int:
    with store() as uow:
        users = staff.list_staff_users(uow, CLI_ACTOR)
    rows = [
        {
            "username": u.username,
            "name": u.name,
            "role": u.role.value,
            "communes": list(u.commune_codes),
            "disabled": u.disabled,
        }
        for u in users
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for u in users:
        state = "disabled" if u.disabled else "enabled"
        print(f"{u.username}\t{u.role.value}\t{','.join(u.commune_codes) or '-'}\t{state}")
    return 0
