"""Ballots cannot be linked to the codes that cast them (issue 13 §1), on SQLite and PostgreSQL:
the small run of `benchmarks/unlink.py` (30 voters, k = 5, half of them paper cards typed one by
one) through the services the pages call; every attack it knows (PostgreSQL's `xmin`, the live
tables' physical order, a restored backup's, the audit log's order, the paper-entry log) links
no more than random pairing inside batches of k would. On the layout before mixing, each of
them linked every ballot (the benchmark prints 1.0)."""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, text

from benchmarks import unlink
from tests.integration.test_audit import ADMIN, TODAY, _approve, _cli
from vilco_core import audit_checks
from vilco_core.ballots import Ballot
from vilco_core.services import audit, mixing, panel_rounds, panel_sessions, voting
from vilco_core.store import SqlUnitOfWork
from vilco_core.store.tables_ballots import BallotRow, PendingBallotRow
from vilco_core.store.tables_onsite import PaperEntryRow
from vilco_core.store.tables_panels import PanelBallotRow

K = 5


def _url(uow: SqlUnitOfWork) -> str:
    return uow.engine.url.render_as_string(hide_password=False)


def test_unlink_every_attack_links_no_more_than_batches_of_k(
    demo_uow: SqlUnitOfWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILCO_MIX_BATCH", str(K))
    found = unlink.run_on(_url(demo_uow), 30, K, tmp_path, paper_share=0.5, client="service",
                          rng=random.Random(13))  # fmt: skip
    attacks = found["attacks"]
    expected = {"live_order", "audit_order", "paper_timing", "backup_order"}
    if demo_uow.engine.dialect.name == "postgresql":
        expected |= {"xmin_join", "xmin_order"}
        assert attacks["xmin_join"] == 0  # no ballot shares a transaction with its code
    assert set(attacks) == expected
    over = {n: (share, found["bounds"][n]) for n, share in attacks.items()
            if share > found["bounds"][n]}  # fmt: skip
    assert over == {}
    assert (found["lost"], found["doubled"], found["audit_ok"]) == (0, 0, True)
    assert found["pending_after_flush"] == 0
    batches = found["batches"]  # 15 phone + 15 paper: three batches of 5 each, nothing left
    assert sorted(batches) == [K] * 6 and found["flushed"] == {}  # nothing left to flush


def test_unlink_mixing_waits_for_k_counts_pending_and_finds_receipts(
    demo_uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILCO_MIX_BATCH", "3")
    codes = voting.issue_codes(demo_uow, ADMIN, 1, 4, TODAY).codes
    receipts = [voting.cast_ballot(demo_uow, c, _approve("SG-01"), "phone", None, TODAY)
                for c in codes[:2]]  # fmt: skip
    with demo_uow:
        s = demo_uow.session
        assert set(s.scalars(select(PendingBallotRow.receipt))) == set(receipts)
        assert not s.scalars(select(BallotRow).where(BallotRow.receipt.in_(receipts))).all()
    assert all(audit.check_receipt(demo_uow, r).pending for r in receipts)  # counted already
    report = audit.verify_audit(demo_uow)
    assert (report.ballots, report.pending, report.tallies_ok) == (1069, 2, True)
    receipts.append(voting.cast_ballot(demo_uow, codes[2], _approve("SG-02"), "phone", None,
                                       TODAY))  # fmt: skip
    with demo_uow:
        entries = demo_uow.audit.entries()
        assert not demo_uow.session.scalars(select(PendingBallotRow)).all()
    batch = entries[-4:]  # the batch's record, then its ballots in shuffled order
    assert json.loads(batch[0].payload) == {"process_id": 1, "ballots": 3}
    assert {json.loads(e.payload)["receipt"] for e in batch[1:]} == set(receipts)
    assert not any(audit.check_receipt(demo_uow, r).pending for r in receipts)
    voting.cast_ballot(demo_uow, codes[3], _approve("SG-01"), "phone", None, TODAY)
    assert mixing.mix_report(demo_uow, 1).pending == 1
    assert mixing.mix_report(demo_uow, 1).batches[-1] == 3
    assert audit.verify_audit(demo_uow).ballots == 1071


def test_unlink_concurrent_casts_lose_nothing(demo_uow: SqlUnitOfWork,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("VILCO_MIX_BATCH", "3")
    codes = voting.issue_codes(demo_uow, ADMIN, 1, 40, TODAY).codes
    demo_batches = len(mixing.mix_report(demo_uow, 1).batches)

    def vote(code: str) -> str:
        return voting.cast_ballot(SqlUnitOfWork(demo_uow.engine), code, _approve("SG-03"),
                                  "phone", None, TODAY)  # fmt: skip

    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(pool.map(vote, codes))
    mixing.flush_ballots(demo_uow, ADMIN)
    with demo_uow:
        stored = list(demo_uow.session.scalars(select(BallotRow.receipt)))
    assert len(stored) == len(set(stored)) == 1107 and set(receipts) <= set(stored)
    report = audit.verify_audit(demo_uow)
    assert (report.chain_ok, report.tallies_ok, report.ballots, report.pending) == (
        True, True, 1107, 0)  # fmt: skip
    *during, last = mixing.mix_report(demo_uow, 1).batches[demo_batches:]
    assert all(n >= 3 for n in during) and sum(during) + last == 40


def test_unlink_audit_verify_catches_a_forged_batch_size(demo_uow: SqlUnitOfWork) -> None:
    with demo_uow:
        entries = demo_uow.audit.entries()
    mixed = [i for i, e in enumerate(entries) if e.kind == "ballots.mixed"]
    assert mixed and audit_checks.mix_problems(entries) == []
    payload = json.loads(entries[mixed[0]].payload)
    payload["ballots"] += 1  # one ballot more than the batch holds: the next entry is no ballot
    entries[mixed[0]] = replace(entries[mixed[0]], payload=json.dumps(payload))
    seq, size = entries[mixed[0]].seq, payload["ballots"]
    expected = f"mixing batch {seq}: not followed by its {size} ballots"
    assert audit_checks.mix_problems(entries) == [expected]


def test_unlink_paper_log_keeps_the_day_only(demo_uow: SqlUnitOfWork) -> None:
    [code] = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes
    officer = unlink.OFFICER
    site = [s for s in voting.reconcile_sites(demo_uow, 1)][1].site
    lines, _ = voting.parse_paper_lines(f"{code} ; SG-02", "approval")
    now = unlink.dt.datetime(TODAY.year, TODAY.month, TODAY.day, 15, 42, 7, 123456,
                             tzinfo=unlink.dt.UTC)  # fmt: skip
    voting.enter_paper_ballots(demo_uow, officer, site.id or 0, lines, now)
    with demo_uow:
        [at] = demo_uow.session.scalars(select(PaperEntryRow.entered_at)).all()
    assert (at.hour, at.minute, at.second, at.microsecond) == (0, 0, 0, 0) and at.date() == TODAY


def test_unlink_sealed_panel_ballots_name_no_member(demo_uow: SqlUnitOfWork) -> None:
    issued = panel_sessions.create_session(demo_uow, ADMIN, 1, "P", ["A", "B", "C"], TODAY)
    now = unlink.dt.datetime.now(unlink.dt.UTC)
    opened = panel_rounds.open_round(demo_uow, ADMIN, issued.session_id, "approval",
                                     ["SG-01", "SG-02"], "greedy", now)  # fmt: skip
    for (_label, code), ref in zip(issued.codes, ["SG-01", "SG-02", "SG-02"], strict=True):
        ballot = Ballot(kind="approval", project_ids=(ref,))
        panel_rounds.submit_ballot(demo_uow, code, opened.id, ballot)
    with demo_uow:
        assert None not in demo_uow.session.scalars(select(PanelBallotRow.member_id)).all()
    before = panel_rounds.round_results(demo_uow, opened.id).results
    panel_rounds.close_round(demo_uow, ADMIN, opened.id, now)
    with demo_uow:
        rows = demo_uow.session.execute(
            select(PanelBallotRow.member_id, PanelBallotRow.receipt).order_by(PanelBallotRow.id)
        ).all()
    assert [m for m, _r in rows] == [None, None, None]
    receipts = [r for _m, r in rows]
    assert receipts == sorted(receipts)  # written again in receipt order (random)
    after = panel_rounds.round_results(demo_uow, opened.id).results
    assert [w.project.ref for w in after.winners] == [w.project.ref for w in before.winners]
    sheet = panel_rounds.member_sheet(demo_uow, issued.codes[0][1])
    assert sheet is not None and sheet.round.id == opened.id and sheet.mine is None
    report = audit.verify_audit(demo_uow)
    assert report.chain_ok and report.tallies_ok


def test_unlink_cli_mix_and_flush(demo_uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILCO_MIX_BATCH", "50")
    codes = voting.issue_codes(demo_uow, ADMIN, 1, 2, TODAY).codes
    for code in codes:
        voting.cast_ballot(demo_uow, code, _approve("SG-01"), "phone", None, TODAY)
    url = _url(demo_uow)
    done = _cli(url, "mix", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"1": 0}  # 2 < k: they wait
    done = _cli(url, "mix", "--flush", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"1": 2}
    assert json.loads(_cli(url, "audit", "verify", "--json").stdout)["pending"] == 0


def test_unlink_a_failed_mix_keeps_the_ballot(demo_uow: SqlUnitOfWork,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("VILCO_MIX_BATCH", "1")
    [code] = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes

    def broken(*_args: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "mix_pending", broken)
    monkeypatch.setattr(mixing, "mix_pending", broken)
    receipt = voting.cast_ballot(demo_uow, code, _approve("SG-01"), "phone", None, TODAY)
    assert audit.check_receipt(demo_uow, receipt).pending  # stored, counted, waiting
    monkeypatch.undo()
    assert mixing.flush_ballots(demo_uow, ADMIN, 1) == {1: 1}
    check = audit.check_receipt(demo_uow, receipt)
    assert check.counted and not check.pending
    with demo_uow:
        assert demo_uow.session.execute(text("SELECT count(*) FROM pending_ballots")).scalar() == 0
