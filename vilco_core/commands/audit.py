"""`audit verify [--json] [--expect-head HASH[@SEQ]]`, `audit publish --process ID` and
`audit head [--json]`: the hash-chained audit log.

`verify --json` prints one JSON object `{"chain_ok", "tallies_ok", "settings_ok", "codes_ok",
"ballots", "pending", "entries", "head", "problems"}` (`ballots` counts every stored ballot,
`pending` those not mixed into the log yet) and exits 0 only when the chain and every published
tally hold, each vote's locked settings are still those stored and counted, and every process
has as many spent codes as resident ballots (1 otherwise). With `--expect-head` it also
recomputes the chain up to a head published earlier and adds `"head_ok"`: a chain rewritten by
someone with database access (every hash redone) no longer passes through it. `publish`
records the current per-project count of a process in the chain: a published tally that every
later `verify` recounts from the raw ballots. `head` prints the head to publish,
`{"seq", "hash", "entries"}`.
"""

from __future__ import annotations

import argparse
import json

from vilco_core import audit as chain
from vilco_core.commands import store
from vilco_core.services import audit
from vilco_core.services.access import CLI_ACTOR


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help="verify or extend the audit log")
    actions = parser.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="recompute the chain and the published tallies")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.add_argument(
        "--expect-head", metavar="HASH[@SEQ]", help="a published head the chain must still hold"
    )
    verify.set_defaults(handler=_verify)
    publish = actions.add_parser("publish", help="record a process's current tally")
    publish.add_argument("--process", type=int, required=True)
    publish.set_defaults(handler=_publish)
    head = actions.add_parser("head", help="print the chain head to publish")
    head.add_argument("--json", action="store_true", help="print one JSON object")
    head.set_defaults(handler=_head)


def _verify(args: argparse.Namespace) -> int:
    if args.expect_head is not None:
        chain.parse_head(args.expect_head)  # a malformed head: exit 2 before any database work
    with store() as uow:
        report = audit.verify_audit(uow)
        head = None if args.expect_head is None else audit.verify_head(uow, args.expect_head)
    found, problems = report.as_json(), [*report.problems, *(head or [])]
    if head is not None:
        found["head_ok"] = not head
        found["problems"] = problems
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
    else:
        print(f"chain: {'ok' if report.chain_ok else 'BROKEN'} ({report.entries} entries, "
              f"head {report.head})")  # fmt: skip
        print(f"tallies: {'ok' if report.tallies_ok else 'DIFFER'} ({report.ballots} ballots, "
              f"{report.pending} pending)")  # fmt: skip
        print(f"locked settings: {'ok' if report.settings_ok else 'CHANGED'}")
        print(f"spent codes: {'ok' if report.codes_ok else 'DIFFER'}")
        if head is not None:
            print(f"published head: {'found' if not head else 'MISSING'}")
        for problem in problems:
            print(f"  {problem}")
    return 0 if report.ok and not head else 1


def _publish(args: argparse.Namespace) -> int:
    with store() as uow:
        seq = audit.publish_tally(uow, CLI_ACTOR, args.process)
    print(f"tally of process {args.process} published as audit entry {seq}")
    return 0


def _head(args: argparse.Namespace) -> int:
    with store() as uow:
        head = audit.chain_head(uow)
    if args.json:
        print(json.dumps(head.as_json()))
    else:
        day = head.day.isoformat() if head.day else "-"
        print(f"head: entry {head.seq} of {head.entries}, {day}")
        print(f"  {chain.group_hash(head.hash)}")
        print(f"  --expect-head {head.hash}@{head.seq}")
    return 0
