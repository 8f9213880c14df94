"""`python -m vilco_core draw`: compute a lottery and draw a panel, or replay a published lottery.

Without `--lottery` it reads the pool and quotas, computes the lottery with `--method`, optionally
writes it (`--lottery-out`), and draws with `--seed`. With `--lottery FILE` it draws from that
published file instead; `--people`, `--features`, `--size` are then optional and, when given,
checked against the hashes and size the file states. Same arguments and version, same panel.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from vilco_core.errors import VilcoError
from vilco_core.sortition import (
    METHODS,
    Lottery,
    Method,
    compute_lottery,
    draw_panel,
    load_instance,
    lottery_bytes,
    lottery_sha256,
    parse_pool,
    parse_quotas,
    person_probabilities,
    pool_sha256,
    quota_counts,
    quotas_sha256,
    read_lottery,
    validate_instance,
)
from vilco_core.sortition.pool import parse_register


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "draw", help="draw a panel by lot (LEXIMIN, replayable)", description=__doc__
    )
    parser.add_argument("--people", type=Path, help="pool CSV: an id column and one per feature")
    parser.add_argument("--features", type=Path, help="quotas CSV: feature,value,min,max")
    parser.add_argument("--size", type=int, help="panel size k")
    parser.add_argument(
        "--seed", required=True, help="the public seed, e.g. dice rolled by witnesses"
    )
    parser.add_argument("--method", choices=METHODS, default=None, help="default: leximin")
    parser.add_argument("--alternates", type=int, default=0, help="number of alternates")
    parser.add_argument("--lottery-out", type=Path, help="write the canonical lottery file here")
    parser.add_argument("--lottery", type=Path, help="draw from this published lottery file")
    parser.add_argument("--lottery-sha256", help="refuse --lottery unless its SHA-256 is this")
    parser.add_argument("--id-column", default="id")
    parser.add_argument(
        "--household-columns",
        default="",
        help="comma-separated address columns: at most one person per household",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run_draw)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise VilcoError("sortition.file_unreadable", path=str(path)) from exc


def _compute(args: argparse.Namespace) -> Lottery:
    """Uniform draws read the pool as a plain register: quotas and households do not apply."""
    method: Method = args.method or "leximin"
    if args.people is None or args.size is None or (args.features is None and method != "uniform"):
        raise VilcoError("sortition.cli_missing_inputs")
    if method == "uniform":
        pool = parse_register(_read_text(args.people), id_column=args.id_column)
        return compute_lottery(validate_instance(pool, (), args.size), method)
    columns = [c.strip() for c in args.household_columns.split(",") if c.strip()]
    instance = load_instance(
        _read_text(args.people),
        _read_text(args.features),
        args.size,
        id_column=args.id_column,
        household_columns=columns,
    )
    return compute_lottery(instance, method)


def _check_against(lottery: Lottery, args: argparse.Namespace) -> None:
    if args.method is not None and args.method != lottery.method:
        raise VilcoError("sortition.method_mismatch", expected=lottery.method, actual=args.method)
    if args.size is not None and args.size != lottery.size:
        raise VilcoError("sortition.size_mismatch", expected=lottery.size, actual=args.size)
    if args.features is not None and lottery.method != "uniform":
        actual = quotas_sha256(parse_quotas(_read_text(args.features)), lottery.size)
        if actual != lottery.quotas_sha256:
            raise VilcoError(
                "sortition.quotas_hash_mismatch", expected=lottery.quotas_sha256, actual=actual
            )
    if args.people is not None:
        pool = parse_pool(
            _read_text(args.people),
            lottery.features,
            id_column=args.id_column,
            household_columns=lottery.household_columns,
        )
        if pool_sha256(pool) != lottery.pool_sha256:
            raise VilcoError(
                "sortition.pool_hash_mismatch",
                expected=lottery.pool_sha256,
                actual=pool_sha256(pool),
            )


def _replay(args: argparse.Namespace) -> Lottery:
    try:
        data = args.lottery.read_bytes()
    except OSError as exc:
        raise VilcoError("sortition.file_unreadable", path=str(args.lottery)) from exc
    lottery = read_lottery(data, expected_sha256=args.lottery_sha256)
    _check_against(lottery, args)
    return lottery


def run_draw(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    lottery = _replay(args) if args.lottery is not None else _compute(args)
    if args.lottery_out is not None:
        args.lottery_out.write_bytes(lottery_bytes(lottery))
    draw = draw_panel(lottery, args.seed, alternates=args.alternates)
    result = _result(lottery, draw.panel, draw.alternates, args.seed, draw.ticket)
    result["seconds"] = round(time.perf_counter() - started, 3)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        _print_text(result)
    return 0


def _result(
    lottery: Lottery, panel: tuple[str, ...], alternates: tuple[str, ...], seed: str, ticket: int
) -> dict[str, Any]:
    probabilities = person_probabilities(lottery)
    return {
        "method": lottery.method,
        "seed": seed,
        "pool_sha256": lottery.pool_sha256,
        "quotas_sha256": lottery.quotas_sha256,
        "lottery_sha256": lottery_sha256(lottery),
        "vilco_version": lottery.vilco_version,
        "size": lottery.size,
        "ticket": ticket,
        "tickets": lottery.tickets,
        "probabilities_estimated": lottery.estimated,
        "panel": list(panel),
        "alternates": list(alternates),
        "quotas": [
            {"feature": q.feature, "value": q.value, "min": q.min, "max": q.max, "drawn": q.drawn}
            for q in quota_counts(lottery, panel)
        ],
        "probabilities": {p: float(v) for p, v in sorted(probabilities.items())},
    }


def _print_text(result: dict[str, Any]) -> None:
    for key in ("method", "seed", "pool_sha256", "quotas_sha256", "lottery_sha256", "ticket"):
        print(f"{key}: {result[key]}")
    print("panel: " + ", ".join(result["panel"]))
    print("alternates: " + ", ".join(result["alternates"]))
    print(f"min probability: {min(result['probabilities'].values()):.9f}", file=sys.stdout)
    print(f"seconds: {result['seconds']}")
