"""`codes issue|cards|list|void`: one-time voting codes (or support codes, `--purpose support`,
for a call confirming signatures with cards), written once and never read back.

`codes issue --process ID --count N --out codes.csv` opens the file first (it must not exist:
nothing is overwritten), stores the batch's hashes, then writes `code,url` rows, readable by
the owner only. Print the cards then or later with `codes cards --csv codes.csv`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from vilco_core import codes as code_rules
from vilco_core import qr
from vilco_core.commands import store
from vilco_core.errors import VilcoError
from vilco_core.services import access, processes, voting


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("codes", help="one-time voting codes and their cards")
    actions = parser.add_subparsers(dest="action", required=True)
    issue = actions.add_parser("issue", help="issue a batch; write the codes once to --out")
    issue.add_argument("--process", type=int, required=True)
    issue.add_argument("--count", type=int, required=True)
    issue.add_argument("--out", type=Path, required=True, help="CSV to create (code,url)")
    issue.add_argument("--label", default="")
    issue.add_argument("--cards", type=Path, help="also write the printable cards (PDF)")
    _common(issue)
    issue.set_defaults(handler=_issue)
    cards = actions.add_parser("cards", help="print cards (PDF) from a CSV written by issue")
    cards.add_argument("--csv", type=Path, required=True)
    cards.add_argument("--process", type=int, required=True)
    cards.add_argument("--out", type=Path, required=True)
    _common(cards)
    cards.set_defaults(handler=_cards)
    listing = actions.add_parser("list", help="batches of a process with their counts")
    listing.add_argument("--process", type=int, required=True)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    void = actions.add_parser("void", help="void a batch's unused codes, or one code")
    which = void.add_mutually_exclusive_group(required=True)
    which.add_argument("--batch", type=int)
    which.add_argument("--code-stdin", action="store_true", help="read the code from stdin")
    void.set_defaults(handler=_void)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--purpose", choices=code_rules.PURPOSES, default="vote",
                        help="vote (default) or support: cards for signing support")  # fmt: skip
    parser.add_argument("--paper", choices=sorted(qr.PAPERS), default="A4")
    parser.add_argument("--base-url", help="public address of the app (VILCO_PUBLIC_URL)")
    parser.add_argument("--allow-local", action="store_true",
                        help="print a localhost address into the QR codes (a try-out)")  # fmt: skip


def _base(args: argparse.Namespace) -> str:
    """The address printed into the QR codes: `--base-url`, else `VILCO_PUBLIC_URL`; a local
    one only with `--allow-local`."""
    return qr.printable_base((args.base_url or voting.public_url()).rstrip("/"), args.allow_local)


def _issue(args: argparse.Namespace) -> int:
    base = _base(args)
    try:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never overwrite
    except FileExistsError:
        raise VilcoError("errors.file_exists", path=str(args.out)) from None
    try:
        with store() as uow:
            batch = voting.issue_codes(uow, access.CLI_ACTOR, args.process, args.count,
                                       dt.date.today(), args.label,
                                       code_rules.parse_purpose(args.purpose))  # fmt: skip
    except BaseException:
        os.close(fd)
        args.out.unlink()
        raise
    with os.fdopen(fd, "wb") as out:
        out.write(voting.codes_csv(batch, base))
    if args.cards:
        _write_cards(args, list(batch.codes), base)
    print(f"batch {batch.batch_id}: {len(batch.codes)} codes written to {args.out}")
    return 0


def _write_cards(args: argparse.Namespace, codes: list[str], base: str) -> None:
    with store() as uow:
        process = processes.get_process(uow, args.process)
    purpose = code_rules.parse_purpose(args.purpose)
    batch = voting.IssuedBatch(batch_id=0, process_id=args.process, codes=tuple(codes),
                               purpose=purpose)  # fmt: skip
    urls = [batch.url(base, code) for code in codes]
    args.cards.write_bytes(qr.cards_pdf(codes, urls, process, args.paper, purpose))


def _cards(args: argparse.Namespace) -> int:
    codes = voting.read_codes_csv(args.csv.read_bytes())
    args.cards = args.out
    _write_cards(args, codes, _base(args))
    print(f"{len(codes)} cards written to {args.out}")
    return 0


def _list(args: argparse.Namespace) -> int:
    with store() as uow:
        batches = voting.list_code_batches(uow, args.process)
    rows = [
        {
            "batch": b.id,
            "purpose": b.purpose,
            "label": b.label,
            "issued_on": b.issued_on,
            "issued_by": b.issued_by,
            "unused": b.unused,
            "spent": b.spent,
            "void": b.void,
        }
        for b in batches
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['batch']}\t{r['issued_on']}\tunused {r['unused']}\tspent {r['spent']}"
                  f"\tvoid {r['void']}\t{r['label']}")  # fmt: skip
    return 0


def _void(args: argparse.Namespace) -> int:
    with store() as uow:
        if args.batch is not None:
            count = voting.void_batch(uow, access.CLI_ACTOR, args.batch)
            print(f"{count} code(s) voided")
        else:
            done = voting.void_code(uow, access.CLI_ACTOR, sys.stdin.readline().strip())
            print("1 code voided" if done else "0 code voided (already used or void)")
    return 0
