"""`tally FILE.pb --rule R [--utility U] [--completion C] [--tie-breaking T] [--json]`.

A stable contract for auditors and scripts: with `--json` it prints exactly one JSON object
`{"rule", "utility", "completion", "selected", "cost", "seconds", ...}` where `selected` lists
project ids as written in the file and `seconds` is the compute time without parsing. Without
`--json` it prints a readable table of every project and why it won or lost.
"""

from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction

from vilco_core.i18n import translate
from vilco_core.pabulib import read_pabulib
from vilco_core.rules import COMPLETIONS, RULES, SCORES, TIE_BREAKINGS, UTILITIES, compute_outcome
from vilco_core.rules.outcome import Outcome


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tally = subparsers.add_parser("tally", help="compute the winners of a Pabulib .pb file")
    tally.add_argument("file", help="a Pabulib .pb file")
    tally.add_argument("--rule", choices=tuple(RULES), default="greedy")  # the registry
    tally.add_argument("--utility", choices=UTILITIES, default="cost")
    tally.add_argument("--completion", choices=COMPLETIONS, default="none")
    tally.add_argument("--tie-breaking", choices=TIE_BREAKINGS, default="lexicographic")
    tally.add_argument("--score", choices=SCORES, default="auto",
                       help="greedy score: auto (by ballot type) or approval")  # fmt: skip
    tally.add_argument("--json", action="store_true", help="print one JSON object")
    tally.set_defaults(handler=_tally)


def _tally(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    parsed = read_pabulib(args.file)
    parsed_at = time.perf_counter()
    outcome = compute_outcome(
        parsed.instance,
        parsed.profile,
        rule=args.rule,
        utility=args.utility,
        completion=args.completion,
        tie_breaking=args.tie_breaking,
        score=args.score,
    )
    seconds = time.perf_counter() - parsed_at
    if args.json:
        print(json.dumps(_as_json(outcome, seconds, parsed_at - start), ensure_ascii=False))
    else:
        print(_as_table(outcome, seconds))
    return 0


def _number(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


def _as_json(outcome: Outcome, seconds: float, parse_seconds: float) -> dict[str, object]:
    return {
        "rule": outcome.rule,
        "utility": outcome.utility,
        "completion": outcome.completion,
        "selected": list(outcome.selected),
        "cost": _number(outcome.cost),
        "seconds": round(seconds, 6),
        "tie_breaking": outcome.tie_breaking,
        "budget": _number(outcome.budget),
        "voter_budget": _number(outcome.voter_budget),
        "parse_seconds": round(parse_seconds, 6),
    }


def _as_table(outcome: Outcome, seconds: float) -> str:
    head = f"{'project':>12} {'cost':>12} {'support':>8} {'round':>5}  result"
    lines = [
        f"rule={outcome.rule} utility={outcome.utility} completion={outcome.completion} "
        f"tie-breaking={outcome.tie_breaking}",
        head,
    ]
    ordered = sorted(outcome.explanations, key=lambda r: (not r.selected, r.round or 10**9))
    for r in ordered:
        reason = translate(f"rules.reason.{r.reason}", "en")
        lines.append(
            f"{r.project_id:>12} {float(r.cost):>12.2f} {r.supporters:>8} "
            f"{r.round or '':>5}  {reason}"
        )
    lines.append(
        f"selected {len(outcome.selected)} projects, cost {float(outcome.cost):.2f} "
        f"of {float(outcome.budget):.2f} ({seconds:.3f} s)"
    )
    return "\n".join(lines)
