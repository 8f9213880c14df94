"""The "add a rule" recipe: one function `f(RuleInput) -> RuleRun` and one `Rule` line in `RULES`
(and its `rule.<name>` texts). A toy rule registered for one test (the registry restored after)
shows up in the CLI's choices and output, the process form's options, process validation, panel
rounds and the results."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vilco_core.__main__ import main
from vilco_core.ballots import make_ballot
from vilco_core.i18n import CATALOGUE, translate
from vilco_core.model import LocalText, Process, ProcessKind, Project, ProjectStatus, StoredBallot
from vilco_core.results import explain, tally_results
from vilco_core.rules import RULES, Rule, RuleInput, RuleRun, round_rules
from vilco_core.rules.outcome import ProjectExplanation
from vilco_core.validation import validate_process

TOY = "cheapest-first"
LABEL = "rule.cheapest-first"
ASSEN = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"
ASSEN = ASSEN / "Netherlands_Assen_2024.pb"


def cheapest_first(given: RuleInput) -> RuleRun:
    """Fund the supported projects from the cheapest up while they fit (a toy, not a PB rule)."""
    instance, left = given.instance, given.instance.budget
    chosen, records = [], {}
    order = sorted(range(len(instance.projects)), key=lambda i: instance.projects[i].cost)
    for i in (i for i in order if given.supporters[i] > 0):
        project = instance.projects[i]
        if project.cost <= left:
            left -= project.cost
            chosen.append(i)
            records[i] = ProjectExplanation(
                project_id=project.project_id, cost=instance.money(project.cost), selected=True,
                reason="selected", supporters=int(given.supporters[i]),
                score=int(given.scores[i]), round=len(chosen),
            )  # fmt: skip
    return RuleRun(chosen=tuple(chosen), records=records)


TOY_RULE = Rule(name=TOY, function=cheapest_first, label=LABEL, parameters=("utility",),
                announced={"utility": "cardinality"}, round_rank=2)  # fmt: skip


@pytest.fixture
def toy_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[Rule]:
    """The toy rule in the registry (and its name in the catalogue) for one test, restored after."""
    monkeypatch.setitem(RULES, TOY, TOY_RULE)
    monkeypatch.setitem(CATALOGUE, LABEL, {"fr": "Le moins cher", "nl": "Goedkoopst",
                                           "en": "Cheapest first"})  # fmt: skip
    yield TOY_RULE
    monkeypatch.undo()
    assert TOY not in RULES and LABEL not in CATALOGUE


def test_rule_recipe_cli_offers_and_runs_it(
    toy_rule: Rule, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["tally", "--help"])
    assert f"mes,phragmen,{TOY}}}" in capsys.readouterr().out  # the choices, registry order
    assert main(["tally", str(ASSEN), "--rule", TOY, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rule"] == TOY and result["selected"]


def test_rule_recipe_cli_without_it_refuses_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["tally", str(ASSEN), "--rule", TOY, "--json"])
    assert "invalid choice" in capsys.readouterr().err


def _process(rule: str) -> Process:
    return Process(id=1, name=LocalText(fr="B", nl="B"), kind=ProcessKind.BUDGET,
                   commune_codes=("21013",), envelope_cents=500, year=2027, rule=rule)  # fmt: skip


def test_rule_recipe_validation_and_rounds(toy_rule: Rule) -> None:
    assert [e.code for e in validate_process(_process(TOY))] == []
    assert round_rules() == ("mes", "greedy", TOY)


def test_rule_recipe_unregistered_rule_is_refused() -> None:
    assert [e.code for e in validate_process(_process(TOY))] == ["errors.rule_unknown"]
    assert TOY not in round_rules()


def _project(ref: str, cost: int) -> Project:
    return Project(id=ord(ref[0]), process_id=1, ref=ref, title=LocalText(fr=ref, nl=ref),
                   description=LocalText(fr="", nl=""), cost_cents=cost, lat=50.83, lon=4.35,
                   status=ProjectStatus.ELIGIBLE)  # fmt: skip


def test_rule_recipe_results_run_it_with_its_announced_parameters(toy_rule: Rule) -> None:
    projects = [_project("A", 400), _project("B", 100), _project("C", 300)]
    ballots = [StoredBallot(receipt=str(i), process_id=1, ballot=make_ballot("approval", refs),
                            channel="phone", site_id=None, cast_on=dt.date(2027, 3, 1))
               for i, refs in enumerate([["A"], ["A", "C"], ["B", "C"]])]  # fmt: skip
    results = tally_results(_process(TOY), projects, ballots, provisional=True)
    assert results.announced.rule == TOY and results.announced.utility == "cardinality"
    assert results.announced.selected == ("B", "C")
    assert results.greedy.selected == ("A", "B")  # the comparison still runs beside it
    assert explain(results.announced.explanation("B"), TOY, "en").startswith("Funded")


def _form_script() -> None:
    from vilco_core.model import Role, StaffUser
    from vilco_ui.forms import process_form

    process_form(None, StaffUser(username="a", name="A", role=Role.ADMIN))


def test_rule_recipe_process_form_offers_it(toy_rule: Rule) -> None:
    at = AppTest.from_function(_form_script, default_timeout=30).run()
    assert not at.exception
    [rule] = [s for s in at.selectbox if s.label == translate("field.rule", "fr")]
    assert rule.options[-1] == "Le moins cher"


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_recipe_every_rule_is_named_and_translated(name: str) -> None:
    rule = RULES[name]
    assert rule.name == name and rule.label in CATALOGUE
    assert set(rule.announced) <= set(rule.parameters)
