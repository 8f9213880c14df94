"""`posters --process ID [--site ID] --paper A4|A3 --target vote|sign --out DIR`: one PDF
poster per site, its QR code leading to the vote or the support form."""

from __future__ import annotations

import argparse
from pathlib import Path

from vilco_core import qr
from vilco_core.commands import store
from vilco_core.errors import VilcoError
from vilco_core.services import processes, voting


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("posters", help="printable posters, one per site (PDF)")
    parser.add_argument("--process", type=int, required=True)
    parser.add_argument("--site", type=int, action="append", help="only this site (repeatable)")
    parser.add_argument("--paper", choices=sorted(qr.PAPERS), default="A4")
    parser.add_argument("--target", choices=["vote", "sign"], default="vote")
    parser.add_argument("--lang", choices=["fr", "nl", "en"], default="fr")
    parser.add_argument("--base-url", help="public address of the app (VILCO_PUBLIC_URL)")
    parser.add_argument("--allow-local", action="store_true",
                        help="print a localhost address into the QR codes (a try-out)")  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDF files")
    parser.set_defaults(handler=_posters)


def _posters(args: argparse.Namespace) -> int:
    base = qr.printable_base((args.base_url or voting.public_url()).rstrip("/"), args.allow_local)
    with store() as uow:
        sites = [s.id for s in processes.list_sites(uow, args.process) if s.id is not None]
        chosen = [s for s in sites if not args.site or s in args.site]
        if not chosen:
            raise VilcoError("errors.posters_no_site", process=args.process)
        contents = [voting.poster_for_site(uow, s, args.target, base, args.lang) for s in chosen]
    args.out.mkdir(parents=True, exist_ok=True)
    for content in contents:
        path = args.out / f"poster-site{content.site.id}-{args.target}-{args.paper}.pdf"
        path.write_bytes(qr.poster_pdf(content, args.paper))
        print(path)
    return 0
