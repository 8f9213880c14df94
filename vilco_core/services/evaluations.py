"""Use cases of evaluations: members and residents answer the questions (anonymously, one
evaluation per person), and a process's staff read them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from vilco_core.deliberation import (
    MAX_COMMENT,
    QUESTIONS,
    RESPONDENTS,
    SCOPES,
    Evaluation,
    PanelSession,
)
from vilco_core.errors import VilcoError
from vilco_core.model import StaffUser
from vilco_core.services import access
from vilco_core.services.panel_sessions import code_hash, load_member
from vilco_core.unit_of_work import UnitOfWork


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
            member = load_member(uow, member_code)
            if clean.session_id not in (None, member.session_id):
                raise VilcoError("panel.code_other_session")
            clean = replace(clean, session_id=member.session_id, scope="session")
            key = _evaluation_key("member", member.session_id, code_hash(member_code))
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
        access.managed_process(uow, actor, process_id)
        return list(uow.panels.evaluations(process_id))
