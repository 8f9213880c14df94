"""The `tally` command line: one JSON object with the contract keys, errors on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vilco_core.__main__ import main

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
ROOT = Path(__file__).resolve().parents[2]
ASSEN = DATA / "pabulib" / "Netherlands_Assen_2024.pb"


@pytest.mark.parametrize(
    "args",
    [
        ["--rule", "greedy"],
        ["--rule", "greedy-no-skip"],
        ["--rule", "greedy-exclusive"],
        ["--rule", "mes", "--completion", "add1"],
        ["--rule", "mes", "--utility", "cardinality", "--completion", "add1-greedy"],
        ["--rule", "phragmen"],
    ],
)
def test_tally_cli_prints_one_json_object(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tally", str(ASSEN), *args, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"rule", "utility", "completion", "selected", "cost", "seconds"} <= set(result)
    assert result["rule"] == args[1]
    assert result["cost"] <= 100000
    assert all(isinstance(p, str) for p in result["selected"])


def test_tally_cli_declared_winners_of_assen(capsys: pytest.CaptureFixture[str]) -> None:
    main(["tally", str(ASSEN), "--rule", "mes", "--completion", "add1", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert sorted(result["selected"]) == sorted(["3", "9", "2", "11", "13", "14", "5", "6", "12"])


def test_tally_cli_table_without_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", str(ASSEN), "--rule", "greedy"]) == 0
    out = capsys.readouterr().out
    assert "Selected" in out and "rule=greedy" in out


def test_tally_cli_bad_file_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nvote_type;approval\nPROJECTS\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "vilco_core", "tally", str(bad), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert "error" in done.stderr
