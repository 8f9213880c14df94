"""Our rules select exactly what pabutools (the test-only oracle) selects.

Recorded answers live in tests/fixtures/pabutools/<file>.<rule>.json with the command that
produced them (tests/fixtures/pabutools/record_oracle.py); on the small files pabutools also runs
live. Every file and rule is checked, MES with completion on the largest files included (a few
seconds each since the fast path).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vilco_core.pabulib import read_pabulib
from vilco_core.rules import compute_outcome

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "pabutools"
FILES = sorted((DATA / "pabulib").glob("*.pb"))
RULES = {
    "greedy": {"rule": "greedy", "score": "approval"},
    "mes": {"rule": "mes"},
    "mes-add1": {"rule": "mes", "completion": "add1-pabutools"},
    "phragmen": {"rule": "phragmen"},
}
CASES = [(path, rule) for path in FILES for rule in RULES]


@pytest.mark.parametrize(("path", "rule"), CASES, ids=lambda x: getattr(x, "stem", x))
def test_rules_match_recorded_pabutools(path: Path, rule: str) -> None:
    fixture = FIXTURES / f"{path.stem}.{rule}.json"
    if not fixture.exists():
        pytest.skip(f"no recorded oracle answer {fixture.name}")
    expected = json.loads(fixture.read_text(encoding="utf-8"))["selected"]
    parsed = read_pabulib(path)
    outcome = compute_outcome(parsed.instance, parsed.profile, **RULES[rule])
    assert sorted(outcome.selected) == expected


LIVE = [p for p in FILES if p.stat().st_size < 40_000]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("path", LIVE, ids=lambda p: p.stem)
def test_rules_match_live_pabutools(path: Path) -> None:
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    instance, profile = parse_pabulib(str(path))
    approval = ApprovalProfile([ApprovalBallot(list(b)) for b in profile], instance=instance)
    answers = {
        "greedy": greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat),
        "mes": method_of_equal_shares(instance, profile, sat_class=Cost_Sat),
        "phragmen": sequential_phragmen(instance, approval),
    }
    parsed = read_pabulib(path)
    for rule, answer in answers.items():
        outcome = compute_outcome(parsed.instance, parsed.profile, **RULES[rule])
        assert sorted(outcome.selected) == sorted(p.name for p in answer), rule
