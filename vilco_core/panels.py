"""Use cases of citizen panel sessions: create a session with personal join codes, join, open
and close rounds, submit (and replace) a member's ballot, the results of a round under its
announced rule, the facilitator's recommendation, and the evaluations.

A sibling of `services` and `voting` (same conventions). Members' codes come from the code
machinery (`vilco_core.codes`: 80-bit Crockford base32, stored as SHA-256 only) but live in the
panel's member table, not among the one-time vote codes: a panel code is used once per round
and must never spend, or be spent as, a resident's vote. What is published (the projector, the
results) holds counts and ballot contents, never which member cast which ballot.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final
from urllib.parse import urlencode

from vilco_core import codes as code_rules
from vilco_core import panel_audit, services
from vilco_core.audit import log_action
from vilco_core.ballots import Ballot, BallotKind, supported, validate_ballot
from vilco_core.deliberation import (
    MAX_COMMENT,
    QUESTIONS,
    RESPONDENTS,
    ROUND_KINDS,
    ROUND_RULES,
    SCOPES,
    Evaluation,
    PanelMember,
    PanelRound,
    PanelSession,
)
from vilco_core.errors import VilcoError
from vilco_core.model import Process, Project, Role, StaffUser, StoredBallot, stored_id
from vilco_core.results import ProcessResults, ProjectResult, ballot_projects, tally_results
from vilco_core.rules import Outcome, ProjectExplanation
from vilco_core.unit_of_work import UnitOfWork

MAX_MEMBERS: Final = 500


def _managed(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> Process:
    user = services._require(actor, Role.ADMIN, Role.FACILITATOR)
    process: Process | None = uow.processes.get(process_id)
    if process is None:
        raise VilcoError("errors.process_not_found", id=process_id)
    if not user.may_manage(process):
        raise VilcoError("errors.forbidden")
    return process


def _session(uow: UnitOfWork, session_id: int) -> PanelSession:
    found: PanelSession | None = uow.panels.get_session(session_id)
    if found is None:
        raise VilcoError("panel.session_not_found", id=session_id)
    return found


# -- sessions and members ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedSession:
    """A session just created: the only moment its members' codes exist in clear."""

    session_id: int
    process_id: int
    codes: tuple[tuple[str, str], ...]  # (member label, code)


def create_session(
    uow: UnitOfWork,
    actor: StaffUser | None,
    process_id: int,
    title: str,
    members: Sequence[str],
    today: dt.date,
) -> IssuedSession:
    """A session for `members` (pool ids of a draw, or names), one personal code each."""
    labels = [m.strip()[:120] for m in members if m.strip()]
    if not 1 <= len(labels) <= MAX_MEMBERS or len(set(labels)) != len(labels):
        raise VilcoError("panel.members_invalid", maximum=MAX_MEMBERS)
    if not title.strip():
        raise VilcoError("panel.title_missing")
    issued = [(label, code_rules.generate_code()) for label in labels]
    with uow:
        _managed(uow, actor, process_id)
        assert actor is not None
        hashes = [(label, _hash(code)) for label, code in issued]
        session_id: int = uow.panels.add_session(
            process_id, title.strip()[:200], today, actor.username, hashes
        )
        uow.commit()
    return IssuedSession(session_id=session_id, process_id=process_id, codes=tuple(issued))


def _hash(code: str) -> str:
    symbols = code_rules.normalise_code(code)
    if symbols is None:
        raise VilcoError("vote.code_invalid")
    return code_rules.hash_code(symbols)


def _member(uow: UnitOfWork, code: str) -> PanelMember:
    """The member holding `code`; a code voided by a reissue is refused by name."""
    code_hash = _hash(code)
    member: PanelMember | None = uow.panels.member_by_hash(code_hash)
    if member is None:
        if uow.panels.is_voided(code_hash):
            raise VilcoError("panel.code_replaced")
        raise VilcoError("panel.code_unknown")
    return member


@dataclass(frozen=True, slots=True, kw_only=True)
class ReissuedCode:
    """A member's new code, just issued: shown once, like the session's first codes."""

    session_id: int
    member_id: int
    label: str
    code: str


def reissue_code(
    uow: UnitOfWork, actor: StaffUser | None, member_id: int, now: dt.datetime
) -> ReissuedCode:
    """Void a member's (lost) code and issue a new one for the same member: their joining and
    their ballots stay theirs; the old code is refused from now on."""
    code = code_rules.generate_code()
    with uow:
        member: PanelMember | None = uow.panels.get_member(member_id)
        if member is None:
            raise VilcoError("panel.member_not_found", id=member_id)
        session = _session(uow, member.session_id)
        _managed(uow, actor, session.process_id)
        uow.panels.reissue_code(member.id, _hash(code), now)
        log_action(uow, actor, "panel_code_reissued", session_id=session.id, member_id=member.id)
        uow.commit()
    return ReissuedCode(session_id=session.id, member_id=member.id, label=member.label, code=code)


def list_sessions(uow: UnitOfWork, process_id: int | None = None) -> list[PanelSession]:
    with uow:
        return list(uow.panels.sessions(process_id))


def get_session(uow: UnitOfWork, session_id: int) -> PanelSession:
    with uow:
        return _session(uow, session_id)


def session_members(uow: UnitOfWork, actor: StaffUser | None, session_id: int) -> list[PanelMember]:
    """Who was invited and who has joined (the facilitator's list; never who voted what)."""
    with uow:
        _managed(uow, actor, _session(uow, session_id).process_id)
        return list(uow.panels.members(session_id))


def members_from_draw(uow: UnitOfWork, draw_id: int) -> tuple[str, ...]:
    """The pool ids of a drawn panel, as member labels."""
    return services.draw_members(uow, draw_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Membership:
    session: PanelSession
    process: Process
    member_id: int


def join_session(uow: UnitOfWork, code: str, now: dt.datetime) -> Membership:
    """The session a member's code opens; the member is marked present (once)."""
    with uow:
        membership = _join(uow, _member(uow, code), now)
        uow.commit()
    return membership


def member_view(
    uow: UnitOfWork, code: str, now: dt.datetime
) -> tuple[Membership, MemberSheet | None]:
    """`join_session` and `member_sheet` in one transaction: what the member's phone shows on
    each run (one transaction instead of two with fifty phones in the room)."""
    with uow:
        member = _member(uow, code)
        membership = _join(uow, member, now)
        sheet = _sheet(uow, member)
        uow.commit()
    return membership, sheet


def _join(uow: UnitOfWork, member: PanelMember, now: dt.datetime) -> Membership:
    session = _session(uow, member.session_id)
    process = uow.processes.get(session.process_id)
    assert process is not None  # a row's process exists (foreign key)
    if not member.joined:
        uow.panels.mark_joined(member.id, now)
    return Membership(session=session, process=process, member_id=member.id)


# -- rounds ------------------------------------------------------------------------------------


def round_projects(uow: UnitOfWork, process_id: int) -> list[Project]:
    """The projects a round may ask about: those on the process's ballot."""
    with uow:
        return ballot_projects(uow.projects.list_for_process(process_id))


def open_round(
    uow: UnitOfWork,
    actor: StaffUser | None,
    session_id: int,
    kind: BallotKind,
    refs: Sequence[str],
    rule: str,
    now: dt.datetime,
    *,
    budget_cents: int | None = None,
    max_projects: int | None = None,
    total_points: int | None = None,
) -> PanelRound:
    """Open the session's next round; refused while another round is open."""
    if kind not in ROUND_KINDS:
        raise VilcoError("ballot.wrong_kind", kind=kind, expected="/".join(ROUND_KINDS))
    if rule not in ROUND_RULES:
        raise VilcoError("panel.rule_unknown", rule=rule)
    with uow:
        session = _session(uow, session_id)
        process = _managed(uow, actor, session.process_id)
        if session.finalised:
            raise VilcoError("panel.session_final")
        latest: PanelRound | None = uow.panels.latest_round(session_id)
        if latest is not None and latest.open:
            raise VilcoError("panel.round_still_open", number=latest.number)
        listed = {p.ref for p in ballot_projects(uow.projects.list_for_process(stored_id(process)))}
        chosen = tuple(dict.fromkeys(r for r in refs if r in listed))
        if not chosen:
            raise VilcoError("panel.no_projects")
        fresh = PanelRound(
            id=0,
            session_id=session_id,
            number=1 if latest is None else latest.number + 1,
            kind=kind,
            projects=chosen,
            budget_cents=budget_cents or process.envelope_cents,
            rule=rule,
            state="open",
            max_projects=max_projects,
            total_points=total_points,
        )
        round_id: int = uow.panels.add_round(fresh, now)
        uow.commit()
    return replace(fresh, id=round_id)


def close_round(uow: UnitOfWork, actor: StaffUser | None, round_id: int, now: dt.datetime) -> None:
    """Close the round; its last ballots and its result enter the audit log (once)."""
    with uow:
        found = _round(uow, round_id)
        process = _managed(uow, actor, _session(uow, found.session_id).process_id)
        uow.audit.lock()  # the chain head first, as every writer of the log
        if uow.panels.close_round(round_id, now):
            _log_round(uow, actor, process, replace(found, state="closed"))
        uow.commit()


def _log_round(
    uow: UnitOfWork, actor: StaffUser | None, process: Process, found: PanelRound
) -> None:
    """One `panel.ballot` entry per member's last ballot, in receipt order, then the result."""
    sealed = uow.panels.seal_ballots(found.id, iter(panel_audit.new_receipt, None))
    for receipt, kind, content in sealed:
        uow.audit.append(
            panel_audit.PANEL_BALLOT, panel_audit.ballot_payload(receipt, found.id, kind, content)
        )
    ballots = [panel_audit.parse_ballot({"kind": kind, "content": c}) for _, kind, c in sealed]
    projects = uow.projects.list_for_process(stored_id(process))
    results = tally_round(process, projects, found, ballots)
    on_round = set(found.projects)
    asked = ballot_projects(p for p in projects if p.ref in on_round)
    counted, per_project = panel_audit.count(ballots)
    uow.audit.append(
        panel_audit.PANEL_RESULT,
        {
            "actor": actor.username if actor else None,
            "process_id": process.id,
            "session_id": found.session_id,
            "round_id": found.id,
            "number": found.number,
            "rule": found.rule,
            "kind": found.kind,
            "budget_cents": found.budget_cents,
            "costs": {p.ref: p.cost_cents for p in asked},
            "ballots": counted,
            "per_project": per_project,
            "selected": [r.project.ref for r in results.winners],
        },
    )


def _round(uow: UnitOfWork, round_id: int, *, lock: bool = False) -> PanelRound:
    found: PanelRound | None = uow.panels.get_round(round_id, lock=lock)
    if found is None:
        raise VilcoError("panel.round_not_found", id=round_id)
    return found


def list_rounds(uow: UnitOfWork, session_id: int) -> list[PanelRound]:
    with uow:
        return list(uow.panels.rounds(session_id))


def current_round(uow: UnitOfWork, session_id: int) -> PanelRound | None:
    """The latest round (open or just closed), what phones and the projector follow."""
    with uow:
        found: PanelRound | None = uow.panels.latest_round(session_id)
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberSheet:
    """What a member's phone shows for the current round."""

    round: PanelRound
    projects: tuple[Project, ...]
    mine: Ballot | None  # the member's ballot so far in this round


def member_sheet(uow: UnitOfWork, code: str) -> MemberSheet | None:
    """The current round for the member holding `code` (None before the first round)."""
    with uow:
        return _sheet(uow, _member(uow, code))


def _sheet(uow: UnitOfWork, member: PanelMember) -> MemberSheet | None:
    latest: PanelRound | None = uow.panels.latest_round(member.session_id)
    if latest is None:
        return None
    session = _session(uow, member.session_id)
    by_ref = {p.ref: p for p in uow.projects.list_for_process(session.process_id)}
    mine: Ballot | None = uow.panels.ballot_of(latest.id, member.id)
    projects = tuple(by_ref[r] for r in latest.projects if r in by_ref)
    return MemberSheet(round=latest, projects=projects, mine=mine)


def submit_ballot(uow: UnitOfWork, code: str, round_id: int, ballot: Ballot) -> None:
    """Store the member's ballot for an open round of their session, replacing any earlier one."""
    with uow:
        member = _member(uow, code)
        found = _round(uow, round_id, lock=True)
        if found.session_id != member.session_id:
            raise VilcoError("panel.code_other_session")
        if not found.open:
            raise VilcoError("panel.round_closed", number=found.number)
        projects = {p.ref: p for p in uow.projects.list_for_process(_process_of(uow, found))}
        costs = {r: projects[r].cost_cents for r in found.projects if r in projects}
        validate_ballot(ballot, found.rules(), costs)
        uow.panels.put_ballot(round_id, member.id, ballot)
        if not member.joined:
            uow.panels.mark_joined(member.id, dt.datetime.now(dt.UTC))
        uow.commit()


def _process_of(uow: UnitOfWork, found: PanelRound) -> int:
    return _session(uow, found.session_id).process_id


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundResults:
    """A round's outcome under its announced rule (beside greedy and Equal Shares), with the
    room's figures; `results.provisional` while the round is open."""

    round: PanelRound
    members: int
    joined: int
    results: ProcessResults


def round_results(uow: UnitOfWork, round_id: int) -> RoundResults:
    with uow:
        found = _round(uow, round_id)
        session = _session(uow, found.session_id)
        process = uow.processes.get(session.process_id)
        assert process is not None  # a row's process exists (foreign key)
        projects = uow.projects.list_for_process(stored_id(process))
        ballots: list[Ballot] = uow.panels.ballots(round_id)
        members = len(uow.panels.members(session.id))
        joined: int = uow.panels.joined_count(session.id)
    return RoundResults(
        round=found,
        members=members,
        joined=joined,
        results=tally_round(process, projects, found, ballots),
    )


def round_version(uow: UnitOfWork, round_id: int) -> tuple[int, int]:
    """Changes whenever a ballot of the round arrives or is replaced (a cache key)."""
    with uow:
        version: tuple[int, int] = uow.panels.round_version(round_id)
    return version


def tally_round(
    process: Process, projects: Sequence[Project], found: PanelRound, ballots: Sequence[Ballot]
) -> ProcessResults:
    """The results engine on a round: its projects, its budget, its ballot kind, its rule.

    Only the projects someone supported in the round are eligible: greedy would otherwise fill
    the leftover budget with projects nobody chose and call them winners. The others are listed
    with no votes and the reason `no_supporters` (the rules themselves stay pabutools')."""
    backed = supported(ballots)
    on_round = set(found.projects)
    asked = [p for p in projects if p.ref in on_round]
    unsupported = [p for p in ballot_projects(asked) if p.ref not in backed]
    asked = [p for p in asked if p.ref in backed]
    as_process = replace(
        process, ballot=found.rules(), rule=found.rule, envelope_cents=found.budget_cents
    )
    stored = [
        StoredBallot(
            receipt=f"p{i}",
            process_id=process.id or 0,
            ballot=b,
            channel="panel",
            site_id=None,
            cast_on=dt.date.min,
        )
        for i, b in enumerate(ballots)
    ]
    results = tally_results(as_process, asked, stored, provisional=found.open)
    return _with_unsupported(results, unsupported) if unsupported else results


def _with_unsupported(results: ProcessResults, projects: Sequence[Project]) -> ProcessResults:
    """`results` with `projects` listed last, unselected for want of supporters under each rule."""
    records = {
        p.ref: ProjectExplanation(
            project_id=p.ref,
            cost=Fraction(p.cost_cents, 100),
            selected=False,
            reason="no_supporters",
            supporters=0,
            score=0,
        )
        for p in projects
    }

    def outcome(o: Outcome) -> Outcome:
        return replace(o, explanations=o.explanations + tuple(records.values()))

    rows = [
        ProjectResult(
            project=p,
            votes=0,
            score=0,
            announced=records[p.ref],
            greedy=records[p.ref],
            mes=records[p.ref],
        )
        for p in projects
    ]
    return replace(
        results,
        announced=outcome(results.announced),
        greedy=outcome(results.greedy),
        mes=outcome(results.mes),
        projects=tuple(sorted((*results.projects, *rows), key=lambda r: (-r.score, r.project.ref))),
    )


def finalise_session(
    uow: UnitOfWork, actor: StaffUser | None, round_id: int, now: dt.datetime
) -> PanelSession:
    """The panel's recommendation: the winners of a closed round, stored with its rule."""
    outcome = round_results(uow, round_id)
    if outcome.round.open:
        raise VilcoError("panel.round_still_open", number=outcome.round.number)
    with uow:
        session = _session(uow, outcome.round.session_id)
        _managed(uow, actor, session.process_id)
        assert actor is not None
        refs = [r.project.ref for r in outcome.results.winners]
        uow.panels.finalise(session.id, round_id, outcome.round.rule, refs, now, actor.username)
        uow.commit()
        return _session(uow, session.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    """A panel's finalised recommendation as published: the projects, their total against the
    round's budget, the rule that selected them."""

    session: PanelSession
    process: Process
    round_number: int
    rule: str
    budget_cents: int
    projects: tuple[Project, ...]  # in the order the rule selected them

    @property
    def total_cents(self) -> int:
        return sum(p.cost_cents for p in self.projects)


def list_recommendations(uow: UnitOfWork) -> list[PanelSession]:
    """The finalised sessions, newest first (public)."""
    with uow:
        found = [s for s in uow.panels.sessions() if s.finalised]
    return sorted(found, key=lambda s: s.id, reverse=True)


def get_recommendation(uow: UnitOfWork, session_id: int) -> Recommendation:
    """One finalised session's recommendation; a session not finalised is not found."""
    with uow:
        session = _session(uow, session_id)
        if not session.finalised or session.final_round_id is None:
            raise VilcoError("panel.recommendation_not_found", id=session_id)
        process = uow.processes.get(session.process_id)
        assert process is not None  # a row's process exists (foreign key)
        final = _round(uow, session.final_round_id)
        by_ref = {p.ref: p for p in uow.projects.list_for_process(stored_id(process))}
    return Recommendation(
        session=session,
        process=process,
        round_number=final.number,
        rule=session.final_rule or final.rule,
        budget_cents=final.budget_cents,
        projects=tuple(by_ref[r] for r in session.final_projects if r in by_ref),
    )


# -- evaluations -------------------------------------------------------------------------------


def submit_evaluation(
    uow: UnitOfWork,
    evaluation: Evaluation,
    today: dt.date,
    *,
    member_code: str | None = None,
    browser_token: str | None = None,
) -> None:
    """Store an anonymous evaluation (answers 1-5 or unanswered, a comment up to 2000 chars).

    One per person: a member's (who must give their code) replaces their earlier one for the
    session; a resident's replaces the earlier one sent from the same browser session
    (`browser_token`) for the process. Stored is only a hash of the code or token, salted with
    the session or process: it cannot be recomputed from the members' stored code hashes."""
    if evaluation.scope not in SCOPES or evaluation.respondent not in RESPONDENTS:
        raise VilcoError("eval.invalid")
    answers = tuple(evaluation.answers)
    if len(answers) != len(QUESTIONS) or any(a is not None and not 1 <= a <= 5 for a in answers):
        raise VilcoError("eval.invalid")
    if all(a is None for a in answers) and not evaluation.comment.strip():
        raise VilcoError("eval.empty")
    if evaluation.respondent == "member" and member_code is None:
        raise VilcoError("eval.member_code_needed")
    clean = replace(
        evaluation,
        comment=evaluation.comment.strip()[:MAX_COMMENT],
        language=evaluation.language[:2],
    )
    with uow:
        if uow.processes.get(clean.process_id) is None:
            raise VilcoError("errors.process_not_found", id=clean.process_id)
        key = None
        if member_code is not None and clean.respondent == "member":
            member = _member(uow, member_code)
            if clean.session_id not in (None, member.session_id):
                raise VilcoError("panel.code_other_session")
            clean = replace(clean, session_id=member.session_id, scope="session")
            key = _evaluation_key("member", member.session_id, _hash(member_code))
        elif browser_token:
            key = _evaluation_key("resident", clean.process_id, browser_token[:200])
        if clean.session_id is not None:
            session: PanelSession | None = uow.panels.get_session(clean.session_id)
            if session is None or session.process_id != clean.process_id:
                raise VilcoError("panel.session_not_found", id=clean.session_id)
        uow.panels.put_evaluation(clean, today, key)
        uow.commit()


def _evaluation_key(who: str, scope_id: int, secret: str) -> str:
    return hashlib.sha256(f"vilco-evaluation:{who}:{scope_id}:{secret}".encode()).hexdigest()


def list_evaluations(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> list[Evaluation]:
    """The evaluations of a process (its staff only: comments are read before publishing)."""
    with uow:
        _managed(uow, actor, process_id)
        return list(uow.panels.evaluations(process_id))


def join_url(base_url: str, code: str | None = None) -> str:
    """`BASE/panel?c=CODE` on a member's card; `BASE/panel` (type the code) on the projector."""
    base = f"{base_url.rstrip('/')}/panel"
    return base if code is None else f"{base}?{urlencode({'c': code})}"


def codes_csv(issued: IssuedSession, base_url: str) -> str:
    """The members' codes (`member,code,url`): the one copy that will ever exist."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["member", "code", "url"])
    for label, code in issued.codes:
        writer.writerow([label, code, join_url(base_url, code)])
    return out.getvalue()
