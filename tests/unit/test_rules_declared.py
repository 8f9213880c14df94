"""Where a file's META rule is one we implement, our winners are the city's declared winners."""

from __future__ import annotations

from pathlib import Path

import pytest

from vilco_core.pabulib import read_pabulib
from vilco_core.rules import compute_outcome, rule_from_meta

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FILES = sorted((DATA / "pabulib").glob("*.pb"))
OURS = [p for p in FILES if rule_from_meta(read_pabulib(p).instance.meta.get("rule", ""))]


def test_rules_declared_covers_the_cities_using_our_rules() -> None:
    names = {p.stem.split("_")[1] for p in OURS}
    assert {"Assen", "Swiecie", "Wieliczka", "Krakow", "Katowice", "Wroclaw"} <= names


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.stem)
def test_rules_declared_winners_are_reproduced(path: Path) -> None:
    parsed = read_pabulib(path)
    spec = rule_from_meta(parsed.instance.meta["rule"])
    assert spec is not None
    outcome = compute_outcome(
        parsed.instance, parsed.profile, rule=spec.rule, completion=spec.completion
    )
    assert sorted(outcome.selected) == sorted(parsed.declared_winners() or ())


def test_rules_pabutools_add1_differs_from_declared_on_wieliczka() -> None:
    parsed = read_pabulib(DATA / "pabulib" / "Poland_Wieliczka_2023_Green_Budget.pb")
    ours = compute_outcome(parsed.instance, parsed.profile, rule="mes", completion="add1")
    theirs = compute_outcome(
        parsed.instance, parsed.profile, rule="mes", completion="add1-pabutools"
    )
    assert set(ours.selected) != set(theirs.selected)
