"""Use cases of citizen panel sessions: create a session with personal join codes, reissue a
lost code, list the members, join (a member's code opens the session), and the codes' CSV.

Members' codes come from the code machinery (`vilco_core.codes`: 80-bit Crockford base32,
stored as SHA-256 only) but live in the panel's member table, not among the one-time vote
codes: a panel code is used once per round and must never spend, or be spent as, a resident's
vote. What is published (the projector, the results) holds counts and ballot contents, never
which member cast which ballot. Rounds are `panel_rounds`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from vilco_core import codes as code_rules
from vilco_core.deliberation import PanelMember, PanelSession
from vilco_core.errors import VilcoError, expect_found
from vilco_core.model import Process, StaffUser
from vilco_core.services import access, draws
from vilco_core.services.audit import log_action
from vilco_core.spreadsheet import csv_text
from vilco_core.typed_text import strip_bidi
from vilco_core.unit_of_work import UnitOfWork

MAX_MEMBERS: Final = 500


def load_session(uow: UnitOfWork, session_id: int) -> PanelSession:
    """The session, inside the caller's open `with uow:`; `panel.session_not_found` if none."""
    found = uow.panels.get_session(session_id)
    return expect_found(found, "panel.session_not_found", id=session_id)


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
    labels = [strip_bidi(m).strip()[:120] for m in members if strip_bidi(m).strip()]
    if not 1 <= len(labels) <= MAX_MEMBERS or len(set(labels)) != len(labels):
        raise VilcoError("panel.members_invalid", maximum=MAX_MEMBERS)
    if not title.strip():
        raise VilcoError("panel.title_missing")
    issued = [(label, code_rules.generate_code()) for label in labels]
    with uow:
        access.managed_process(uow, actor, process_id)
        assert actor is not None
        hashes = [(label, code_hash(code)) for label, code in issued]
        session_id: int = uow.panels.add_session(
            process_id, title.strip()[:200], today, actor.username, hashes
        )
        uow.commit()
    return IssuedSession(session_id=session_id, process_id=process_id, codes=tuple(issued))


def code_hash(code: str) -> str:
    """The stored form of a member's code (`vote.code_invalid` when it is no code)."""
    symbols = code_rules.normalise_code(code)
    if symbols is None:
        raise VilcoError("vote.code_invalid")
    return code_rules.hash_code(symbols)


def load_member(uow: UnitOfWork, code: str) -> PanelMember:
    """The member holding `code` (inside the caller's `with uow:`); a code voided by a reissue
    is refused by name."""
    digest = code_hash(code)
    member: PanelMember | None = uow.panels.member_by_hash(digest)
    if member is None:
        if uow.panels.is_voided(digest):
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
        member = expect_found(
            uow.panels.get_member(member_id), "panel.member_not_found", id=member_id
        )
        session = load_session(uow, member.session_id)
        access.managed_process(uow, actor, session.process_id)
        uow.panels.reissue_code(member.id, code_hash(code), now)
        log_action(uow, actor, "panel_code_reissued", session_id=session.id, member_id=member.id)
        uow.commit()
    return ReissuedCode(session_id=session.id, member_id=member.id, label=member.label, code=code)


def list_sessions(uow: UnitOfWork, process_id: int | None = None) -> list[PanelSession]:
    with uow:
        return list(uow.panels.sessions(process_id))


def get_session(uow: UnitOfWork, session_id: int) -> PanelSession:
    with uow:
        return load_session(uow, session_id)


def session_members(uow: UnitOfWork, actor: StaffUser | None, session_id: int) -> list[PanelMember]:
    """Who was invited and who has joined (the facilitator's list; never who voted what)."""
    with uow:
        access.managed_process(uow, actor, load_session(uow, session_id).process_id)
        return list(uow.panels.members(session_id))


def members_from_draw(uow: UnitOfWork, draw_id: int) -> tuple[str, ...]:
    """The pool ids of a drawn panel, as member labels."""
    return draws.draw_members(uow, draw_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Membership:
    session: PanelSession
    process: Process
    member_id: int


def join_session(uow: UnitOfWork, code: str, now: dt.datetime) -> Membership:
    """The session a member's code opens; the member is marked present (once)."""
    with uow:
        membership = mark_present(uow, load_member(uow, code), now)
        uow.commit()
    return membership


def mark_present(uow: UnitOfWork, member: PanelMember, now: dt.datetime) -> Membership:
    """The member's session, marking them present (once), inside the caller's `with uow:`."""
    session = load_session(uow, member.session_id)
    process = uow.processes.get(session.process_id)
    assert process is not None  # a row's process exists (foreign key)
    if not member.joined:
        uow.panels.mark_joined(member.id, now)
    return Membership(session=session, process=process, member_id=member.id)


def join_url(base_url: str, code: str | None = None) -> str:
    """`BASE/panel?c=CODE` on a member's card; `BASE/panel` (type the code) on the projector."""
    base = f"{base_url.rstrip('/')}/panel"
    return base if code is None else f"{base}?{urlencode({'c': code})}"


def codes_csv(issued: IssuedSession, base_url: str) -> str:
    """The members' codes (`member,code,url`): the one copy that will ever exist."""
    rows = [[label, code, join_url(base_url, code)] for label, code in issued.codes]
    return csv_text(["member", "code", "url"], rows)
