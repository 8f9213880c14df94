"""Repositories of citizen panel sessions and evaluations.

A member's ballot in a round is one row keyed by (round, member): a change replaces its content
and bumps its version, so the last ballot counts and a count of rows is a count of voters. When
the round closes, its rows are rewritten sealed: a receipt each, no member.
Submitting reads the round `FOR SHARE` on PostgreSQL (SQLite's BEGIN IMMEDIATE serialises
anyway), so a ballot cannot slip in after the transaction that closes the round.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import ScalarResult, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from vilco_core.audit import panel_ballot_payload
from vilco_core.ballots import Ballot
from vilco_core.deliberation import (
    Evaluation,
    PanelMember,
    PanelRound,
    PanelSession,
)
from vilco_core.store.rows import Repository, columns_of, inserted_id, value_of
from vilco_core.store.tables_panels import (
    EvaluationRow,
    PanelBallotRow,
    PanelMemberRow,
    PanelRoundRow,
    PanelSessionRow,
    PanelVoidedCodeRow,
)

_SessionRow = TypeVar("_SessionRow", PanelMemberRow, PanelRoundRow)


def _session_value(r: PanelSessionRow) -> PanelSession:
    return value_of(PanelSession, r, final_projects=tuple(json.loads(r.final_projects or "[]")))


def _member_value(r: PanelMemberRow) -> PanelMember:
    return PanelMember(
        id=r.id, session_id=r.session_id, label=r.label, joined=r.joined_at is not None
    )


def _round_value(r: PanelRoundRow) -> PanelRound:
    return value_of(PanelRound, r, projects=tuple(json.loads(r.projects)))


class PanelRepository(Repository):
    # -- sessions and members
    def add_session(
        self, process_id: int, title: str, day: dt.date, by: str, members: Iterable[tuple[str, str]]
    ) -> int:
        """A session with its members, each `(label, code hash)`."""
        row = PanelSessionRow(process_id=process_id, title=title, created_on=day, created_by=by)
        self.session.add(row)
        self.session.flush()
        self.session.add_all(
            PanelMemberRow(session_id=row.id, label=label, code_hash=code_hash)
            for label, code_hash in members
        )
        self.session.flush()
        return row.id

    def get_session(self, session_id: int) -> PanelSession | None:
        row = self.session.get(PanelSessionRow, session_id)
        return None if row is None else _session_value(row)

    def sessions(self, process_id: int | None = None) -> list[PanelSession]:
        query = select(PanelSessionRow).order_by(PanelSessionRow.id)
        if process_id is not None:
            query = query.where(PanelSessionRow.process_id == process_id)
        return [_session_value(r) for r in self.session.scalars(query)]

    def finalise(
        self,
        session_id: int,
        round_id: int,
        rule: str,
        refs: Iterable[str],
        at: dt.datetime,
        by: str,
    ) -> None:
        self.session.execute(
            update(PanelSessionRow)
            .where(PanelSessionRow.id == session_id)
            .values(
                final_round_id=round_id,
                final_rule=rule,
                final_projects=json.dumps(list(refs)),
                finalised_at=at,
                finalised_by=by,
            )
        )

    def member_by_hash(self, code_hash: str) -> PanelMember | None:
        row = self.session.scalars(
            select(PanelMemberRow).where(PanelMemberRow.code_hash == code_hash)
        ).first()
        return None if row is None else _member_value(row)

    def mark_joined(self, member_id: int, at: dt.datetime) -> None:
        self.session.execute(
            update(PanelMemberRow)
            .where(PanelMemberRow.id == member_id, PanelMemberRow.joined_at.is_(None))
            .values(joined_at=at)
        )

    def _of_session(
        self, kind: type[_SessionRow], session_id: int, order: InstrumentedAttribute[int]
    ) -> ScalarResult[_SessionRow]:
        """The rows of `kind` (members, rounds) that belong to a session, ordered by `order`."""
        return self.session.scalars(
            select(kind).where(kind.session_id == session_id).order_by(order)
        )

    def members(self, session_id: int) -> list[PanelMember]:
        rows = self._of_session(PanelMemberRow, session_id, PanelMemberRow.id)
        return [_member_value(r) for r in rows]

    def joined_count(self, session_id: int) -> int:
        query = select(func.count()).where(
            PanelMemberRow.session_id == session_id, PanelMemberRow.joined_at.is_not(None)
        )
        return int(self.session.scalar(query) or 0)

    def replace_code(self, member_id: int, code_hash: str) -> None:
        self.session.execute(
            update(PanelMemberRow).where(PanelMemberRow.id == member_id).values(code_hash=code_hash)
        )

    def get_member(self, member_id: int) -> PanelMember | None:
        row = self.session.get(PanelMemberRow, member_id)
        return None if row is None else _member_value(row)

    def reissue_code(self, member_id: int, code_hash: str, at: dt.datetime) -> None:
        """Void the member's current code (its hash kept, to refuse it by name) for a new one."""
        row = self.session.get(PanelMemberRow, member_id, with_for_update=True)
        if row is None:
            return
        self.session.add(PanelVoidedCodeRow(code_hash=row.code_hash, member_id=row.id,
                                            voided_at=at))  # fmt: skip
        row.code_hash = code_hash
        self.session.flush()

    def is_voided(self, code_hash: str) -> bool:
        return self.session.get(PanelVoidedCodeRow, code_hash) is not None

    # -- rounds
    def add_round(self, panel_round: PanelRound, at: dt.datetime) -> int:
        projects = json.dumps(list(panel_round.projects))
        columns = columns_of(panel_round, skip={"id"}, projects=projects, state="open")
        row = PanelRoundRow(**columns, opened_at=at)
        return inserted_id(self.session, row)

    def get_round(self, round_id: int, *, lock: bool = False) -> PanelRound | None:
        query = select(PanelRoundRow).where(PanelRoundRow.id == round_id)
        if lock:
            query = query.with_for_update(read=True)
        row = self.session.scalars(query).first()
        return None if row is None else _round_value(row)

    def rounds(self, session_id: int) -> list[PanelRound]:
        rows = self._of_session(PanelRoundRow, session_id, PanelRoundRow.number)
        return [_round_value(r) for r in rows]

    def latest_round(self, session_id: int) -> PanelRound | None:
        row = self.session.scalars(
            select(PanelRoundRow)
            .where(PanelRoundRow.session_id == session_id)
            .order_by(PanelRoundRow.number.desc())
            .limit(1)
        ).first()
        return None if row is None else _round_value(row)

    def close_round(self, round_id: int, at: dt.datetime) -> bool:
        result = self.session.execute(
            update(PanelRoundRow)
            .where(PanelRoundRow.id == round_id, PanelRoundRow.state == "open")
            .values(state="closed", closed_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    # -- ballots
    def put_ballot(self, round_id: int, member_id: int, ballot: Ballot) -> None:
        """Store or replace this member's ballot in this round."""
        content = json.dumps(
            {
                "kind": ballot.kind,
                "projects": list(ballot.project_ids),
                "points": list(ballot.points),
            }
        )
        changed = self.session.execute(
            update(PanelBallotRow)
            .where(PanelBallotRow.round_id == round_id, PanelBallotRow.member_id == member_id)
            .values(content=content, version=PanelBallotRow.version + 1)
        )
        if getattr(changed, "rowcount", 0):
            return
        try:
            with self.session.begin_nested():
                self.session.add(
                    PanelBallotRow(round_id=round_id, member_id=member_id, content=content)
                )
        except IntegrityError:  # the same member's other tab inserted first: replace it
            self.session.execute(
                update(PanelBallotRow)
                .where(PanelBallotRow.round_id == round_id, PanelBallotRow.member_id == member_id)
                .values(content=content, version=PanelBallotRow.version + 1)
            )

    def ballot_of(self, round_id: int, member_id: int) -> Ballot | None:
        content = self.session.scalar(
            select(PanelBallotRow.content).where(
                PanelBallotRow.round_id == round_id, PanelBallotRow.member_id == member_id
            )
        )
        return None if content is None else _ballot(content)

    def ballots(self, round_id: int) -> list[Ballot]:
        """The round's current ballots, without whose they are (ordered by content)."""
        rows = self.session.scalars(
            select(PanelBallotRow.content)
            .where(PanelBallotRow.round_id == round_id)
            .order_by(PanelBallotRow.content)
        )
        return [_ballot(c) for c in rows]

    def seal_ballots(self, round_id: int, receipts: Iterator[str]) -> list[tuple[str, str, str]]:
        """Give each ballot of a (closed) round its receipt and drop its member: the round's
        rows are deleted and written again in receipt order (random), without a member, so
        neither a key, a row id nor the rows' order leads back to whose ballot it was.
        `(receipt, kind, content)` sorted by receipt, the order of their audit entries."""
        contents = self.session.scalars(
            select(PanelBallotRow.content).where(PanelBallotRow.round_id == round_id)
        ).all()
        sealed = sorted((next(receipts), _ballot(c).kind, c) for c in contents)
        self.session.execute(delete(PanelBallotRow).where(PanelBallotRow.round_id == round_id))
        self.session.add_all(
            PanelBallotRow(round_id=round_id, member_id=None, content=c, version=1, receipt=r)
            for r, _kind, c in sealed
        )
        self.session.flush()
        return sealed

    def sealed_ballots(self) -> dict[str, dict[str, Any]]:
        """Every sealed panel ballot as its audit entry describes it, by receipt."""
        rows = self.session.scalars(
            select(PanelBallotRow).where(PanelBallotRow.receipt.is_not(None))
        )
        return {
            r.receipt: panel_ballot_payload(
                r.receipt, r.round_id, _ballot(r.content).kind, r.content
            )
            for r in rows
            if r.receipt is not None
        }

    def round_version(self, round_id: int) -> tuple[int, int]:
        """(ballots, sum of versions): changes whenever a ballot arrives or is replaced."""
        row = self.session.execute(
            select(func.count(), func.coalesce(func.sum(PanelBallotRow.version), 0)).where(
                PanelBallotRow.round_id == round_id
            )
        ).one()
        return int(row[0]), int(row[1])

    # -- evaluations
    def put_evaluation(self, evaluation: Evaluation, day: dt.date, key: str | None) -> None:
        """Add an evaluation, or replace the one stored under the same respondent key."""
        if key is not None:
            self.session.execute(delete(EvaluationRow).where(EvaluationRow.respondent_key == key))
        try:
            with self.session.begin_nested():
                self.add_evaluation(evaluation, day, key)
        except IntegrityError:  # the same respondent's other tab inserted first: replace it
            self.session.execute(delete(EvaluationRow).where(EvaluationRow.respondent_key == key))
            self.add_evaluation(evaluation, day, key)

    def add_evaluation(self, evaluation: Evaluation, day: dt.date, key: str | None = None) -> None:
        q1, q2, q3, q4, *_ = [*evaluation.answers, None, None, None, None]
        columns = columns_of(evaluation, skip={"answers"}, respondent_key=key, answered_on=day)
        self.session.add(EvaluationRow(**columns, q1=q1, q2=q2, q3=q3, q4=q4))
        self.session.flush()

    def evaluations(self, process_id: int) -> list[Evaluation]:
        rows = self.session.scalars(
            select(EvaluationRow)
            .where(EvaluationRow.process_id == process_id)
            .order_by(EvaluationRow.answered_on, EvaluationRow.id)
        )
        return [value_of(Evaluation, r, answers=(r.q1, r.q2, r.q3, r.q4)) for r in rows]


def _ballot(content: str) -> Ballot:
    data = json.loads(content)
    return Ballot(
        kind=data["kind"], project_ids=tuple(data["projects"]), points=tuple(data.get("points", ()))
    )
