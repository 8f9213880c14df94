"""`python -m vilco_core draw`: JSON output, replay from the published file, refusals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.unit.sortition_helpers import SORTITION, instance_dir
from vilco_core.__main__ import main

pytestmark = pytest.mark.skipif(not SORTITION.is_dir(), reason="shared data not beside checkout")
FOLDER = instance_dir("opendlp_monitoring_30")
BASE = ["draw", "--people", str(FOLDER / "people.csv"), "--seed", "2 5 6 1 4", "--json"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object], str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lottery") / "lottery.json"
    argv = [
        *BASE,
        "--features",
        str(FOLDER / "features.csv"),
        "--size",
        "30",
        "--method",
        "maximin",
        "--lottery-out",
        str(path),
    ]
    assert main(argv) == 0
    return path


def test_draw_prints_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        *BASE,
        "--features",
        str(FOLDER / "features.csv"),
        "--size",
        "30",
        "--method",
        "maximin",
        "--alternates",
        "3",
    ]
    code, result, _ = run(argv, capsys)
    assert code == 0
    assert {
        "method",
        "seed",
        "pool_sha256",
        "lottery_sha256",
        "panel",
        "alternates",
        "probabilities",
        "seconds",
    } <= set(result)
    assert len(result["panel"]) == 30 and len(result["alternates"]) == 3  # type: ignore[arg-type]
    assert sum(result["probabilities"].values()) == pytest.approx(30)  # type: ignore[attr-defined]
    assert run(argv, capsys)[1]["panel"] == result["panel"]


def test_replay_from_the_published_file_gives_the_same_panel(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    argv = [
        *BASE,
        "--features",
        str(FOLDER / "features.csv"),
        "--size",
        "30",
        "--method",
        "maximin",
    ]
    _, original, _ = run(argv, capsys)
    code, replay, _ = run([*BASE, "--lottery", str(published), "--lottery-sha256", digest], capsys)
    assert code == 0 and replay["panel"] == original["panel"]
    assert replay["lottery_sha256"] == digest == original["lottery_sha256"]
    _, bare, _ = run(["draw", "--lottery", str(published), "--seed", "2 5 6 1 4", "--json"], capsys)
    assert bare["panel"] == original["panel"]


def test_replay_refuses_another_hash_or_pool(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*BASE, "--lottery", str(published), "--lottery-sha256", "0" * 64], capsys)
    assert code == 2 and "SHA-256" in err
    other = tmp_path / "people.csv"
    other.write_text((FOLDER / "people.csv").read_text().replace("\n1,Female", "\n1,Male", 1))
    argv = ["draw", "--people", str(other), "--lottery", str(published), "--seed", "1", "--json"]
    code, _, err = run(argv, capsys)
    assert code == 2 and "pool" in err


def test_infeasible_quotas_exit_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quotas = tmp_path / "features.csv"
    quotas.write_text(
        (FOLDER / "features.csv").read_text().replace("gender,Female,14,16", "gender,Female,31,31")
    )
    code, _, err = run([*BASE, "--features", str(quotas), "--size", "30"], capsys)
    assert code == 2 and "error:" in err


def test_uniform_draws_from_a_plain_register(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run([*BASE, "--size", "10", "--method", "uniform"], capsys)
    assert code == 0 and set(result["probabilities"].values()) == {0.1}  # type: ignore[attr-defined]
