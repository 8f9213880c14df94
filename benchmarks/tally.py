"""Benchmark: vilco's tally engine against pabutools on the shared Pabulib files.

Run as `.venv/bin/python benchmarks/tally.py [--quick]`. For each (file, rule) pair it times
vilco (CPU seconds, parsing excluded) and, where pabutools finishes in reasonable time, pabutools
in its fastest configuration (float fractions, identical ballots merged with `as_multiprofile()`),
in the same process, and prints the ratio and whether both selected the same set. Runs skipped
for pabutools are listed. Ends with the parse time of the largest file and the peak memory.
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

from vilco_core.pabulib import read_pabulib  # noqa: E402
from vilco_core.rules import compute_outcome  # noqa: E402

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
    files = sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size)
    if "--quick" in argv:
        files = [p for p in files if p.stem in QUICK_FILES]
    print(f"{'file':34} {'rule':9} {'vilco s':>9} {'pabutools s':>12} {'ratio':>8}  same")
    skipped = []
    for path in files:
        for rule in OURS:
            ours, selected = _ours(path, rule)
            if (path.stem, rule) in PABUTOOLS_SKIP:
                skipped.append(f"{path.stem} {rule}")
                print(f"{path.stem[:34]:34} {rule:9} {ours:9.3f} {'skipped':>12}")
                continue
            theirs, expected = _pabutools(path, rule)
            ratio = theirs / max(ours, 1e-6)
            same = "yes" if selected == expected else "NO"
            print(f"{path.stem[:34]:34} {rule:9} {ours:9.3f} {theirs:12.3f} {ratio:8.1f}  {same}")
    for stem in TARGETS:
        cpu, wall = _target(DATA / f"{stem}.pb")
        city = stem.removeprefix("Poland_").replace("_", " ")
        print(f"MES+add1 {city}: {cpu:.2f} s CPU, {wall:.2f} s wall (target < 1 s)")
    largest = files[-1]
    start = time.perf_counter()
    read_pabulib(largest)
    print(f"parse {largest.name}: {time.perf_counter() - start:.3f} s")
    print("pabutools skipped (minutes even merged/float):", "; ".join(skipped) or "none")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
