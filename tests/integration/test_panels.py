"""Citizen panel sessions on SQLite and PostgreSQL: rounds open and close, a member's last
ballot counts, a closed round refuses, another session's code is refused, results follow the
round's rule, the recommendation is stored with its rule, evaluations are kept anonymous."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect, select, update

from vilco_core import audit as chain
from vilco_core import audit_checks
from vilco_core.ballots import Ballot
from vilco_core.deliberation import Evaluation, compare_rounds, summarise_evaluations
from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import (
    audit,
    evaluations,
    panel_rounds,
    panel_sessions,
    recommendations,
    voting,
)
from vilco_core.store import SqlUnitOfWork
from vilco_core.store.tables_audit import AuditEntryRow, AuditHeadRow
from vilco_core.store.tables_panels import EvaluationRow, PanelBallotRow, PanelMemberRow

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
OUTSIDER = StaffUser(username="f", name="F", role=Role.FACILITATOR, commune_codes=("21001",))


def _pick(*refs: str) -> Ballot:
    return Ballot(kind="approval", project_ids=refs)


def _session(uow: SqlUnitOfWork, members: int = 3) -> panel_sessions.IssuedSession:
    labels = [f"P{i:03d}" for i in range(members)]
    return panel_sessions.create_session(uow, ADMIN, 1, "Soirée 1", labels, TODAY)


def _round(uow: SqlUnitOfWork, session_id: int, refs: tuple[str, ...], rule: str = "greedy",
           kind: str = "approval") -> int:  # fmt: skip
    return panel_rounds.open_round(uow, ADMIN, session_id, kind, refs, rule, NOW).id  # type: ignore[arg-type]


def test_panel_rounds_last_ballot_counts_and_closed_round_refuses(demo_uow: SqlUnitOfWork) -> None:
    issued = _session(demo_uow)
    (_, a), (_, b), (_, c) = issued.codes
    joined = panel_sessions.join_session(demo_uow, a.lower(), NOW)
    assert joined.session.id == issued.session_id
    assert panel_rounds.member_sheet(demo_uow, a) is None  # no round yet
    round_id = _round(demo_uow, issued.session_id, ("SG-01", "SG-02", "SC-01"))
    with pytest.raises(VilcoError, match=r"panel\.round_still_open"):
        _round(demo_uow, issued.session_id, ("SG-01",))
    panel_rounds.submit_ballot(demo_uow, a, round_id, _pick("SG-01"))
    panel_rounds.submit_ballot(demo_uow, a, round_id, _pick("SG-02", "SC-01"))  # replaces the first
    panel_rounds.submit_ballot(demo_uow, b, round_id, _pick("SG-02"))
    sheet = panel_rounds.member_sheet(demo_uow, a)
    assert sheet is not None and sheet.mine == _pick("SG-02", "SC-01")
    live = panel_rounds.round_results(demo_uow, round_id)
    assert live.results.ballot_count == 2 and live.results.provisional
    assert {r.project.ref: r.votes for r in live.results.projects} == {
        "SG-01": 0, "SG-02": 2, "SC-01": 1}  # fmt: skip
    assert (live.members, live.joined) == (3, 2)  # a joined by the link, b by voting
    with pytest.raises(VilcoError, match=r"ballot\.unknown_project"):
        panel_rounds.submit_ballot(demo_uow, c, round_id, _pick("SG-03"))  # not asked in this round
    panel_rounds.close_round(demo_uow, ADMIN, round_id, NOW)
    with pytest.raises(VilcoError, match=r"panel\.round_closed"):
        panel_rounds.submit_ballot(demo_uow, c, round_id, _pick("SG-01"))
    final = panel_rounds.round_results(demo_uow, round_id)
    assert final.results.ballot_count == 2 and not final.results.provisional


def test_panel_code_of_another_session_is_refused(demo_uow: SqlUnitOfWork) -> None:
    first, second = _session(demo_uow), _session(demo_uow, 2)
    round_id = _round(demo_uow, first.session_id, ("SG-01", "SG-02"))
    stranger = second.codes[0][1]
    with pytest.raises(VilcoError, match=r"panel\.code_other_session"):
        panel_rounds.submit_ballot(demo_uow, stranger, round_id, _pick("SG-01"))
    with pytest.raises(VilcoError, match=r"panel\.code_unknown"):
        panel_rounds.submit_ballot(demo_uow, "0000-0000-0000-0000", round_id, _pick("SG-01"))
    # a panel code is no resident's vote code, and a vote code opens no panel
    with pytest.raises(VilcoError, match=r"vote\.code_unknown"):
        voting.open_vote(demo_uow, stranger, None, TODAY)
    [vote_code] = voting.issue_codes(demo_uow, ADMIN, 1, 1, TODAY).codes
    with pytest.raises(VilcoError, match=r"panel\.code_unknown"):
        panel_sessions.join_session(demo_uow, vote_code, NOW)
    assert panel_rounds.round_results(demo_uow, round_id).results.ballot_count == 0


def test_panel_two_rounds_compare_and_finalise_with_rule(demo_uow: SqlUnitOfWork) -> None:
    issued = _session(demo_uow, 4)
    codes = [code for _, code in issued.codes]
    refs = ("SG-01", "SG-02", "SC-01", "SC-02")
    first = _round(demo_uow, issued.session_id, refs, "mes")
    for code in codes:
        panel_rounds.submit_ballot(demo_uow, code, first, _pick("SG-01", "SG-02"))
    panel_rounds.close_round(demo_uow, ADMIN, first, NOW)
    second = _round(demo_uow, issued.session_id, refs, "mes", kind="knapsack")
    for code in codes:
        panel_rounds.submit_ballot(
            demo_uow, code, second, Ballot(kind="knapsack", project_ids=("SC-01",))
        )
    with pytest.raises(VilcoError, match=r"panel\.round_still_open"):
        recommendations.finalise_session(demo_uow, ADMIN, second, NOW)
    panel_rounds.close_round(demo_uow, ADMIN, second, NOW)
    before = panel_rounds.round_results(demo_uow, first).results
    after = panel_rounds.round_results(demo_uow, second).results
    assert after.announced.rule == "mes" and not after.provisional
    changes = {c.ref: c for c in compare_rounds(before, after)}
    assert changes["SC-01"].entered and changes["SG-01"].left
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        recommendations.finalise_session(demo_uow, OUTSIDER, second, NOW)
    session = recommendations.finalise_session(demo_uow, ADMIN, second, NOW)
    assert session.final_round_id == second and session.final_rule == "mes"
    assert session.final_projects == tuple(r.project.ref for r in after.winners)
    with pytest.raises(VilcoError, match=r"panel\.session_final"):
        _round(demo_uow, issued.session_id, refs)


def test_panel_concurrent_changes_keep_one_ballot_per_member(demo_uow: SqlUnitOfWork) -> None:
    issued = _session(demo_uow, 10)
    round_id = _round(demo_uow, issued.session_id, ("SG-01", "SG-02"))
    jobs = [(code, ref) for _, code in issued.codes for ref in ("SG-01", "SG-02", "SG-01")]

    def send(job: tuple[str, str]) -> None:
        own = SqlUnitOfWork(demo_uow.engine)  # a unit of work per thread, as per session
        panel_rounds.submit_ballot(own, job[0], round_id, _pick(job[1]))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, jobs))
    assert panel_rounds.round_version(demo_uow, round_id) == (10, 30)
    assert panel_rounds.round_results(demo_uow, round_id).results.ballot_count == 10


def test_panel_ballots_name_no_member_and_staff_is_checked(demo_uow: SqlUnitOfWork) -> None:
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        panel_sessions.create_session(demo_uow, OUTSIDER, 1, "x", ["a"], TODAY)
    with pytest.raises(VilcoError, match=r"panel\.members_invalid"):
        panel_sessions.create_session(demo_uow, ADMIN, 1, "x", ["a", "a"], TODAY)
    issued = _session(demo_uow, 2)
    with demo_uow:
        columns = {c["name"] for c in inspect(demo_uow.session.connection()).get_columns(
            "panel_members")}  # fmt: skip
    assert "code" not in columns and "code_hash" in columns  # codes are kept hashed only
    members = panel_sessions.session_members(demo_uow, ADMIN, issued.session_id)
    assert [m.label for m in members] == ["P000", "P001"] and not any(m.joined for m in members)


def test_panel_evaluations_anonymous_summary_and_checks(demo_uow: SqlUnitOfWork) -> None:
    issued = _session(demo_uow, 2)
    for answers, (_, code) in zip([(5, 4, None, 3), (3, 4, 2, None)], issued.codes, strict=True):
        evaluations.submit_evaluation(demo_uow, Evaluation(
            process_id=1, scope="session", respondent="member", language="nl", answers=answers,
            comment="<b>=SUM(A1)</b>", session_id=issued.session_id), TODAY,
            member_code=code)  # fmt: skip
    with pytest.raises(VilcoError, match=r"eval\.invalid"):
        evaluations.submit_evaluation(demo_uow, Evaluation(process_id=1, scope="x",
                                 respondent="member", language="fr", answers=(1, 1, 1, 1)),
                                 TODAY)  # fmt: skip
    with pytest.raises(VilcoError, match=r"eval\.invalid"):
        evaluations.submit_evaluation(demo_uow, Evaluation(process_id=1, scope="round",
                                 respondent="resident", language="fr", answers=(6, 1, 1, 1)),
                                 TODAY)  # fmt: skip
    with pytest.raises(VilcoError, match=r"eval\.empty"):
        evaluations.submit_evaluation(demo_uow, Evaluation(process_id=1, scope="process",
                                 respondent="resident", language="fr",
                                 answers=(None,) * 4), TODAY)  # fmt: skip
    rows = evaluations.list_evaluations(demo_uow, ADMIN, 1)
    assert len(rows) == 2 and rows[0].answered_on == TODAY
    summary = summarise_evaluations(rows)
    assert summary[0].counts == (0, 0, 1, 0, 1) and summary[0].mean == 4.0
    assert summary[2].mean == 2.0
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        evaluations.list_evaluations(demo_uow, OUTSIDER, 1)


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_panel_round_zero_vote_projects_never_win(demo_uow: SqlUnitOfWork, rule: str) -> None:
    """Leftover budget is not filled with projects nobody supported in the round."""
    issued = _session(demo_uow, 3)
    refs = ("SG-01", "SG-02", "SC-01", "SC-02")
    round_id = _round(demo_uow, issued.session_id, refs, rule)
    empty = panel_rounds.round_results(demo_uow, round_id).results
    assert empty.winners == () and empty.ballot_count == 0
    assert {r.project.ref for r in empty.projects} == set(refs)
    for _, code in issued.codes:
        panel_rounds.submit_ballot(demo_uow, code, round_id, _pick("SG-01"))
    panel_rounds.close_round(demo_uow, ADMIN, round_id, NOW)
    res = panel_rounds.round_results(demo_uow, round_id).results
    assert [r.project.ref for r in res.winners] == ["SG-01"]
    assert res.greedy.selected == ("SG-01",) and res.announced.cost < res.announced.budget
    zero = [r for r in res.projects if r.votes == 0]
    assert {r.project.ref for r in zero} == {"SG-02", "SC-01", "SC-02"}
    assert all(not r.announced.selected and r.announced.reason == "no_supporters" for r in zero)
    assert res.projects[0].project.ref == "SG-01"  # the unsupported are listed last
    session = recommendations.finalise_session(demo_uow, ADMIN, round_id, NOW)
    assert session.final_projects == ("SG-01",)


def test_panel_reissued_code_keeps_the_member_and_refuses_the_old(
    demo_uow: SqlUnitOfWork,
) -> None:
    issued = _session(demo_uow, 2)
    (_, old), (_, other) = issued.codes
    round_id = _round(demo_uow, issued.session_id, ("SG-01", "SG-02"))
    panel_rounds.submit_ballot(demo_uow, old, round_id, _pick("SG-01"))
    member = panel_sessions.session_members(demo_uow, ADMIN, issued.session_id)[0]
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        panel_sessions.reissue_code(demo_uow, OUTSIDER, member.id, NOW)
    with pytest.raises(VilcoError, match=r"panel\.member_not_found"):
        panel_sessions.reissue_code(demo_uow, ADMIN, 999_999, NOW)
    fresh = panel_sessions.reissue_code(demo_uow, ADMIN, member.id, NOW)
    assert (fresh.member_id, fresh.label, fresh.session_id) == (
        member.id,
        "P000",
        issued.session_id,
    )
    assert fresh.code != old
    for action in (
        lambda: panel_sessions.join_session(demo_uow, old, NOW),
        lambda: panel_rounds.member_sheet(demo_uow, old),
        lambda: panel_rounds.submit_ballot(demo_uow, old, round_id, _pick("SG-02")),
    ):
        with pytest.raises(VilcoError, match=r"panel\.code_replaced"):
            action()
    assert panel_sessions.join_session(demo_uow, fresh.code, NOW).member_id == member.id
    sheet = panel_rounds.member_sheet(demo_uow, fresh.code)
    assert sheet is not None and sheet.mine == _pick("SG-01")  # the ballot stayed the member's
    panel_rounds.submit_ballot(demo_uow, fresh.code, round_id, _pick("SG-02"))
    res = panel_rounds.round_results(demo_uow, round_id).results
    assert res.ballot_count == 1 and {r.project.ref: r.votes for r in res.projects}["SG-02"] == 1
    again = panel_sessions.reissue_code(demo_uow, ADMIN, member.id, NOW)
    with pytest.raises(VilcoError, match=r"panel\.code_replaced"):
        panel_rounds.member_sheet(demo_uow, fresh.code)
    assert panel_rounds.member_sheet(demo_uow, again.code) is not None
    assert panel_rounds.member_sheet(demo_uow, other) is not None  # the others keep theirs
    with demo_uow:
        entries = [e for e in demo_uow.audit.entries() if e.kind == "staff.panel_code_reissued"]
    assert len(entries) == 2
    assert not any(c.replace("-", "") in e.payload or c in e.payload for e in entries
                   for c in (old, fresh.code, again.code))  # fmt: skip


def _closed_round_in_audit(uow: SqlUnitOfWork, rule: str = "greedy") -> tuple[list[str], int]:
    issued = _session(uow, 3)
    codes = [code for _, code in issued.codes]
    round_id = _round(uow, issued.session_id, ("SG-01", "SG-02", "SC-01", "SC-02"), rule)
    panel_rounds.submit_ballot(uow, codes[0], round_id, _pick("SG-01"))
    panel_rounds.submit_ballot(uow, codes[0], round_id, _pick("SG-02", "SC-01"))  # the last counts
    panel_rounds.submit_ballot(uow, codes[1], round_id, _pick("SG-02"))
    panel_rounds.submit_ballot(uow, codes[2], round_id, _pick("SC-01", "SG-02"))
    panel_rounds.close_round(uow, ADMIN, round_id, NOW)
    panel_rounds.close_round(uow, ADMIN, round_id, NOW)  # closing twice logs once
    return codes, round_id


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_panel_closed_round_enters_the_audit_log(demo_uow: SqlUnitOfWork, rule: str) -> None:
    codes, round_id = _closed_round_in_audit(demo_uow, rule)
    report = audit.verify_audit(demo_uow)
    assert (report.chain_ok, report.tallies_ok, report.problems) == (True, True, ())
    with demo_uow:
        entries = demo_uow.audit.entries()
    ballots = [json.loads(e.payload) for e in entries if e.kind == chain.PANEL_BALLOT]
    [result] = [json.loads(e.payload) for e in entries if e.kind == chain.PANEL_RESULT]
    assert [b["receipt"] for b in ballots] == sorted(b["receipt"] for b in ballots)
    assert len(ballots) == 3 and all(set(b) == {"receipt", "round_id", "kind", "content"}
                                     for b in ballots)  # fmt: skip
    assert sorted(json.loads(b["content"])["projects"] for b in ballots) == [
        ["SC-01", "SG-02"], ["SG-02"], ["SG-02", "SC-01"]]  # fmt: skip
    logged = " ".join(e.payload for e in entries)
    assert not any(c in logged or c.replace("-", "") in logged for c in codes)
    assert "P000" not in logged and '"member' not in logged
    res = panel_rounds.round_results(demo_uow, round_id).results
    assert result["selected"] == [r.project.ref for r in res.winners] and result["ballots"] == 3
    assert result["per_project"] == {"SG-02": 3, "SC-01": 2} and result["rule"] == rule


def _rehash_from(uow: SqlUnitOfWork, seq: int) -> None:
    """A forger who rewrites the chain from entry `seq` on, and its head."""
    rows = uow.session.scalars(select(AuditEntryRow).where(AuditEntryRow.seq >= seq)
                               .order_by(AuditEntryRow.seq)).all()  # fmt: skip
    prev = rows[0].prev_hash
    for row in rows:
        row.prev_hash = prev
        row.hash = prev = chain.entry_hash(prev, row.seq, row.kind, row.day, row.payload)
    uow.session.execute(update(AuditHeadRow).values(hash=prev))
    uow.session.flush()


PANEL_TAMPERS = ("entry_content", "entry_rehashed", "result_rehashed", "ballot_row")
FORGED = '{"kind":"approval","points":[],"projects":["SG-01"]}'


def test_panel_audit_tampering_is_detected(demo_uow: SqlUnitOfWork) -> None:
    _closed_round_in_audit(demo_uow)
    for tamper in PANEL_TAMPERS:
        with demo_uow:
            s = demo_uow.session
            entry = s.scalars(select(AuditEntryRow).where(
                AuditEntryRow.kind == chain.PANEL_BALLOT).limit(1)).one()  # fmt: skip
            result = s.scalars(select(AuditEntryRow).where(
                AuditEntryRow.kind == chain.PANEL_RESULT)).one()  # fmt: skip
            if tamper == "ballot_row":
                s.execute(update(PanelBallotRow).where(PanelBallotRow.receipt.is_not(None))
                          .values(content=FORGED))  # fmt: skip
            elif tamper == "result_rehashed":
                payload = json.loads(result.payload)
                payload["selected"] = ["SG-01"]
                result.payload = chain.canonical_json(payload)
                _rehash_from(demo_uow, result.seq)
            else:
                payload = json.loads(entry.payload)
                payload["content"] = FORGED
                entry.payload = chain.canonical_json(payload)
                if tamper == "entry_rehashed":
                    _rehash_from(demo_uow, entry.seq)
            s.flush()
            entries, head = demo_uow.audit.entries(), demo_uow.audit.head()
            sealed = demo_uow.panels.sealed_ballots()
        chain_ok = not chain.chain_problems(entries, head)
        panel_ok = not audit_checks.panel_problems(entries, sealed)
        expected = (False, False) if tamper == "entry_content" else (True, False)
        assert (tamper, chain_ok, panel_ok) == (tamper, *expected)
    report = audit.verify_audit(demo_uow)  # rolled back: intact again
    assert (report.chain_ok, report.tallies_ok) == (True, True)


def _evaluate(uow: SqlUnitOfWork, answer: int, who: str = "resident", **key: str) -> None:
    evaluations.submit_evaluation(uow, Evaluation(process_id=1, scope="process", respondent=who,
                             language="fr", answers=(answer, None, None, None)), TODAY,
                             **key)  # fmt: skip


def test_panel_evaluations_one_per_member_and_browser_session(demo_uow: SqlUnitOfWork) -> None:
    issued = _session(demo_uow, 2)
    (_, a), (_, b) = issued.codes
    _evaluate(demo_uow, 1, "member", member_code=a)
    _evaluate(demo_uow, 5, "member", member_code=a.lower())  # the same member: replaces
    _evaluate(demo_uow, 3, "member", member_code=b)
    _evaluate(demo_uow, 2, browser_token="tab-1")
    _evaluate(demo_uow, 4, browser_token="tab-1")  # the same browser session: replaces
    _evaluate(demo_uow, 4, browser_token="tab-2")
    rows = evaluations.list_evaluations(demo_uow, ADMIN, 1)
    members = sorted(r.answers[0] or 0 for r in rows if r.respondent == "member")
    residents = sorted(r.answers[0] or 0 for r in rows if r.respondent == "resident")
    assert (members, residents) == ([3, 5], [4, 4])
    assert all(r.session_id == issued.session_id for r in rows if r.respondent == "member")
    with pytest.raises(VilcoError, match=r"eval\.member_code_needed"):
        _evaluate(demo_uow, 1, "member")
    with pytest.raises(VilcoError, match=r"panel\.code_unknown"):
        _evaluate(demo_uow, 1, "member", member_code="0000-0000-0000-0000")
    member = panel_sessions.session_members(demo_uow, ADMIN, issued.session_id)[0]
    panel_sessions.reissue_code(demo_uow, ADMIN, member.id, NOW)
    with pytest.raises(VilcoError, match=r"panel\.code_replaced"):
        _evaluate(demo_uow, 1, "member", member_code=a)
    assert len(evaluations.list_evaluations(demo_uow, ADMIN, 1)) == 4  # nothing written
    with demo_uow:
        keys = demo_uow.session.scalars(select(EvaluationRow.respondent_key)).all()
        hashes = demo_uow.session.scalars(select(PanelMemberRow.code_hash)).all()
    assert len(keys) == 4 and all(k and len(k) == 64 for k in keys)
    assert not set(keys) & set(hashes) and not any(c in k for k in keys for c in (a, b))
