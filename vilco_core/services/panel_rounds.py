"""Use cases of a citizen panel's rounds: open and close a round (its sealed ballots and its
result enter the audit log), what a member's phone shows, submit (and replace) a member's
ballot, and a round's results under its announced rule. Sessions are `panel_sessions`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from vilco_core.audit import parse_ballot
from vilco_core.audit_checks import count_panel_ballots
from vilco_core.ballots import Ballot, BallotKind, round_kinds, supported, validate_ballot
from vilco_core.deliberation import PanelMember, PanelRound
from vilco_core.errors import VilcoError, expect_found
from vilco_core.model import Process, Project, StaffUser, StoredBallot, stored_id
from vilco_core.results import ProcessResults, ProjectResult, ballot_projects, tally_results
from vilco_core.rules import Outcome, ProjectExplanation, round_rules
from vilco_core.services import access
from vilco_core.services.audit import log_panel_ballots, log_panel_result
from vilco_core.services.panel_sessions import (
    Membership,
    load_member,
    load_session,
    mark_present,
)
from vilco_core.unit_of_work import UnitOfWork


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
    if kind not in round_kinds():
        raise VilcoError("ballot.wrong_kind", kind=kind, expected="/".join(round_kinds()))
    if rule not in round_rules():
        raise VilcoError("panel.rule_unknown", rule=rule)
    with uow:
        session = load_session(uow, session_id)
        process = access.managed_process(uow, actor, session.process_id)
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
    """Close the round; its last ballots and its result enter the audit log (once), and the
    ballots are sealed: each keeps a receipt and loses its member (`panels.seal_ballots`)."""
    with uow:
        found = load_round(uow, round_id)
        process = access.managed_process(uow, actor, load_session(uow, found.session_id).process_id)
        uow.audit.lock()  # the chain head first, as every writer of the log
        if uow.panels.close_round(round_id, now):
            _log_round(uow, actor, process, replace(found, state="closed"))
        uow.commit()
        uow.ballots.reclaim()  # the unsealed rows, with their members, are pruned


def _log_round(
    uow: UnitOfWork, actor: StaffUser | None, process: Process, found: PanelRound
) -> None:
    """One `panel.ballot` entry per member's last ballot, in receipt order, then the result."""
    sealed = uow.panels.seal_ballots(found.id, iter(new_panel_receipt, None))
    log_panel_ballots(uow, found.id, sealed)
    ballots = [parse_ballot({"kind": kind, "content": c}) for _, kind, c in sealed]
    projects = uow.projects.list_for_process(stored_id(process))
    results = tally_round(process, projects, found, ballots)
    on_round = set(found.projects)
    asked = ballot_projects(p for p in projects if p.ref in on_round)
    counted, per_project = count_panel_ballots(ballots)
    payload: dict[str, Any] = {
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
    }
    log_panel_result(uow, payload)


def new_panel_receipt() -> str:
    """A receipt-like hash for a sealed panel ballot: random, so it links to nobody."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def load_round(uow: UnitOfWork, round_id: int, *, lock: bool = False) -> PanelRound:
    found = uow.panels.get_round(round_id, lock=lock)
    return expect_found(found, "panel.round_not_found", id=round_id)


def list_rounds(uow: UnitOfWork, session_id: int) -> list[PanelRound]:
    with uow:
        return list(uow.panels.rounds(session_id))


def current_round(uow: UnitOfWork, session_id: int) -> PanelRound | None:
    """The latest round (open or just closed), what phones and the projector follow."""
    with uow:
        return uow.panels.latest_round(session_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberSheet:
    """What a member's phone shows for the current round."""

    round: PanelRound
    projects: tuple[Project, ...]
    mine: Ballot | None  # the member's ballot so far in this round


def member_sheet(uow: UnitOfWork, code: str) -> MemberSheet | None:
    """The current round for the member holding `code` (None before the first round)."""
    with uow:
        return _sheet(uow, load_member(uow, code))


def _sheet(uow: UnitOfWork, member: PanelMember) -> MemberSheet | None:
    latest: PanelRound | None = uow.panels.latest_round(member.session_id)
    if latest is None:
        return None
    session = load_session(uow, member.session_id)
    by_ref = {p.ref: p for p in uow.projects.list_for_process(session.process_id)}
    mine: Ballot | None = uow.panels.ballot_of(latest.id, member.id)
    projects = tuple(by_ref[r] for r in latest.projects if r in by_ref)
    return MemberSheet(round=latest, projects=projects, mine=mine)


def member_view(
    uow: UnitOfWork, code: str, now: dt.datetime
) -> tuple[Membership, MemberSheet | None]:
    """`join_session` and `member_sheet` in one transaction: what the member's phone shows on
    each run (one transaction instead of two with fifty phones in the room)."""
    with uow:
        member = load_member(uow, code)
        membership = mark_present(uow, member, now)
        sheet = _sheet(uow, member)
        uow.commit()
    return membership, sheet


def submit_ballot(uow: UnitOfWork, code: str, round_id: int, ballot: Ballot) -> None:
    """Store the member's ballot for an open round of their session, replacing any earlier one."""
    with uow:
        member = load_member(uow, code)
        found = load_round(uow, round_id, lock=True)
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
    return load_session(uow, found.session_id).process_id


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
        found = load_round(uow, round_id)
        session = load_session(uow, found.session_id)
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
        return uow.panels.round_version(round_id)


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
