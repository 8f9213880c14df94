"""`processes --json`: every process with its phase today."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from vilco_core.i18n import LANGUAGES
from vilco_core.services import processes
from vilco_core.store import SqlUnitOfWork, database_url, make_engine, upgrade_database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("processes", help="list the processes")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=_list)


def _list(args: argparse.Namespace) -> int:
    engine = make_engine(database_url())
    upgrade_database(engine)
    today = dt.date.today()
    items = [
        {
            "id": s.process.id,
            "name": s.process.name.exact("fr"),
            "names": {lang: s.process.name.exact(lang) for lang in LANGUAGES},
            "phase": s.phase.value if s.phase else None,
            "kind": s.process.kind.value,
            "communes": list(s.process.commune_codes),
            "year": s.process.year,
            "envelope_cents": s.process.envelope_cents,
            "rule": s.process.rule,
            "rolling": s.process.rolling,
            "projects": s.project_count,
        }
        for s in sorted(
            processes.summarise_processes(SqlUnitOfWork(engine), today),
            key=lambda s: s.process.id or 0,
        )
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
    else:
        for item in items:
            print(f"{item['id']:>4}  {item['phase'] or '-':<13} {item['name']}")
    return 0
