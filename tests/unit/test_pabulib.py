"""Reading and writing Pabulib files: every shared file, errors with line numbers, round trip."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from vilco_core.errors import VilcoError
from vilco_core.pabulib import parse_pabulib, read_pabulib, write_pabulib
from vilco_core.rules import compute_outcome

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FILES = sorted((DATA / "pabulib").glob("*.pb"))
SMALL = """META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost;votes;name;selected
a;60;2;"Park ""Nord"" Est";1
b;50;1;B;0
VOTES
voter_id;vote
1;a,b
2;a
"""


def test_pabulib_shared_files_exist() -> None:
    assert len(FILES) == 11


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_pabulib_reads_every_shared_file(path: Path) -> None:
    parsed = read_pabulib(path)
    meta = parsed.instance.meta
    assert len(parsed.instance.projects) == int(meta["num_projects"])
    assert parsed.profile.num_voters == int(meta["num_votes"])
    assert parsed.declared_winners() is not None or "selected" not in meta


def test_pabulib_reads_quotes_and_decimal_budget() -> None:
    parsed = parse_pabulib(SMALL.replace("budget;100", "budget;100.5"))
    assert parsed.instance.unit == 10
    assert parsed.instance.budget == 1005
    assert parsed.instance.projects[0].name == 'Park "Nord" Est'
    assert parsed.profile.ballot(0) == (0, 1)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (SMALL.replace("1;a,b", "1;a,zz"), "pabulib.unknown_project", 11),
        (SMALL.replace("1;a,b", "1;a,a"), "pabulib.duplicate_project", 11),
        (SMALL.replace("b;50;1;B;0", "b;x;1;B;0"), "pabulib.bad_number", 8),
        (SMALL.replace("b;50;1;B;0", "b;50;1;B"), "pabulib.bad_row", 8),
        (SMALL.replace("budget;100\n", ""), "pabulib.missing_meta", 0),
        (SMALL.replace("VOTES\n", ""), "pabulib.missing_section", 0),
    ],
)
def test_pabulib_errors_carry_code_and_line(text: str, code: str, line: int) -> None:
    with pytest.raises(VilcoError) as caught:
        parse_pabulib(text)
    assert caught.value.code == code
    assert caught.value.params["line"] == line


@pytest.mark.parametrize("path", FILES[:6], ids=lambda p: p.stem)
def test_pabulib_write_then_read_keeps_winners(path: Path) -> None:
    parsed = read_pabulib(path)
    again = parse_pabulib(write_pabulib(parsed.instance, parsed.profile))
    for rule in ("greedy", "mes", "phragmen"):
        first = compute_outcome(parsed.instance, parsed.profile, rule=rule)
        second = compute_outcome(again.instance, again.profile, rule=rule)
        assert first.selected == second.selected


def test_pabulib_parses_the_largest_file_under_two_seconds() -> None:
    largest = max(FILES, key=lambda p: p.stat().st_size)
    start = time.perf_counter()
    read_pabulib(largest)
    assert time.perf_counter() - start < 2.0
