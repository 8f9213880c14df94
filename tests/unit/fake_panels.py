"""The in-memory panels repository of `fakes.FakeUnitOfWork`: sessions, members and their codes,
rounds, members' ballots (one per member and round, replaced with a new version), evaluations.

Its tables live in the fake's `Tables.panels`, so they commit and roll back with the rest.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from vilco_core.audit import panel_ballot_payload
from vilco_core.ballots import Ballot
from vilco_core.deliberation import Evaluation, PanelMember, PanelRound, PanelSession
from vilco_core.unit_of_work import AuditPayload


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberRow:
    member: PanelMember
    code_hash: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotRow:
    content: str  # the store's JSON: kind, projects, points
    version: int = 1
    receipt: str | None = None


@dataclass(slots=True)
class PanelTables:
    last_ids: dict[str, int] = field(default_factory=dict)
    sessions: dict[int, PanelSession] = field(default_factory=dict)
    members: dict[int, MemberRow] = field(default_factory=dict)
    voided: dict[str, int] = field(default_factory=dict)  # code hash -> member id
    rounds: dict[int, PanelRound] = field(default_factory=dict)
    ballots: dict[tuple[int, int], BallotRow] = field(default_factory=dict)  # (round, member)
    evaluations: list[tuple[str | None, Evaluation]] = field(default_factory=list)

    def snapshot(self) -> PanelTables:
        return PanelTables(**{name: copy.copy(getattr(self, name)) for name in self.__slots__})

    def new_id(self, table: str) -> int:
        self.last_ids[table] = self.last_ids.get(table, 0) + 1
        return self.last_ids[table]


def _content(ballot: Ballot) -> str:
    data = {
        "kind": ballot.kind,
        "projects": list(ballot.project_ids),
        "points": list(ballot.points),
    }
    return json.dumps(data)


def _ballot(content: str) -> Ballot:
    data = json.loads(content)
    return Ballot(
        kind=data["kind"], project_ids=tuple(data["projects"]), points=tuple(data.get("points", ()))
    )


class FakePanels:
    def __init__(self, tables: Callable[[], PanelTables]) -> None:
        self._tables = tables

    @property
    def t(self) -> PanelTables:
        return self._tables()

    # -- sessions and members
    def add_session(
        self, process_id: int, title: str, day: dt.date, by: str, members: Iterable[tuple[str, str]]
    ) -> int:
        new = self.t.new_id("sessions")
        self.t.sessions[new] = PanelSession(
            id=new, process_id=process_id, title=title, created_on=day, created_by=by
        )
        for label, code_hash in members:
            member_id = self.t.new_id("members")
            member = PanelMember(id=member_id, session_id=new, label=label, joined=False)
            self.t.members[member_id] = MemberRow(member=member, code_hash=code_hash)
        return new

    def get_session(self, session_id: int) -> PanelSession | None:
        return self.t.sessions.get(session_id)

    def sessions(self, process_id: int | None = None) -> list[PanelSession]:
        found = sorted(self.t.sessions.items())
        return [s for _, s in found if process_id in (None, s.process_id)]

    def finalise(
        self,
        session_id: int,
        round_id: int,
        rule: str,
        refs: Iterable[str],
        at: dt.datetime,
        by: str,
    ) -> None:
        if old := self.t.sessions.get(session_id):
            self.t.sessions[session_id] = replace(
                old,
                final_round_id=round_id,
                final_rule=rule,
                final_projects=tuple(refs),
                finalised_at=at,
            )

    def member_by_hash(self, code_hash: str) -> PanelMember | None:
        found = (r.member for _, r in sorted(self.t.members.items()) if r.code_hash == code_hash)
        return next(found, None)

    def mark_joined(self, member_id: int, at: dt.datetime) -> None:
        if row := self.t.members.get(member_id):
            self.t.members[member_id] = replace(row, member=replace(row.member, joined=True))

    def members(self, session_id: int) -> list[PanelMember]:
        found = sorted(self.t.members.items())
        return [r.member for _, r in found if r.member.session_id == session_id]

    def joined_count(self, session_id: int) -> int:
        return sum(m.joined for m in self.members(session_id))

    def replace_code(self, member_id: int, code_hash: str) -> None:
        if row := self.t.members.get(member_id):
            self.t.members[member_id] = replace(row, code_hash=code_hash)

    def get_member(self, member_id: int) -> PanelMember | None:
        row = self.t.members.get(member_id)
        return None if row is None else row.member

    def reissue_code(self, member_id: int, code_hash: str, at: dt.datetime) -> None:
        if row := self.t.members.get(member_id):
            self.t.voided[row.code_hash] = member_id
            self.t.members[member_id] = replace(row, code_hash=code_hash)

    def is_voided(self, code_hash: str) -> bool:
        return code_hash in self.t.voided

    # -- rounds
    def add_round(self, panel_round: PanelRound, at: dt.datetime) -> int:
        new = self.t.new_id("rounds")
        self.t.rounds[new] = replace(panel_round, id=new, state="open")
        return new

    def get_round(self, round_id: int, *, lock: bool = False) -> PanelRound | None:
        return self.t.rounds.get(round_id)

    def rounds(self, session_id: int) -> list[PanelRound]:
        found = [r for r in self.t.rounds.values() if r.session_id == session_id]
        return sorted(found, key=lambda r: r.number)

    def latest_round(self, session_id: int) -> PanelRound | None:
        return next(reversed(self.rounds(session_id)), None)

    def close_round(self, round_id: int, at: dt.datetime) -> bool:
        old = self.t.rounds.get(round_id)
        if old is None or old.state != "open":
            return False
        self.t.rounds[round_id] = replace(old, state="closed")
        return True

    # -- ballots
    def put_ballot(self, round_id: int, member_id: int, ballot: Ballot) -> None:
        old = self.t.ballots.get((round_id, member_id))
        version = 1 if old is None else old.version + 1
        self.t.ballots[round_id, member_id] = BallotRow(content=_content(ballot), version=version)

    def ballot_of(self, round_id: int, member_id: int) -> Ballot | None:
        row = self.t.ballots.get((round_id, member_id))
        return None if row is None else _ballot(row.content)

    def ballots(self, round_id: int) -> list[Ballot]:
        contents = sorted(row.content for (r, _m), row in self.t.ballots.items() if r == round_id)
        return [_ballot(c) for c in contents]

    def seal_ballots(self, round_id: int, receipts: Iterator[str]) -> list[tuple[str, str, str]]:
        """As the store: each ballot gets its receipt and loses its member (kept under a
        negative key, in receipt order), its version back to 1."""
        sealed = []
        for (r, m), row in list(self.t.ballots.items()):
            if r == round_id:
                del self.t.ballots[r, m]
                sealed.append((next(receipts), _ballot(row.content).kind, row.content))
        sealed.sort()
        for n, (receipt, _kind, content) in enumerate(sealed, start=1):
            self.t.ballots[round_id, -n] = BallotRow(content=content, version=1, receipt=receipt)
        return sealed

    def sealed_ballots(self) -> dict[str, AuditPayload]:
        return {
            row.receipt: panel_ballot_payload(
                row.receipt, r, _ballot(row.content).kind, row.content
            )
            for (r, _m), row in self.t.ballots.items()
            if row.receipt is not None
        }

    def round_version(self, round_id: int) -> tuple[int, int]:
        versions = [row.version for (r, _m), row in self.t.ballots.items() if r == round_id]
        return len(versions), sum(versions)

    # -- evaluations
    def put_evaluation(self, evaluation: Evaluation, day: dt.date, key: str | None) -> None:
        if key is not None:
            self.t.evaluations = [(k, e) for k, e in self.t.evaluations if k != key]
        self.add_evaluation(evaluation, day, key)

    def add_evaluation(self, evaluation: Evaluation, day: dt.date, key: str | None = None) -> None:
        answers = (*evaluation.answers, None, None, None, None)[:4]  # the columns q1 to q4
        self.t.evaluations.append((key, replace(evaluation, answers=answers, answered_on=day)))

    def evaluations(self, process_id: int) -> list[Evaluation]:
        found = [e for _k, e in self.t.evaluations if e.process_id == process_id]
        return sorted(found, key=lambda e: e.answered_on or dt.date.min)  # stable: then by id
