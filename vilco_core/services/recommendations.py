"""Use cases of a citizen panel's recommendation: finalise a session with the winners of a
closed round (stored with its rule), and the published recommendations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vilco_core.deliberation import PanelSession
from vilco_core.errors import VilcoError
from vilco_core.model import Process, Project, StaffUser, stored_id
from vilco_core.services import access
from vilco_core.services.panel_rounds import load_round, round_results
from vilco_core.services.panel_sessions import load_session
from vilco_core.unit_of_work import UnitOfWork


def finalise_session(
    uow: UnitOfWork, actor: StaffUser | None, round_id: int, now: dt.datetime
) -> PanelSession:
    """The panel's recommendation: the winners of a closed round, stored with its rule."""
    outcome = round_results(uow, round_id)
    if outcome.round.open:
        raise VilcoError("panel.round_still_open", number=outcome.round.number)
    with uow:
        session = load_session(uow, outcome.round.session_id)
        access.managed_process(uow, actor, session.process_id)
        assert actor is not None
        refs = [r.project.ref for r in outcome.results.winners]
        uow.panels.finalise(session.id, round_id, outcome.round.rule, refs, now, actor.username)
        uow.commit()
        return load_session(uow, session.id)


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
        session = load_session(uow, session_id)
        if not session.finalised or session.final_round_id is None:
            raise VilcoError("panel.recommendation_not_found", id=session_id)
        process = uow.processes.get(session.process_id)
        assert process is not None  # a row's process exists (foreign key)
        final = load_round(uow, session.final_round_id)
        by_ref = {p.ref: p for p in uow.projects.list_for_process(stored_id(process))}
    return Recommendation(
        session=session,
        process=process,
        round_number=final.number,
        rule=session.final_rule or final.rule,
        budget_cents=final.budget_cents,
        projects=tuple(by_ref[r] for r in session.final_projects if r in by_ref),
    )
