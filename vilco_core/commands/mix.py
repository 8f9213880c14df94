"""`mix [--process ID] [--flush] [--json]`: move pending ballots into the ballots table and the
audit log in shuffled batches (`vilco_core.services.mixing`).

Without `--flush`, a process is mixed only when at least k ballots wait (`VILCO_MIX_BATCH`,
default 20): what the app does after each cast, for a cron job to repeat. With `--flush`,
everything pending is mixed whatever its size: run it once the vote has ended (publishing the
tally does it too). Prints `{"<process id>": ballots mixed}` with `--json`.
"""

from __future__ import annotations

import argparse
import json

from vilco_core.commands import store
from vilco_core.services import mixing
from vilco_core.services.access import CLI_ACTOR


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("mix", help="mix pending ballots into the ballots table")
    parser.add_argument("--process", type=int, help="one process only")
    parser.add_argument("--flush", action="store_true", help="mix whatever waits (vote ended)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_mix)


def _mix(args: argparse.Namespace) -> int:
    with store() as uow:
        if args.flush:
            done = mixing.flush_ballots(uow, CLI_ACTOR, args.process)
        else:
            done = mixing.mix_all_due(uow, CLI_ACTOR, args.process)
    if args.json:
        print(json.dumps({str(p): n for p, n in done.items()}))
    else:
        for process_id, mixed in done.items():
            print(f"process {process_id}: {mixed} ballots mixed")
        if not any(done.values()):
            print("nothing to mix")
    return 0
