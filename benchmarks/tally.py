"""Benchmark: vilco's tally engine against pabutools on the shared Pabulib files.

Run as `.venv/bin/python benchmarks/tally.py [--quick]`. For each (file, rule) pair it times
vilco (CPU seconds, parsing excluded) and, where pabutools finishes in reasonable time, pabutools
in its fastest configuration (float fractions, identical ballots merged with `as_multiprofile()`),
in the same process, and prints the ratio and whether both selected the same set. Then a table of
the hardest runs, with the rules pabutools lacks (`greedy-exclusive`, checked against the city's
declared winners; `add1-eqnet`, equalshares.net's `add1` from floor(B / n); `mes+add1` is
pabutools' `voter_budget_increment=1`) and the Budapest-shaped synthetic
vote (tests/unit/mes_shapes.py: the Budapest 2023 file is not in the shared data; pabutools'
unit-by-unit climb over ~100,000 forints is skipped), and the MES+add1 targets (median CPU).
Ends with the parse time of the largest file and the peak memory. `--quick` (CI): three small
files, the Budapest shape, one repeat of the Katowice target.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "pabulib"

from tests.unit.mes_shapes import budapest_shaped  # noqa: E402
from vilco_core.pabulib import read_pabulib  # noqa: E402
from vilco_core.rules import Instance, Profile, compute_outcome  # noqa: E402

OURS = {
    "greedy": {"rule": "greedy", "score": "approval"},
    "mes": {"rule": "mes"},
    "mes+add1": {"rule": "mes", "completion": "add1-pabutools"},
    "phragmen": {"rule": "phragmen"},
}
# pabutools runs known to take minutes even in its fastest configuration
PABUTOOLS_SKIP = {
    ("Poland_Warszawa_2026", "mes+add1"),
    ("Poland_Warszawa_2024_Mokotow", "mes+add1"),
    ("Poland_Warszawa_2026", "phragmen"),
}
QUICK_FILES = ("Netherlands_Assen_2024", "Poland_Swiecie_2023", "Poland_Katowice_2024")


def _pabutools(path: Path, rule: str) -> tuple[float, list[str]]:
    import pabutools.fractions

    pabutools.fractions.FRACTION = "float"
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    instance, profile = parse_pabulib(str(path))
    if rule == "phragmen" and not isinstance(profile, ApprovalProfile):
        profile = ApprovalProfile([ApprovalBallot(list(b)) for b in profile], instance=instance)
    multi = profile.as_multiprofile()
    start = time.process_time()
    if rule == "greedy":
        result = greedy_utilitarian_welfare(instance, multi, sat_class=Cost_Sat)
    elif rule == "mes":
        result = method_of_equal_shares(instance, multi, sat_class=Cost_Sat)
    elif rule == "mes+add1":
        result = method_of_equal_shares(
            instance, multi, sat_class=Cost_Sat, voter_budget_increment=1
        )
    else:
        result = sequential_phragmen(instance, multi)
    return time.process_time() - start, sorted(p.name for p in result)


def _ours(path: Path, rule: str) -> tuple[float, list[str]]:
    parsed = read_pabulib(path)
    start = time.process_time()
    outcome = compute_outcome(parsed.instance, parsed.profile, **OURS[rule])
    return time.process_time() - start, sorted(outcome.selected)


Row = tuple[str, str, float, float | None, str]  # file, rule, vilco s, pabutools s, same


def _extra_rows(files: list[Path]) -> list[Row]:
    """The runs pabutools cannot check: greedy-exclusive against the declared winners, add1 from
    floor(B / n), the Budapest-shaped vote."""
    rows: list[Row] = []
    for path in files:
        parsed = read_pabulib(path)
        declared = sorted(parsed.declared_winners() or ())
        if parsed.instance.meta.get("rule") == "greedy-exclusive":
            seconds, selected = _timed(parsed.instance, parsed.profile, rule="greedy-exclusive")
            same = "declared " + ("yes" if selected == declared else "NO")
            rows.append((path.stem, "greedy-excl", seconds, None, same))
        seconds, selected = _timed(parsed.instance, parsed.profile, rule="mes", completion="add1")
        rows.append((path.stem, "add1-eqnet", seconds, None, "-"))
    for scale in (1, 1000):
        instance, profile = budapest_shaped(scale=scale)
        name = "Budapest-shaped" + (f" (unit/{scale})" if scale > 1 else "")
        for completion in ("add1", "add1-pabutools"):
            seconds, _ = _timed(instance, profile, rule="mes", completion=completion)
            rule = "add1-eqnet" if completion == "add1" else "mes+add1"
            rows.append((name, rule, seconds, None, "-"))
    return rows


def _timed(instance: Instance, profile: Profile, **rule: str) -> tuple[float, list[str]]:
    start = time.process_time()
    outcome = compute_outcome(instance, profile, **rule)
    return time.process_time() - start, sorted(outcome.selected)


def _row(row: Row) -> str:
    stem, rule, ours, theirs, same = row
    if theirs is None:
        return f"{stem[:34]:34} {rule:11} {ours:9.3f} {'skipped':>12} {'':>8}  {same}"
    ratio = theirs / max(ours, 1e-6)
    return f"{stem[:34]:34} {rule:11} {ours:9.3f} {theirs:12.3f} {ratio:8.1f}  {same}"


TARGETS = ("Poland_Katowice_2024", "Poland_Warszawa_2026")


def _target(path: Path, repeats: int = 5) -> tuple[float, float]:
    """Median CPU and wall seconds of MES+add1 (equalshares.net `add1`), parsing excluded."""
    parsed = read_pabulib(path)
    cpu, wall = [], []
    for _ in range(repeats):
        start, start_wall = time.process_time(), time.perf_counter()
        compute_outcome(parsed.instance, parsed.profile, rule="mes", completion="add1")
        cpu.append(time.process_time() - start)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")
    quick = "--quick" in argv
    files = sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size)
    if quick:
        files = [p for p in files if p.stem in QUICK_FILES]
    header = f"{'file':34} {'rule':11} {'vilco s':>9} {'pabutools s':>12} {'ratio':>8}  same"
    print(header)
    rows: list[Row] = []
    for path in files:
        for rule in OURS:
            ours, selected = _ours(path, rule)
            if (path.stem, rule) in PABUTOOLS_SKIP:
                rows.append((path.stem, rule, ours, None, "-"))
            else:
                theirs, expected = _pabutools(path, rule)
                rows.append(
                    (path.stem, rule, ours, theirs, "yes" if selected == expected else "NO")
                )
            print(_row(rows[-1]))
    extra = _extra_rows(files if not quick else [])
    print(f"\nhardest runs (vilco CPU seconds, parsing excluded)\n{header}")
    hardest = sorted(rows + extra, key=lambda r: -r[2])
    named = [r for r in hardest if r[1] == "greedy-excl" or r[0].startswith("Budapest")]
    top = hardest[: 6 if quick else 12]
    for row in top + [r for r in named if r not in top]:
        print(_row(row))
    checked = [r for r in rows if r[3] is not None]
    if checked:
        ratios = [r[3] / max(r[2], 1e-6) for r in checked if r[3] is not None]
        same = sum(r[4] == "yes" for r in checked)
        print(f"vilco vs pabutools: median {statistics.median(ratios):.1f}x faster, "
              f"slowest ratio {min(ratios):.1f}x, same winners {same}/{len(checked)}")  # fmt: skip
    repeats = 1 if quick else 3
    for stem in TARGETS if not quick else TARGETS[:1]:
        cpu, wall = _target(DATA / f"{stem}.pb", repeats)
        city = stem.removeprefix("Poland_").replace("_", " ")
        goal = "0.5" if stem.endswith("Warszawa_2026") else "1"
        print(f"MES+add1 {city}: {cpu:.2f} s CPU, {wall:.2f} s wall (target < {goal} s)")
    if not quick:
        instance, profile = budapest_shaped()
        cpu = statistics.median(
            _timed(instance, profile, rule="mes", completion="add1")[0] for _ in range(repeats)
        )
        print(f"MES+add1 Budapest-shaped: {cpu:.2f} s CPU (target < 0.5 s)")
    largest = files[-1]
    start = time.perf_counter()
    read_pabulib(largest)
    print(f"parse {largest.name}: {time.perf_counter() - start:.3f} s")
    skipped = [f"{r[0]} {r[1]}" for r in rows if r[3] is None]
    print("pabutools skipped (minutes even merged/float):", "; ".join(skipped) or "none")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
