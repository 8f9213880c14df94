"""Codes and signatures on SQLite and PostgreSQL: hashes only, batches, voiding, the CLI that
writes codes once; support counted once per person, thresholds, the commune's export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from vilco_core import codes
from vilco_core.__main__ import main
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import LocalText, ProjectStatus, Role, StaffUser
from vilco_core.services import processes, support, voting
from vilco_core.signatures import Signature
from vilco_core.store import SqlUnitOfWork

TODAY = dt.date.today()
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
ELSEWHERE = StaffUser(username="f", name="F", role=Role.FACILITATOR, commune_codes=("21001",))
OFFICER = StaffUser(username="officer", name="O", role=Role.POLL_OFFICER)


def _dump(uow: SqlUnitOfWork) -> str:
    """Every value of every table, as text (to look for a code in clear)."""
    with uow:
        meta = MetaData()
        meta.reflect(uow.session.get_bind())
        return repr([list(uow.session.execute(select(t))) for t in meta.sorted_tables])


def test_codes_are_stored_only_as_hashes(demo_uow: SqlUnitOfWork) -> None:
    batch = voting.issue_codes(demo_uow, ADMIN, 1, 50, TODAY, "stand Parvis")
    assert len(set(batch.codes)) == 50
    dump = _dump(demo_uow)
    for code in batch.codes:
        assert code not in dump and code.replace("-", "") not in dump
        assert codes.hash_code(code.replace("-", "")) in dump
    [listed] = [b for b in voting.list_code_batches(demo_uow, 1) if b.id == batch.batch_id]
    assert (listed.label, listed.unused, listed.total, listed.issued_by) == (
        "stand Parvis",
        50,
        50,
        "admin",
    )


def test_codes_only_staff_of_the_process_issue_or_void(demo_uow: SqlUnitOfWork) -> None:
    for actor in (None, OFFICER, ELSEWHERE):
        with pytest.raises(VilcoError, match=r"errors\.forbidden"):
            voting.issue_codes(demo_uow, actor, 1, 5, TODAY)
    with pytest.raises(VilcoError, match=r"errors\.code_count_invalid"):
        voting.issue_codes(demo_uow, ADMIN, 1, 0, TODAY)
    batch = voting.issue_codes(demo_uow, ADMIN, 1, 3, TODAY)
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        voting.void_batch(demo_uow, ELSEWHERE, batch.batch_id)
    with pytest.raises(VilcoError, match=r"errors\.batch_not_found"):
        voting.void_batch(demo_uow, ADMIN, 999)


def test_codes_void_one_then_the_rest_of_the_batch(demo_uow: SqlUnitOfWork) -> None:
    batch = voting.issue_codes(demo_uow, ADMIN, 1, 4, TODAY)
    assert voting.void_code(demo_uow, ADMIN, batch.codes[0].lower()) is True
    assert voting.void_code(demo_uow, ADMIN, batch.codes[0]) is False
    with pytest.raises(VilcoError, match=r"vote\.code_unknown"):
        voting.void_code(demo_uow, ADMIN, codes.generate_code())
    with pytest.raises(VilcoError, match=r"vote\.code_invalid"):
        voting.void_code(demo_uow, ADMIN, "<script>")
    assert voting.void_batch(demo_uow, ADMIN, batch.batch_id) == 3
    [listed] = [b for b in voting.list_code_batches(demo_uow, 1) if b.id == batch.batch_id]
    assert (listed.unused, listed.void) == (0, 4)


def test_codes_void_refuses_the_wrong_role_before_reading_the_code(
    demo_uow: SqlUnitOfWork,
) -> None:
    """Anonymous or a poll officer gets the same refusal for a real, an unknown and a malformed
    code: nothing tells them whether a code exists, and the real one stays usable."""
    [real] = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes
    for actor in (None, OFFICER):
        for text in (real, codes.generate_code(), "<script>"):
            with pytest.raises(VilcoError) as error:
                voting.void_code(demo_uow, actor, text)
            assert error.value.code == "errors.forbidden"
    [listed] = [b for b in voting.list_code_batches(demo_uow, 1) if b.total == 1]
    assert (listed.unused, listed.void) == (1, 0)


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Run]:
    """`python -m vilco_core ARGS`, run in this process (a subprocess costs seconds)."""
    monkeypatch.setenv("VILCO_DATABASE_URL", database_url)
    monkeypatch.setenv("VILCO_PUBLIC_URL", "https://vote.example.brussels")

    def run(*args: str, stdin: str = "") -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return run


def test_codes_cli_writes_codes_once_and_cannot_read_them_back(
    demo_uow: SqlUnitOfWork, cli: Callable[..., Run], tmp_path: Path
) -> None:
    out, cards = tmp_path / "codes.csv", tmp_path / "cards.pdf"
    done = cli(
        "codes",
        "issue",
        "--process",
        "1",
        "--count",
        "12",
        "--out",
        str(out),
        "--cards",
        str(cards),
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 12 and out.stat().st_mode & 0o077 == 0
    assert all(r["url"] == f"https://vote.example.brussels/vote?c={r['code']}" for r in rows)
    assert cards.read_bytes().startswith(b"%PDF")
    again = cli("codes", "issue", "--process", "1", "--count", "3", "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert len(list(csv.DictReader(io.StringIO(out.read_text())))) == 12  # untouched
    listing = json.loads(cli("codes", "list", "--process", "1", "--json").stdout)
    issued = [(b["batch"], b["unused"]) for b in listing if b["label"] != "demo"]
    assert issued == [(3, 12)]  # the refused run wrote none (batches 1, 2: the demo votes)
    assert "code" not in listing[0] and rows[0]["code"] not in _dump(demo_uow)
    voided = cli("codes", "void", "--code-stdin", stdin=rows[0]["code"] + "\n")
    assert voided.stdout.strip() == "1 code voided"
    again_cards = cli(
        "codes",
        "cards",
        "--csv",
        str(out),
        "--process",
        "1",
        "--out",
        str(tmp_path / "later.pdf"),
        "--paper",
        "A3",
    )
    assert again_cards.returncode == 0, again_cards.stderr
    posters = cli("posters", "--process", "1", "--out", str(tmp_path / "p"))
    assert posters.returncode == 0 and len(list((tmp_path / "p").glob("*.pdf"))) == 4


@pytest.mark.parametrize("base", ["http://localhost:8501", "http://127.0.0.1:8501/"])
def test_codes_cli_refuses_to_print_a_local_address(
    demo_uow: SqlUnitOfWork, cli: Callable[..., Run], tmp_path: Path, base: str
) -> None:
    out, folder = tmp_path / "codes.csv", tmp_path / "p"
    runs = [(["codes", "issue", "--process", "1", "--count", "2", "--out", str(out)], out),
            (["posters", "--process", "1", "--out", str(folder)], folder)]  # fmt: skip
    for args, written in runs:
        refused = cli(*args, "--base-url", base)
        assert refused.returncode == 2 and "VILCO_PUBLIC_URL" in refused.stderr
        assert "--allow-local" in refused.stderr
        assert not written.exists()  # nothing written
        assert cli(*args, "--base-url", base, "--allow-local").returncode == 0
        assert written.exists()
    listing = json.loads(cli("codes", "list", "--process", "1", "--json").stdout)
    assert [b["unused"] for b in listing if b["label"] != "demo"] == [2]  # one batch, not two


def test_codes_cli_posters_of_a_process_without_sites_exit_non_zero(
    demo_uow: SqlUnitOfWork, cli: Callable[..., Run], tmp_path: Path
) -> None:
    demo = processes.get_process(demo_uow, 1)
    fresh = replace(demo, id=None, name=LocalText(fr="Sans lieux", nl="Zonder plaatsen"), phases=())
    siteless = processes.save_process(demo_uow, ADMIN, fresh)
    assert processes.list_sites(demo_uow, siteless) == []
    done = cli("posters", "--process", str(siteless), "--out", str(tmp_path / "p"))
    assert done.returncode == 2 and "no poster site" in done.stderr
    assert not (tmp_path / "p").exists()
    wrong = cli("posters", "--process", "1", "--site", "999", "--out", str(tmp_path / "p"))
    assert wrong.returncode == 2 and not (tmp_path / "p").exists()


def test_codes_cli_issues_support_cards_that_sign(
    demo_uow: SqlUnitOfWork, cli: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "support.csv"
    args = ["--process", "2", "--purpose", "support"]
    done = cli("codes", "issue", *args, "--count", "2", "--out", str(out), "--cards",
               str(tmp_path / "cards.pdf"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert all(r["url"] == f"https://vote.example.brussels/sign?code={r['code']}" for r in rows)
    listing = json.loads(cli("codes", "list", "--process", "2", "--json").stdout)
    assert [(b["purpose"], b["unused"]) for b in listing] == [("support", 2)]
    assert _sign(demo_uow, _call_project(demo_uow), "Ana", code=rows[0]["code"]).counted
    voided = cli("codes", "void", "--code-stdin", stdin=rows[1]["code"] + "\n")
    assert voided.stdout.strip() == "1 code voided"


# -- support signatures ------------------------------------------------------------------------
NOW = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)


def _call_project(uow: SqlUnitOfWork) -> int:
    [call] = [s for s in support.support_targets(uow, TODAY) if s.project.ref == "APP-02"]
    return call.project.id or 0


def _cards(uow: SqlUnitOfWork, count: int) -> list[str]:
    return list(voting.issue_codes(uow, ADMIN, 2, count, TODAY, "stand", "support").codes)


def _sign(uow: SqlUnitOfWork, project_id: int, name: str, postcode: str = "1030",
          code: str = "", **given: object) -> support.SignOutcome:  # fmt: skip
    signature = Signature(project_id=project_id, name=name, postcode=postcode,
                          **given)  # type: ignore[arg-type]  # fmt: skip
    request = support.SignRequest(signature=signature, code=code, session=f"s-{name}")
    return support.sign_support(uow, request, NOW)


def test_signatures_count_once_per_person_and_reach_the_threshold(
    demo_uow: SqlUnitOfWork,
) -> None:
    project_id = _call_project(demo_uow)
    cards = _cards(demo_uow, 30)
    assert _sign(demo_uow, project_id, "Élise Van der Berg", code=cards[0]).counted
    # the same person with another card, or another person with the same card: once
    assert _sign(demo_uow, project_id, "elise van-der berg", code=cards[1]).result == "duplicate"
    assert _sign(demo_uow, project_id, "Ana", code=cards[0]).result == "duplicate"
    assert _sign(demo_uow, project_id, "Elise van der Berg", "1060", code=cards[2]).counted
    for i in range(22):
        assert _sign(demo_uow, project_id, f"Voisin {i}", code=cards[3 + i]).counted
    counts = {c.project_id: c for c in support.support_counts(demo_uow, 2)}
    assert (counts[project_id].signatures, counts[project_id].missing) == (24, 1)
    outcome = _sign(demo_uow, project_id, "Last One", "1210", code=cards[25])
    assert outcome.became_eligible and outcome.support.reached
    status = {p.id: p.status for p in processes.list_projects(demo_uow, 2)}
    assert status[project_id] is ProjectStatus.ELIGIBLE
    again = _sign(demo_uow, project_id, "After", "1210", code=cards[26])
    assert again.counted and not again.became_eligible  # eligible once


def test_signatures_refused_outside_support_and_invalid(demo_uow: SqlUnitOfWork) -> None:
    budget_project = processes.list_projects(demo_uow, 1)[0].id or 0  # its support phase is over
    with pytest.raises(VilcoError, match=r"errors\.support_closed"):
        _sign(demo_uow, budget_project, "Ana")
    with pytest.raises(ValidationErrors):
        _sign(demo_uow, _call_project(demo_uow), "Ana", "abcd")
    with pytest.raises(VilcoError, match=r"errors\.project_not_found"):
        _sign(demo_uow, 99_999, "Ana")


def test_signatures_export_for_the_commune(demo_uow: SqlUnitOfWork) -> None:
    project_id = _call_project(demo_uow)
    [card] = _cards(demo_uow, 1)
    _sign(demo_uow, project_id, "=HYPERLINK(1)", code=card, email="a@b.be", channel="stand")
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        support.export_signatures(demo_uow, OFFICER, 2)
    rows = list(csv.DictReader(io.StringIO(support.export_signatures(demo_uow, ADMIN, 2).decode())))
    assert rows == [
        {
            "project": "APP-02",
            "name": "'=HYPERLINK(1)",
            "postcode": "1030",
            "email": "a@b.be",
            "channel": "stand",
            "site": "",
            "signed_on": TODAY.isoformat(),
            "mode": "code",
            "state": "valid",
            "struck_reason": "",
        }
    ]
