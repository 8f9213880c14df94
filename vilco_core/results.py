"""Results of a vote: stored ballots turned into the rules' `Instance` and `Profile`, the outcome
under the announced rule beside greedy and Equal Shares, and the exports (CSV, Pabulib).

Pure: values in, a value out (the services read the ballots and pass `today`). Money stays in
cents inside the instance (`unit=100`), so the rules' amounts come back in euros, exact. The
announced rule runs with the parameters the cities use (`Rule.announced` in the registry: Equal
Shares ("mes") with cost utilities and the add1 completion); every rule with the lexicographic
tie-breaking. The ballot kind says what the rules read (`KindSpec.vote_type`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final

from vilco_core.ballots import Ballot, vote_type_of
from vilco_core.explanations import explain_project
from vilco_core.model import Phase, Process, Project, ProjectStatus, StoredBallot
from vilco_core.pabulib import write_pabulib
from vilco_core.rules import RULES, Instance, Outcome, Profile, ProjectExplanation, compute_outcome
from vilco_core.rules import Project as RuleProject
from vilco_core.rules.greedy import project_scores
from vilco_core.spreadsheet import csv_text

COMPARED: Final = ("greedy", "mes")  # the side-by-side view: "what changes with Equal Shares"
ON_BALLOT: Final = (ProjectStatus.ELIGIBLE, ProjectStatus.SELECTED, ProjectStatus.COMPLETED)


def ballot_projects(projects: Iterable[Project]) -> list[Project]:
    """The projects residents vote on (eligible ones; selected and completed stay listed). A
    project withdrawn during the vote is not among them: no rule selects it, and the entries
    naming it are dropped (its voters' other choices still count)."""
    return sorted((p for p in projects if p.status in ON_BALLOT), key=lambda p: p.ref)


def build_profile(
    process: Process, projects: Sequence[Project], ballots: Sequence[StoredBallot]
) -> tuple[Instance, Profile, int]:
    """The instance (projects on the ballot, the envelope) and one profile row per ballot.

    Returns also how many ballot entries named a project no longer on the ballot (dropped)."""
    listed = ballot_projects(projects)
    instance = Instance(
        projects=tuple(
            RuleProject(project_id=p.ref, cost=p.cost_cents, name=p.title.exact("fr"))
            for p in listed
        ),
        budget=process.envelope_cents,
        unit=100,
        vote_type=vote_type_of(process.ballot.kind),
        meta=_meta(process),
    )
    profile, dropped = profile_of(instance, [stored.ballot for stored in ballots])
    return instance, profile, dropped


def profile_of(instance: Instance, ballots: Iterable[Ballot]) -> tuple[Profile, int]:
    """One profile row per ballot over the instance's projects, and how many ballot entries
    named a project not in the instance (dropped)."""
    index = instance.index()
    rows: list[list[int]] = []
    points: list[list[int]] = []
    dropped = 0
    for b in ballots:
        kept = [(index[r], x) for r, x in zip(b.project_ids, b.weights, strict=True) if r in index]
        dropped += len(b.project_ids) - len(kept)
        rows.append([i for i, _ in kept])
        points.append([x for _, x in kept])
    return Profile.from_ballots(rows, points), dropped


def _meta(process: Process) -> dict[str, str]:
    announced = RULES.get(process.rule)
    rule = (announced.pabulib if announced else "") or process.rule
    vote = next((w for w in process.phases if w.phase is Phase.VOTE), None)
    begin, end = (
        (vote.starts_on.strftime("%d.%m.%Y"), vote.ends_on.strftime("%d.%m.%Y"))
        if vote is not None
        else (str(process.year), str(process.year))
    )
    return {
        "description": process.name.exact("fr"),
        "country": "Belgium",
        "unit": process.name.exact("fr"),
        "instance": str(process.year),
        "rule": rule,
        "date_begin": begin,
        "date_end": end,
        "currency": "EUR",
    }


def run_rule(instance: Instance, profile: Profile, rule: str) -> Outcome:
    """`rule` with the parameters a process announcing it uses (`Rule.announced`)."""
    announced = RULES[rule].announced if rule in RULES else {}
    return compute_outcome(instance, profile, rule=rule, **announced)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectResult:
    """One project's votes and what each rule decided about it, and why."""

    project: Project
    votes: int  # ballots naming it
    announced: ProjectExplanation
    greedy: ProjectExplanation
    mes: ProjectExplanation

    @property
    def score(self) -> int:
        """Greedy's score: votes, or points on a cumulative ballot."""
        return self.greedy.score or 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessResults:
    """Everything a results page shows; `provisional` until the vote phase has ended."""

    process: Process
    ballot_count: int
    dropped_entries: int
    provisional: bool
    announced: Outcome
    greedy: Outcome
    mes: Outcome
    projects: tuple[ProjectResult, ...]  # most votes first
    instance: Instance
    profile: Profile
    withdrawn: tuple[Project, ...] = ()  # taken off the ballot during the vote (`locking`)
    min_supporters: int = 0  # projects with fewer supporters were not in the running

    @property
    def winners(self) -> tuple[ProjectResult, ...]:
        """The projects the announced rule selects, in the order it selected them."""
        by_ref = {r.project.ref: r for r in self.projects}
        return tuple(by_ref[ref] for ref in self.announced.selected)

    @property
    def entering(self) -> tuple[ProjectResult, ...]:
        """Selected by Equal Shares, not by greedy."""
        return tuple(r for r in self.projects if r.mes.selected and not r.greedy.selected)

    @property
    def leaving(self) -> tuple[ProjectResult, ...]:
        """Selected by greedy, not by Equal Shares."""
        return tuple(r for r in self.projects if r.greedy.selected and not r.mes.selected)

    @property
    def spent_cents(self) -> int:
        return int(self.announced.cost * 100)


def tally_results(
    process: Process,
    projects: Sequence[Project],
    ballots: Sequence[StoredBallot],
    *,
    provisional: bool,
    min_supporters: int = 0,
) -> ProcessResults:
    """The announced rule, greedy and Equal Shares on the same ballots.

    A project with fewer than `min_supporters` supporters is left out of every rule's run and
    listed unselected with the reason `below_threshold` (the rules themselves stay pabutools');
    the instance and profile kept for the exports still hold it."""
    instance, profile, dropped = build_profile(process, projects, ballots)
    supporters = profile.supporters(len(instance.projects))
    below = [i for i in range(len(instance.projects)) if supporters[i] < min_supporters]
    ruled, ruled_profile = instance, profile
    if below:
        gone = {instance.projects[i].project_id for i in below}
        kept = tuple(p for p in instance.projects if p.project_id not in gone)
        ruled = replace(instance, projects=kept)
        ruled_profile, _ = profile_of(ruled, [stored.ballot for stored in ballots])
    records = _below_records(instance, profile, below)
    outcomes = {
        rule: _with_records(run_rule(ruled, ruled_profile, rule), records)
        for rule in {process.rule, *COMPARED}
    }
    announced, greedy, mes = outcomes[process.rule], outcomes["greedy"], outcomes["mes"]
    by_ref = {p.ref: p for p in projects}
    rows = [
        ProjectResult(
            project=by_ref[rp.project_id],
            votes=int(supporters[i]),
            announced=announced.explanation(rp.project_id),
            greedy=greedy.explanation(rp.project_id),
            mes=mes.explanation(rp.project_id),
        )
        for i, rp in enumerate(instance.projects)
    ]
    rows.sort(key=lambda r: (-r.score, r.project.ref))
    return ProcessResults(
        process=process,
        ballot_count=profile.num_voters,
        dropped_entries=dropped,
        provisional=provisional,
        announced=announced,
        greedy=greedy,
        mes=mes,
        projects=tuple(rows),
        instance=instance,
        profile=profile,
        withdrawn=tuple(p for p in projects if p.status is ProjectStatus.WITHDRAWN),
        min_supporters=min_supporters,
    )


def _below_records(
    instance: Instance, profile: Profile, below: Sequence[int]
) -> tuple[ProjectExplanation, ...]:
    """The records of the projects under the threshold: not funded, `below_threshold`."""
    if not below:
        return ()
    supporters = profile.supporters(len(instance.projects))
    scores = project_scores(instance, profile)
    return tuple(
        ProjectExplanation(
            project_id=instance.projects[i].project_id,
            cost=instance.money(instance.projects[i].cost),
            selected=False,
            reason="below_threshold",
            supporters=int(supporters[i]),
            score=int(scores[i]),
        )
        for i in below
    )


def _with_records(outcome: Outcome, records: tuple[ProjectExplanation, ...]) -> Outcome:
    return replace(outcome, explanations=outcome.explanations + records) if records else outcome


def format_euros(amount: Fraction | int) -> str:
    """An amount in euros, rounded to the cent: `12 345,67 €` (whole euros without decimals)."""
    cents = round(Fraction(amount) * 100)
    whole, rest = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", "\u202f") + (f",{rest:02d}" if rest else "") + " €"
    return f"-{text}" if cents < 0 else text


def explain(
    record: ProjectExplanation, rule: str, language: str, *, budget: Fraction | None = None
) -> str:
    """Why a project won or lost under `rule`, in `language`: one plain sentence with its
    figures (see `vilco_core.explanations`); `budget` names a project dearer than all of it."""
    return explain_project(record, rule, language, budget=budget)


def results_csv(results: ProcessResults, language: str) -> str:
    """One row per project: votes, cost, whether each rule selects it, and why (announced)."""
    rules = [results.announced.rule, *(r for r in COMPARED if r != results.announced.rule)]
    selected = [f"selected_{r}" for r in rules]
    header = ["project", "title", "votes", "score", "cost_eur", *selected, "explanation"]
    return csv_text(header, [_csv_row(row, rules, results, language) for row in results.projects])


def _csv_row(
    row: ProjectResult, rules: Sequence[str], results: ProcessResults, language: str
) -> list[object]:
    records: dict[str, ProjectExplanation] = {
        results.announced.rule: row.announced,
        "greedy": row.greedy,
        "mes": row.mes,
    }
    return [
        row.project.ref,
        row.project.title.get(language),
        row.votes,
        row.score,
        f"{row.project.cost_cents // 100}.{row.project.cost_cents % 100:02d}",
        *(int(records[r].selected) for r in rules),
        explain(row.announced, results.announced.rule, language, budget=results.announced.budget),
    ]


def results_pabulib(results: ProcessResults) -> str:
    """The ballots and projects as a Pabulib `.pb` file, the announced winners marked; a
    minimum number of supporters is written as Pabulib's `min_project_score_threshold` (and
    greedy then as `greedy-threshold`, the rule that reads it).

    Voters are numbered 1..n in the stored (random) order; receipts are not published."""
    instance = results.instance
    if results.min_supporters > 0:
        meta = dict(instance.meta)
        meta["min_project_score_threshold"] = str(results.min_supporters)
        if meta.get("rule") == "greedy":
            meta["rule"] = "greedy-threshold"
        instance = replace(instance, meta=meta)
    return write_pabulib(instance, results.profile, results.announced.selected)
