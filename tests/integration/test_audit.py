"""The audit log on SQLite and PostgreSQL: every ballot and staff action chained by hashes in
its own transaction, a linear chain under concurrent writers, `audit verify --json`, tampering
detected, receipts checked, and backups that restore a database whose audit still holds."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from vilco_core import audit as chain
from vilco_core import audit_checks
from vilco_core.__main__ import main as cli_main
from vilco_core.ballots import Ballot
from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import audit, ballots, mixing, voting
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_core.store.tables_audit import AuditEntryRow, AuditHeadRow
from vilco_core.store.tables_ballots import BallotRow

TODAY = dt.date.today()
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


def _approve(*refs: str) -> Ballot:
    return Ballot(kind="approval", project_ids=refs)


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m vilco_core ARGS` in this process (no interpreter start-up per call)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.setenv("VILCO_DATABASE_URL", url)
        code = cli_main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def _verify(uow: SqlUnitOfWork) -> tuple[bool, bool, int]:
    report = audit.verify_audit(uow)
    return report.chain_ok, report.tallies_ok, report.ballots


def test_audit_demo_chain_and_tallies_hold(demo_uow: SqlUnitOfWork) -> None:
    assert _verify(demo_uow) == (True, True, 1067)
    audit.publish_tally(demo_uow, ADMIN, 1)
    ballots.record_ballot(demo_uow, 1, _approve("SG-01"), "phone", None, TODAY)
    assert _verify(demo_uow) == (True, True, 1068)
    with demo_uow:
        kinds = [e.kind for e in demo_uow.audit.entries()]
    assert kinds.count("ballot") == 1067 and kinds.count(chain.TALLY) == 1  # one pending
    assert audit.verify_audit(demo_uow).pending == 1
    batches = kinds.count(chain.MIXED)  # the demo's: one per channel and site
    audit.publish_tally(demo_uow, ADMIN, 1)  # mixes what is pending first, whatever its size
    with demo_uow:
        kinds = [e.kind for e in demo_uow.audit.entries()]
    assert kinds.count("ballot") == 1068 and kinds.count(chain.TALLY) == 2
    assert kinds.count(chain.MIXED) == batches + 1
    assert kinds[-3:] == [chain.MIXED, "ballot", chain.TALLY]
    assert _verify(demo_uow) == (True, True, 1068) and audit.verify_audit(demo_uow).pending == 0


def test_audit_ballot_entry_names_no_code(demo_uow: SqlUnitOfWork) -> None:
    [code] = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes
    receipt = voting.cast_ballot(demo_uow, code, _approve("SG-01"), "phone", 1, TODAY)
    mixing.flush_ballots(demo_uow, ADMIN, 1)
    with demo_uow:
        entries = demo_uow.audit.entries()
    mine = [e for e in entries if receipt in e.payload]
    assert len(mine) == 1 and mine[0].kind == "ballot"
    symbols = code.replace("-", "")
    assert not any(symbols in e.payload or code in e.payload for e in entries)
    assert {"staff.codes_issued"} <= {e.kind for e in entries}
    assert set(json.loads(mine[0].payload)) == {
        "receipt", "process_id", "kind", "content", "channel", "site_id", "cast_on"
    }  # fmt: skip


def test_audit_refused_ballot_writes_no_entry(demo_uow: SqlUnitOfWork) -> None:
    with demo_uow:
        before = len(demo_uow.audit.entries())
    with pytest.raises(VilcoError):
        ballots.record_ballot(demo_uow, 1, _approve("NOPE"), "phone", None, TODAY)
    with demo_uow:
        assert len(demo_uow.audit.entries()) == before


TAMPERS = ("ballot_content", "ballot_deleted", "ballot_added", "tally_changed",
           "entry_payload", "entry_deleted", "last_entry_deleted")  # fmt: skip


def _tamper(uow: SqlUnitOfWork, tamper: str) -> None:
    s = uow.session
    receipt = s.scalars(select(BallotRow.receipt).order_by(BallotRow.receipt).limit(1)).one()
    last = s.scalar(select(func.max(AuditEntryRow.seq)))
    if tamper == "ballot_content":  # a real change, whatever that (random) ballot holds
        current = s.scalars(select(BallotRow.content).where(BallotRow.receipt == receipt)).one()
        forged = '{"points":[],"projects":["SG-02"]}'
        if forged == current:
            forged = '{"points":[],"projects":["SG-03"]}'
        s.execute(update(BallotRow).where(BallotRow.receipt == receipt)
                  .values(content=forged))  # fmt: skip
    elif tamper == "ballot_deleted":
        s.execute(delete(BallotRow).where(BallotRow.receipt == receipt))
    elif tamper == "ballot_added":
        row = s.get(BallotRow, receipt)
        assert row is not None
        s.add(BallotRow(receipt="ZZZZZZZZZZ", process_id=1, kind=row.kind, content=row.content,
                        channel=row.channel, site_id=None, cast_on=row.cast_on))  # fmt: skip
    elif tamper == "entry_payload":
        other = s.get(AuditEntryRow, 6)
        assert other is not None
        s.execute(update(AuditEntryRow).where(AuditEntryRow.seq == 5).values(payload=other.payload))
    elif tamper == "entry_deleted":
        s.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == 10))
    elif tamper == "last_entry_deleted":
        s.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == last))
    else:  # a forger who changes a published count and rehashes the end of the chain
        entry = s.get(AuditEntryRow, last)
        assert entry is not None
        published = json.loads(entry.payload)
        published["per_project"]["SG-01"] += 1
        entry.payload = chain.canonical_json(published)
        entry.hash = chain.entry_hash(entry.prev_hash, entry.seq, entry.kind, entry.day,
                                      entry.payload)  # fmt: skip
        s.execute(update(AuditHeadRow).values(hash=entry.hash))
    s.flush()


def test_audit_tampering_is_detected(demo_uow: SqlUnitOfWork) -> None:
    """Each tampering inside a transaction rolled back afterwards: the same checks as `verify`
    see the tampered rows; ballot changes break the tallies, entry changes break the chain."""
    audit.publish_tally(demo_uow, ADMIN, 1)
    for tamper in TAMPERS:
        with demo_uow:
            _tamper(demo_uow, tamper)
            entries, head = demo_uow.audit.entries(), demo_uow.audit.head()
            raw = demo_uow.audit.raw_ballots()
        chain_ok = not chain.chain_problems(entries, head)
        tallies_ok = not audit_checks.tally_problems(entries, raw)
        if tamper.startswith("ballot") or tamper == "tally_changed":
            assert (tamper, chain_ok, tallies_ok) == (tamper, True, False)
        else:
            assert (tamper, chain_ok) == (tamper, False)
    assert _verify(demo_uow) == (True, True, 1067)  # rolled back: intact again


def test_audit_chain_linear_under_concurrent_writers(demo_uow: SqlUnitOfWork) -> None:
    codes = voting.issue_codes(demo_uow, ADMIN, 1, 60, TODAY).codes

    def vote(code: str) -> str:
        return voting.cast_ballot(SqlUnitOfWork(demo_uow.engine), code, _approve("SG-01"),
                                  "phone", None, TODAY)  # fmt: skip

    with ThreadPoolExecutor(max_workers=12) as pool:
        receipts = list(pool.map(vote, codes))
    assert len(set(receipts)) == 60
    assert _verify(demo_uow) == (True, True, 1127)


def _rewrite_whole_chain(uow: SqlUnitOfWork) -> None:
    """What someone with database access could do: change an early entry, then redo every
    hash after it and the head, so that the stored chain is consistent again."""
    with uow:
        rows = list(uow.session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)))
        forged = next(r for r in rows if r.kind != "ballot")  # ballots must still match
        payload = json.loads(forged.payload)
        payload["actor"] = "someone else"
        forged.payload = chain.canonical_json(payload)
        prev = chain.GENESIS
        for row in rows:
            row.prev_hash = prev
            row.hash = prev = chain.entry_hash(prev, row.seq, row.kind, row.day, row.payload)
        uow.session.execute(update(AuditHeadRow).values(seq=rows[-1].seq, hash=prev))
        uow.commit()


def test_audit_head_published_then_whole_chain_rewritten(demo_uow: SqlUnitOfWork) -> None:
    url = demo_uow.engine.url.render_as_string(hide_password=False)
    assert _cli(url, "audit", "publish", "--process", "1").returncode == 0
    head = json.loads(_cli(url, "audit", "head", "--json").stdout)
    assert set(head) == {"seq", "hash", "entries"} and head["seq"] == head["entries"] > 800
    ballots.record_ballot(demo_uow, 1, _approve("SG-01"), "import", None, TODAY)  # it goes on
    published = f"{head['hash']}@{head['seq']}"
    grouped = chain.group_hash(head["hash"]).upper()  # as a resident copies it from the page
    for expected in (published, head["hash"], f"{grouped} @ {head['seq']}"):
        done = _cli(url, "audit", "verify", "--json", "--expect-head", expected)
        report = json.loads(done.stdout)
        assert done.returncode == 0 and report["head_ok"] is True and report["chain_ok"]
    plain = json.loads(_cli(url, "audit", "verify", "--json").stdout)
    assert "head_ok" not in plain and (plain["chain_ok"], plain["ballots"]) == (True, 1068)
    wrong_seq = _cli(url, "audit", "verify", "--json", "--expect-head", f"{head['hash']}@5")
    assert wrong_seq.returncode == 1 and json.loads(wrong_seq.stdout)["head_ok"] is False

    _rewrite_whole_chain(demo_uow)
    plain = json.loads(_cli(url, "audit", "verify", "--json").stdout)
    assert (plain["chain_ok"], plain["tallies_ok"]) == (True, True)  # undetectable alone
    done = _cli(url, "audit", "verify", "--json", "--expect-head", published)
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["head_ok"] is False
    assert (report["chain_ok"], report["tallies_ok"], report["ballots"]) == (True, True, 1068)
    assert any("published head" in p for p in report["problems"])
    assert "MISSING" in _cli(url, "audit", "verify", "--expect-head", published).stdout


@pytest.mark.parametrize(
    "junk", ["", "abc", "g" * 64, "a" * 63, "a" * 64 + "@", "a" * 64 + "@-1", "a" * 64 + "@x",
             "a" * 64 + "@²", "a" * 500, "'; DROP TABLE audit_log; --"],
)  # fmt: skip
def test_audit_expect_head_junk_refused_before_any_read(sqlite_url: str, junk: str) -> None:
    done = _cli(sqlite_url, "audit", "verify", "--json", "--expect-head", junk)
    assert done.returncode == 2 and done.stdout == ""
    assert "Unreadable chain head" in done.stderr and "Traceback" not in done.stderr


def test_audit_head_of_an_empty_chain_and_a_missing_entry(uow: SqlUnitOfWork) -> None:
    head = audit.chain_head(uow)
    assert (head.seq, head.hash, head.entries, head.day) == (0, chain.GENESIS, 0, None)
    assert audit.verify_head(uow, f"{chain.GENESIS}@0") == []
    assert audit.verify_head(uow, "a" * 64) != []
    with pytest.raises(VilcoError) as error:
        audit.chain_head(uow, at=7)
    assert error.value.code == "audit.entry_not_found"


def test_receipt_check_counted_unknown_and_junk(demo_uow: SqlUnitOfWork) -> None:
    receipt = ballots.record_ballot(demo_uow, 1, _approve("SG-01"), "phone", None, TODAY)
    typed = f" {receipt[:5].lower()}-{receipt[5:]} "
    found = audit.check_receipt(demo_uow, typed)
    assert found.counted and found.receipt == receipt and found.cast_on == TODAY
    other = "0000000000" if receipt != "0000000000" else "1111111111"
    assert not audit.check_receipt(demo_uow, other).counted
    for junk in ("", "abc", "x" * 500, "ÉÉÉÉÉÉÉÉÉÉ", "'; DROP TABLE ballots; --", None, 12):
        with pytest.raises(VilcoError) as error:
            audit.check_receipt(demo_uow, junk)
        assert error.value.code == "receipt.invalid"


def test_backup_restore_round_trip(demo_uow: SqlUnitOfWork, tmp_path: Path) -> None:
    database_url = demo_uow.engine.url.render_as_string(hide_password=False)
    demo_uow.engine.dispose()
    assert _cli(database_url, "audit", "publish", "--process", "1").returncode == 0
    before = json.loads(_cli(database_url, "audit", "verify", "--json").stdout)
    assert (before["chain_ok"], before["tallies_ok"], before["ballots"]) == (True, True, 1067)
    target = tmp_path / "vilco.backup"
    done = _cli(database_url, "backup", str(target))
    assert done.returncode == 0, done.stderr
    assert target.stat().st_size > 10_000
    engine = make_engine(database_url)
    with engine.begin() as connection:  # an accident after the backup
        connection.execute(delete(BallotRow).where(BallotRow.process_id == 1))
    broken = json.loads(_cli(database_url, "audit", "verify", "--json").stdout)
    assert broken["tallies_ok"] is False and broken["ballots"] == 267  # process 3 only
    assert _cli(database_url, "audit", "verify").returncode == 1
    engine.dispose()
    restored = _cli(database_url, "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    report = json.loads(_cli(database_url, "audit", "verify", "--json").stdout)
    assert (report["chain_ok"], report["tallies_ok"], report["ballots"]) == (True, True, 1067)


def test_restore_refuses_a_file_that_is_no_backup(sqlite_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    done = _cli(sqlite_url, "restore", str(junk))
    assert done.returncode == 2 and "not a vilco backup" in done.stderr
    assert _cli(sqlite_url, "restore", str(tmp_path / "missing")).returncode == 2
