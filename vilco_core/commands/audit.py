"""`audit verify [--json]` and `audit publish --process ID`: the hash-chained audit log.

`verify --json` prints one JSON object `{"chain_ok", "tallies_ok", "ballots", "entries",
"head", "problems"}` and exits 0 only when the chain and every published tally hold (1
otherwise). `publish` records the current per-project count of a process in the chain: a
published tally that every later `verify` recounts from the raw ballots.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager

from vilco_core import audit
from vilco_core.store import SqlUnitOfWork, database_url, make_engine, upgrade_database
from vilco_core.voting import CLI_ACTOR


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help="verify or extend the audit log")
    actions = parser.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="recompute the chain and the published tallies")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(handler=_verify)
    publish = actions.add_parser("publish", help="record a process's current tally")
    publish.add_argument("--process", type=int, required=True)
    publish.set_defaults(handler=_publish)


@contextmanager
def _uow() -> Iterator[SqlUnitOfWork]:
    engine = make_engine(database_url())
    try:
        upgrade_database(engine)
        yield SqlUnitOfWork(engine)
    finally:
        engine.dispose()


def _verify(args: argparse.Namespace) -> int:
    with _uow() as uow:
        report = audit.verify_audit(uow)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(f"chain: {'ok' if report.chain_ok else 'BROKEN'} ({report.entries} entries, "
              f"head {report.head})")  # fmt: skip
        print(f"tallies: {'ok' if report.tallies_ok else 'DIFFER'} ({report.ballots} ballots)")
        for problem in report.problems:
            print(f"  {problem}")
    return 0 if report.chain_ok and report.tallies_ok else 1


def _publish(args: argparse.Namespace) -> int:
    with _uow() as uow:
        seq = audit.publish_tally(uow, CLI_ACTOR, args.process)
    print(f"tally of process {args.process} published as audit entry {seq}")
    return 0
