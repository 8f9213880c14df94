"""Spending a code and storing its ballot in one transaction, on SQLite and PostgreSQL:
every refusal stores nothing, a code votes once across phone and paper, 20 threads lose
nothing and double nothing, and nothing links the code table to the ballot table."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import MetaData, func, select

from vilco_core.ballots import Ballot
from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import ballots, voting
from vilco_core.store import SqlUnitOfWork
from vilco_core.store.tables_onsite import CodeBatchRow, VoteCodeRow

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
OFFICER = StaffUser(username="officer", name="O", role=Role.POLL_OFFICER, commune_codes=("21013",))
STRANGER = StaffUser(username="x", name="X", role=Role.POLL_OFFICER, commune_codes=("21001",))


def _approve(*refs: str) -> Ballot:
    return Ballot(kind="approval", project_ids=refs)


def _ballots(uow: SqlUnitOfWork) -> int:
    return ballots.count_ballots(uow, 1)


def _spent(uow: SqlUnitOfWork) -> int:
    """Codes spent by the test's voters: the demo's own ballots spent the batch labelled "demo"."""
    with uow:
        query = (
            select(func.count())
            .select_from(VoteCodeRow)
            .join(CodeBatchRow, CodeBatchRow.id == VoteCodeRow.batch_id)
            .where(VoteCodeRow.state == "spent", CodeBatchRow.label != "demo")
        )
        return int(uow.session.scalar(query) or 0)


def test_cast_spends_the_code_and_stores_one_anonymous_ballot(demo_uow: SqlUnitOfWork) -> None:
    [code] = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes
    before = _ballots(demo_uow)
    sheet = voting.open_vote(demo_uow, code.lower(), 1, TODAY)
    assert sheet.rules.kind == "approval" and sheet.projects
    receipt = voting.cast_ballot(demo_uow, code, _approve("SG-01", "SC-01"), "phone", 1, TODAY)
    assert _ballots(demo_uow) == before + 1 and _spent(demo_uow) == 1
    with demo_uow:
        stored = demo_uow.ballots.get(receipt)
    assert (stored.channel, stored.site_id, stored.cast_on) == ("phone", 1, TODAY)
    with pytest.raises(VilcoError, match=r"vote\.code_spent"):
        voting.open_vote(demo_uow, code, None, TODAY)
    with pytest.raises(VilcoError, match=r"vote\.code_spent"):
        voting.cast_ballot(demo_uow, code, _approve("SG-01"), "phone", None, TODAY)
    assert _ballots(demo_uow) == before + 1


def test_cast_nothing_stored_when_refused(demo_uow: SqlUnitOfWork) -> None:
    codes = voting.issue_codes(demo_uow, ADMIN, 1, 3, TODAY).codes
    [voided] = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes
    voting.void_code(demo_uow, ADMIN, voided)
    call_site = 5  # a site of the call (process 2)
    before = _ballots(demo_uow)
    cases = [
        (codes[0], _approve("SG-01"), None, TODAY + dt.timedelta(days=60), "vote.closed"),
        (codes[0], _approve("NOPE"), None, TODAY, "ballot.unknown_project"),
        (
            codes[0],
            _approve("SG-01", "SG-02", "SG-03", "SG-04", "SG-05", "SG-06"),
            None,
            TODAY,
            "ballot.too_many",
        ),
        (codes[0], _approve("SG-01"), call_site, TODAY, "vote.code_other_process"),
        (voided, _approve("SG-01"), None, TODAY, "vote.code_void"),
        ("ZZZZ-ZZZZ-ZZZZ-ZZZZ", _approve("SG-01"), None, TODAY, "vote.code_unknown"),
        ("' OR 1=1 --", _approve("SG-01"), None, TODAY, "vote.code_invalid"),
        (codes[0], _approve("SG-01"), 99_999, TODAY, "vote.bad_link"),
    ]
    for code, ballot, site, day, expected in cases:
        with pytest.raises(VilcoError) as caught:
            voting.cast_ballot(demo_uow, code, ballot, "phone", site, day)
        assert caught.value.code == expected
    assert _ballots(demo_uow) == before and _spent(demo_uow) == 0  # the code is still unused
    voting.cast_ballot(demo_uow, codes[0], _approve("SG-01"), "phone", None, TODAY)


def test_cast_paper_and_phone_share_the_once_per_person_rule(demo_uow: SqlUnitOfWork) -> None:
    codes = voting.issue_codes(demo_uow, ADMIN, 1, 3, TODAY).codes
    voting.cast_ballot(demo_uow, codes[0], _approve("SG-01"), "phone", 1, TODAY)
    text = f"{codes[0]} ; SG-02\n{codes[1]} ; SG-02 SC-01\ngarbage line\n{codes[2]} ; NOPE\n"
    lines, bad = voting.parse_paper_lines(text, "approval")
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        voting.enter_paper_ballots(demo_uow, STRANGER, 1, lines, NOW)
    outcome = voting.enter_paper_ballots(demo_uow, OFFICER, 1, lines, NOW, len(bad))
    assert outcome.stored == 1 and [b[0] for b in bad] == [3]
    assert [(n, e.code) for n, e in outcome.refused] == [
        (1, "vote.code_spent"),
        (4, "ballot.unknown_project"),
    ]
    voting.record_recount(demo_uow, OFFICER, 1, 99, NOW, "box of the Parvis")
    [site1] = [r for r in voting.reconcile_sites(demo_uow, 1) if r.site.id == 1]
    assert (site1.typed, site1.recount, site1.discrepancy) == (1, 99, 99 - site1.paper)
    assert [(e.kind, e.officer, e.ballots, e.refused) for e in site1.log] == [
        ("entry", "officer", 1, 3),
        ("recount", "officer", 99, 0),
    ]


def test_cast_tables_share_no_link(demo_uow: SqlUnitOfWork) -> None:
    with demo_uow:
        meta = MetaData()
        meta.reflect(demo_uow.session.get_bind())
    codes_cols = {c.name for c in meta.tables["vote_codes"].columns}
    ballot_cols = {c.name for c in meta.tables["ballots"].columns}
    assert codes_cols == {"id", "process_id", "batch_id", "code_hash", "state"}
    assert not any(
        fk.column.table.name in ("vote_codes", "code_batches")
        for fk in meta.tables["ballots"].foreign_keys
    )
    assert not any(
        fk.column.table.name == "ballots" for t in meta.tables.values() for fk in t.foreign_keys
    )
    assert "code_hash" not in ballot_cols and "id" not in ballot_cols
    assert {str(c.type) for c in meta.tables["ballots"].columns if c.name == "cast_on"} == {"DATE"}
    log_cols = {c.name for c in meta.tables["paper_entries"].columns}
    assert not log_cols & {"receipt", "code_hash", "ballot", "content"}


@pytest.mark.slow
def test_cast_twenty_threads_two_hundred_ballots_one_per_code(demo_uow: SqlUnitOfWork) -> None:
    codes = list(voting.issue_codes(demo_uow, ADMIN, 1, 120, TODAY).codes)
    rng = random.Random(2026)
    attempts = codes + [rng.choice(codes) for _ in range(80)]  # 80 reuses of 60-ish codes
    rng.shuffle(attempts)
    before = _ballots(demo_uow)
    engine = demo_uow.engine

    def submit(code: str) -> str:
        try:
            voting.cast_ballot(SqlUnitOfWork(engine), code, _approve("SG-01"), "phone", 2, TODAY)
        except VilcoError as error:
            return error.code
        return "stored"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = Counter(pool.map(submit, attempts))
    assert outcomes == Counter({"stored": 120, "vote.code_spent": 80})
    assert _ballots(demo_uow) == before + 120 and _spent(demo_uow) == 120
    tally = ballots.live_tally(demo_uow, 1)
    assert sum(tally.per_channel.values()) == sum(tally.per_site.values()) == tally.ballots


def test_cast_late_paper_entry_needs_a_reason(demo_uow: SqlUnitOfWork) -> None:
    """After the vote's last day, paper ballots need a reason: refused without one (nothing
    stored, the code stays unused), stored with one, the reason in the log and the audit."""
    codes = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes
    lines, _bad = voting.parse_paper_lines(f"{codes[0]} ; SG-01\n", "approval")
    late = NOW + dt.timedelta(days=30)  # the demo vote ends at today + 21
    before = _ballots(demo_uow)
    with pytest.raises(VilcoError) as caught:
        voting.enter_paper_ballots(demo_uow, OFFICER, 1, lines, late)
    assert caught.value.code == "vote.late_reason_required"
    assert _ballots(demo_uow) == before and _spent(demo_uow) == 0
    with demo_uow:
        assert demo_uow.paper_entries.list_for_process(1) == []
    outcome = voting.enter_paper_ballots(demo_uow, OFFICER, 1, lines, late,
                                         late_reason="box of the Parvis found late")  # fmt: skip
    assert outcome.stored == 1 and _spent(demo_uow) == 1
    with demo_uow:
        [entry] = demo_uow.paper_entries.list_for_process(1)
        last = demo_uow.audit.entries()[-1]
    assert entry.note == "box of the Parvis found late"
    assert last.kind == "staff.paper_entered"
    assert '"late_reason":"box of the Parvis found late"' in last.payload
