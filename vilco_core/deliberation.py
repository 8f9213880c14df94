"""Values of citizen panel sessions and the pure work on them: sessions, members, rounds, the
comparison of two rounds, and the evaluations (their questions, summary and CSV).

A round asks one ballot kind (those the kind registry offers to rounds: `knapsack` allocation,
cumulative points, `approval`: `ballots.round_kinds()`) on a set of projects, under an
announced rule (those the rule registry offers to rounds, "mes" and "greedy":
`rules.round_rules()`); while it is open a member may replace their ballot,
and the last one counts. Evaluations are anonymous: answers on a 1-5
Likert scale (None: not answered), a free comment, a language and a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from vilco_core.ballots import BallotKind, BallotRules, kind_spec
from vilco_core.results import ProcessResults
from vilco_core.spreadsheet import csv_text
from vilco_core.typed_text import TypedText

RoundState = Literal["open", "closed"]
SCOPES: Final = ("round", "session", "process")
RESPONDENTS: Final = ("member", "resident")
QUESTIONS: Final = ("q1", "q2", "q3", "q4")  # texts: eval.q1 ... eval.q4
LIKERT: Final = (1, 2, 3, 4, 5)
MAX_COMMENT: Final = 2000


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelSession(TypedText):
    id: int
    process_id: int
    title: str
    created_on: dt.date
    created_by: str
    final_round_id: int | None = None
    final_rule: str | None = None
    final_projects: tuple[str, ...] = ()
    finalised_at: dt.datetime | None = None

    @property
    def finalised(self) -> bool:
        return self.final_round_id is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelMember(TypedText):
    """Who the facilitator invited (a pool id or a name) and whether they have joined."""

    id: int
    session_id: int
    label: str
    joined: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelRound:
    id: int
    session_id: int
    number: int
    kind: BallotKind
    projects: tuple[str, ...]  # project refs, in the order shown
    budget_cents: int
    rule: str
    state: RoundState
    max_projects: int | None = None
    total_points: int | None = None

    @property
    def open(self) -> bool:
        return self.state == "open"

    def rules(self) -> BallotRules:
        """What `validate_ballot` applies to this round's ballots (`KindSpec.for_round`)."""
        offered = BallotRules(
            kind=self.kind,
            budget=self.budget_cents,
            max_projects=self.max_projects,
            total_points=self.total_points,
        )
        return kind_spec(self.kind).for_round(offered)


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundChange:
    """One project across two rounds: its score and whether the announced rule selected it."""

    ref: str
    score_before: int
    score_after: int
    selected_before: bool
    selected_after: bool

    @property
    def entered(self) -> bool:
        return self.selected_after and not self.selected_before

    @property
    def left(self) -> bool:
        return self.selected_before and not self.selected_after


def compare_rounds(before: ProcessResults, after: ProcessResults) -> list[RoundChange]:
    """Every project of either round, in the later round's order (by score), then the rest."""
    old = {r.project.ref: r for r in before.projects}
    new = {r.project.ref: r for r in after.projects}
    order = [r.project.ref for r in after.projects] + [ref for ref in old if ref not in new]
    return [
        RoundChange(
            ref=ref,
            score_before=old[ref].score if ref in old else 0,
            score_after=new[ref].score if ref in new else 0,
            selected_before=ref in old and old[ref].announced.selected,
            selected_after=ref in new and new[ref].announced.selected,
        )
        for ref in order
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation(TypedText):
    process_id: int
    scope: str
    respondent: str
    language: str
    answers: tuple[int | None, ...]  # one per question, 1-5 or None
    comment: str = ""
    session_id: int | None = None
    answered_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionSummary:
    question: str
    counts: tuple[int, ...]  # answers 1..5
    mean: float | None


def summarise_evaluations(rows: Sequence[Evaluation]) -> list[QuestionSummary]:
    """Per question, how many gave each answer and the mean of those who answered."""
    found = []
    for i, question in enumerate(QUESTIONS):
        given = [r.answers[i] for r in rows if i < len(r.answers) and r.answers[i] is not None]
        counts = tuple(sum(1 for a in given if a == v) for v in LIKERT)
        mean = sum(a for a in given if a is not None) / len(given) if given else None
        found.append(QuestionSummary(question=question, counts=counts, mean=mean))
    return found


def evaluations_csv(rows: Sequence[Evaluation]) -> str:
    """One line per evaluation; a comment starting like a formula is quoted with `'`."""
    header = ["answered_on", "scope", "respondent", "session", "language", *QUESTIONS, "comment"]
    return csv_text(header, [
        [r.answered_on.isoformat() if r.answered_on else "", r.scope, r.respondent,
         r.session_id or "", r.language, *("" if a is None else a for a in r.answers), r.comment]
        for r in rows
    ])  # fmt: skip
