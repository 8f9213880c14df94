"""`sessions [--process N] [--json]`: the citizen panel sessions, each with its process id,
title and how many rounds and members it has."""

from __future__ import annotations

import argparse
import json

from vilco_core.commands import store
from vilco_core.services import panel_sessions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sessions", help="list the citizen panel sessions")
    parser.add_argument("--process", type=int, help="one process only (its id)")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=_list)


def _list(args: argparse.Namespace) -> int:
    with store() as uow:
        summaries = panel_sessions.summarise_sessions(uow, args.process)
    items = [
        {
            "id": s.session.id,
            "process": s.session.process_id,
            "title": s.session.title,
            "rounds": s.rounds,
            "members": s.members,
        }
        for s in summaries
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
    else:
        for item in items:
            print(
                f"{item['id']:>4}  process {item['process']:<4} {item['rounds']:>3} rounds"
                f" {item['members']:>4} members  {item['title']}"
            )
    return 0
