"""The `.pb` files vilco writes are accepted by pabulib-checker (the library's own validator,
a test-only dependency): a process's export and shared files written back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pabulib.checker import Checker

from vilco_core.pabulib import read_pabulib, write_pabulib
from vilco_core.results import results_pabulib
from vilco_core.rules import RuleSpec, compute_outcome, rule_from_meta
from vilco_core.services import ballots, processes
from vilco_core.store import SqlUnitOfWork

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"


def _problems(text: str) -> dict[str, object]:
    report = Checker().process_files([text])
    assert report["metadata"]["valid"] == 1, report
    (result,) = (v["results"] for k, v in report.items() if k not in ("metadata", "summary"))
    return {level: found for level, found in result.items() if found}


def test_pabulib_checker_accepts_the_demo_process_export(demo_uow: SqlUnitOfWork) -> None:
    process = processes.list_processes(demo_uow)[0]
    results = ballots.compute_results(demo_uow, process.id or 0, dt.date.today())
    assert _problems(results_pabulib(results)) == {}


@pytest.mark.parametrize(
    "name",
    ["Netherlands_Assen_2024", "Poland_Swiecie_2023", "Poland_Krakow_2022_Stare_Miasto",
     "Poland_Czestochowa_2024_Gnaszyn_-_Kawodrza", "Poland_Wroclaw_2017_Rejon_nr_12_250"],
)  # fmt: skip
def test_pabulib_checker_accepts_shared_files_written_back(name: str) -> None:
    parsed = read_pabulib(PABULIB / f"{name}.pb")
    spec = rule_from_meta(parsed.instance.meta.get("rule", "greedy")) or RuleSpec(rule="greedy")
    outcome = compute_outcome(parsed.instance, parsed.profile, rule=spec.rule,
                              utility=spec.utility, completion=spec.completion)  # fmt: skip
    assert _problems(write_pabulib(parsed.instance, parsed.profile, outcome.selected)) == {}
