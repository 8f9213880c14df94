"""Benchmark: vilco's LEXIMIN/MAXIMIN beside sortition-algorithms' maximin on the shared instances.

Run as `.venv/bin/python benchmarks/sortition.py [--budget SECONDS] [--oracle-budget SECONDS]`.
Each vilco run is cancelled after `--budget` seconds (through the core's cancel check) and each
sortition-algorithms run (maximin, highspy backend, in a subprocess) is killed after
`--oracle-budget` seconds; both limits are printed, and a run that hits one says so. vilco lines
give wall time and, in brackets, CPU time (the two differ when the machine is shared). Defaults
keep the whole benchmark under about ten minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vilco_core.errors import VilcoError  # noqa: E402
from vilco_core.sortition import compute_lottery, load_instance, person_probabilities  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "sortition"
INSTANCES = (
    "example_small_20",
    "opendlp_monitoring_30",
    "sa_fixture_22",
    "example_large_200",
    "synthetic_sfe_like_110_loose",
)
ORACLE = """
import csv, sys, time
from sortition_algorithms.committee_generation import find_distribution_maximin
from sortition_algorithms.features import read_in_features
from sortition_algorithms.people import read_in_people
from sortition_algorithms.settings import Settings
folder, k = sys.argv[1], int(sys.argv[2])
with open(folder + "/features.csv") as f:
    r = csv.DictReader(f); features, _, _ = read_in_features(r.fieldnames, list(r), k)
with open(folder + "/people.csv") as f:
    r = csv.DictReader(f)
    settings = Settings(id_column="id", columns_to_keep=[])
    people, _ = read_in_people(r.fieldnames, list(r), features, settings)
start = time.perf_counter()
committees, weights, _ = find_distribution_maximin(features, people, k, [], "highspy")
seconds = time.perf_counter() - start
totals = dict.fromkeys(people, 0.0)
for committee, weight in zip(committees, weights):
    for person in committee:
        totals[person] += weight
print(seconds, min(totals.values()))
"""


def run_vilco(name: str, method: str, budget: float) -> str:
    folder = DATA / name
    k = int(json.loads((folder / "meta.json").read_text())["k"])
    instance = load_instance(
        (folder / "people.csv").read_text(), (folder / "features.csv").read_text(), k
    )
    start, cpu = time.perf_counter(), time.process_time()
    try:
        lottery = compute_lottery(
            instance,
            method,  # type: ignore[arg-type]
            cancelled=lambda: time.perf_counter() - start > budget,
        )
    except VilcoError as error:
        if error.code == "sortition.cancelled":
            return f"stopped after {budget:.0f} s"
        raise
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    minimum = float(min(person_probabilities(lottery).values()))
    return f"{seconds:8.2f} s  min {minimum:.9f}  ({len(lottery.panels)} panels, {cpu:.2f} s CPU)"


def run_oracle(name: str, budget: float) -> str:
    folder = DATA / name
    k = json.loads((folder / "meta.json").read_text())["k"]
    try:
        done = subprocess.run(
            [sys.executable, "-c", ORACLE, str(folder), str(k)],
            capture_output=True,
            text=True,
            timeout=budget,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return f"killed after {budget:.0f} s (time limit)"
    except subprocess.CalledProcessError as error:
        return f"failed: {error.stderr.strip().splitlines()[-1:]}"
    seconds, minimum = (float(x) for x in done.stdout.split()[-2:])
    return f"{seconds:8.2f} s  min {minimum:.9f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per vilco run")
    parser.add_argument("--oracle-budget", type=float, default=60.0, help="seconds per oracle run")
    parser.add_argument("--instances", nargs="*", default=list(INSTANCES))
    args = parser.parse_args()
    print(
        f"vilco runs cancelled after {args.budget:.0f} s; sortition-algorithms maximin (highspy) "
        f"killed after {args.oracle_budget:.0f} s"
    )
    for name in args.instances:
        print(f"\n{name}")
        for method in ("leximin", "maximin"):
            print(f"  vilco {method:8s}           {run_vilco(name, method, args.budget)}")
        print(f"  sortition-algorithms maximin {run_oracle(name, args.oracle_budget)}")


if __name__ == "__main__":
    main()
