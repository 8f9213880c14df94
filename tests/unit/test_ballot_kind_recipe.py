"""The "add a ballot kind" recipe: one `KindSpec` in `BALLOT_KINDS`, one widget in `WIDGETS`, its
texts. A toy kind registered for one test (the registries restored after) shows up everywhere a
kind should: ballot and process validation, the process form's kind options, panel rounds, paper
lines, the widgets, and what the rules read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

import pytest
from streamlit.testing.v1 import AppTest

from vilco_core.ballots import (
    BALLOT_KINDS,
    Ballot,
    BallotRules,
    KindSpec,
    make_ballot,
    paper_line,
    process_kinds,
    round_kinds,
    validate_ballot,
)
from vilco_core.codes import generate_code
from vilco_core.deliberation import PanelRound
from vilco_core.errors import VilcoError
from vilco_core.i18n import CATALOGUE, translate
from vilco_core.model import LocalText, Process, ProcessKind, Project, ProjectStatus, StoredBallot
from vilco_core.results import build_profile
from vilco_core.services import voting
from vilco_core.validation import validate_process
from vilco_ui.ballot_widgets import WIDGETS, BallotForm, ballot_of

TOY = "tokens"
TEXTS = {
    f"ballot_kind.{TOY}": "Jetons",
    f"vote.choose_{TOY}": "Posez vos jetons.",
    f"panel.kind_{TOY}": "Jetons (panel)",
}
COSTS = {"A": 100, "B": 200, "C": 300}


def _at_most_three(ballot: Ballot, rules: BallotRules, costs: Mapping[str, int]) -> None:
    for ref, tokens in zip(ballot.project_ids, ballot.points, strict=True):
        if tokens > 3:
            raise VilcoError("ballot.points_over_cap", project=ref, points=tokens, cap=3)


def _toy_widget(form: BallotForm) -> Ballot:
    """Three tokens at most per project (the recipe's widget: inputs in, `ballot_of` out)."""
    import streamlit as st

    st.write(form.heading or "Posez vos jetons.")
    values = {p.ref: st.number_input(p.ref, 0, 3, 0, key=form.key(p.ref)) for p in form.projects}
    return ballot_of(TOY, form.projects, values)


TOY_SPEC = KindSpec(
    name=TOY,
    vote_type="cumulative",
    points=True,
    settings=("min_projects", "max_projects", "total_points"),
    round_rank=3,
    check=_at_most_three,
)


@pytest.fixture
def toy_kind(monkeypatch: pytest.MonkeyPatch) -> Iterator[KindSpec]:
    """The toy kind in the registries (spec, widget, texts) for one test, restored after."""
    monkeypatch.setitem(BALLOT_KINDS, TOY, TOY_SPEC)
    monkeypatch.setitem(WIDGETS, TOY, _toy_widget)
    for key, text in TEXTS.items():
        monkeypatch.setitem(CATALOGUE, key, {"fr": text, "nl": text, "en": text})
    yield TOY_SPEC
    monkeypatch.undo()
    assert TOY not in BALLOT_KINDS and TOY not in WIDGETS and f"ballot_kind.{TOY}" not in CATALOGUE


def _project(ref: str, cost: int) -> Project:
    return Project(id=ord(ref[0]), process_id=1, ref=ref, title=LocalText(fr=ref, nl=ref),
                   description=LocalText(fr="", nl=""), cost_cents=cost, lat=50.83, lon=4.35,
                   status=ProjectStatus.ELIGIBLE)  # fmt: skip


def _process(ballot: BallotRules) -> Process:
    name = LocalText(fr="B", nl="B")
    return Process(id=1, name=name, kind=ProcessKind.BUDGET, commune_codes=("21013",),
                   envelope_cents=600, year=2027, ballot=ballot)  # fmt: skip


def test_ballot_kind_recipe_validation(toy_kind: KindSpec) -> None:
    rules = BallotRules(kind=TOY, total_points=9)
    ok = make_ballot(TOY, ["A", "B"], [3, 1])
    assert ok.points == (3, 1)  # a kind with points keeps them
    assert validate_ballot(ok, rules, COSTS) == ok
    with pytest.raises(VilcoError) as refused:
        validate_ballot(make_ballot(TOY, ["A"], [4]), rules, COSTS)
    assert refused.value.code == "ballot.points_over_cap"
    with pytest.raises(VilcoError) as unknown:  # the common checks apply too
        validate_ballot(make_ballot(TOY, ["Z"], [1]), rules, COSTS)
    assert unknown.value.code == "ballot.unknown_project"
    assert TOY in process_kinds()
    assert [e.code for e in validate_process(_process(rules))] == []


def test_ballot_kind_recipe_unregistered_kind_is_refused() -> None:
    assert TOY not in process_kinds() and TOY not in round_kinds()
    problems = validate_process(_process(BallotRules(kind=TOY, total_points=9)))
    assert [e.code for e in problems] == ["errors.ballot_kind_unknown"]


def test_ballot_kind_recipe_rounds_and_rules_input(toy_kind: KindSpec) -> None:
    assert round_kinds()[-1] == TOY  # after the built-in kinds (round_rank 3)
    rnd = PanelRound(id=1, session_id=1, number=1, kind=TOY, projects=("A", "B"),
                     budget_cents=600, rule="mes", state="open", max_projects=1)  # fmt: skip
    assert rnd.rules() == BallotRules(kind=TOY, max_projects=1)  # the default `for_round`
    projects = [_project(ref, cost) for ref, cost in COSTS.items()]
    stored = [StoredBallot(receipt=str(i), process_id=1, ballot=b, channel="phone", site_id=None,
                           cast_on=dt.date(2027, 3, 1))
              for i, b in enumerate([make_ballot(TOY, ["A", "C"], [3, 2]),
                                     make_ballot(TOY, ["C"], [1])])]  # fmt: skip
    instance, profile, dropped = build_profile(_process(BallotRules(kind=TOY)), projects, stored)
    assert instance.vote_type == "cumulative" and dropped == 0
    assert profile.points.tolist() == [3, 2, 1]


def test_ballot_kind_recipe_paper_lines(toy_kind: KindSpec) -> None:
    code = generate_code()
    line = paper_line(code, make_ballot(TOY, ["A", "B"], [2, 1]))
    assert line == f"{code} ; A:2 B:1"
    lines, problems = voting.parse_paper_lines(line, TOY)
    assert problems == []
    assert lines[0].ballot == Ballot(kind=TOY, project_ids=("A", "B"), points=(2, 1))


def _form_script() -> None:
    import streamlit as st

    from vilco_core.model import Role, StaffUser
    from vilco_ui.forms import process_form

    process_form(None, StaffUser(username="a", name="A", role=Role.ADMIN))
    st.session_state["loaded"] = True


def test_ballot_kind_recipe_process_form_offers_it(toy_kind: KindSpec) -> None:
    at = AppTest.from_function(_form_script, default_timeout=30).run()
    assert not at.exception
    [kind] = [s for s in at.selectbox if s.label == translate("field.ballot_kind", "fr")]
    assert kind.options[-1] == "Jetons"  # after the built-in kinds
    kind.set_value(TOY).run()
    assert not at.exception


def _widget_script() -> None:
    import streamlit as st

    from vilco_core.ballots import BallotRules
    from vilco_core.model import LocalText, Project, ProjectStatus
    from vilco_ui.ballot_widgets import BallotForm, ballot_widget

    projects = [
        Project(id=i, process_id=1, ref=ref, title=LocalText(fr=ref, nl=ref),
                description=LocalText(fr="", nl=""), cost_cents=100, lat=50.83, lon=4.35,
                status=ProjectStatus.ELIGIBLE)
        for i, ref in enumerate(["A", "B"])
    ]  # fmt: skip
    form = BallotForm(rules=BallotRules(kind="tokens"), projects=projects, key=lambda r: f"t-{r}")
    st.session_state["ballot"] = ballot_widget(form)


def test_ballot_kind_recipe_widget_draws_its_ballot(toy_kind: KindSpec) -> None:
    at = AppTest.from_function(_widget_script, default_timeout=30).run()
    assert not at.exception
    at.number_input(key="t-B").set_value(2).run()
    assert at.session_state["ballot"] == Ballot(kind=TOY, project_ids=("B",), points=(2,))


@pytest.mark.parametrize("kind", sorted(BALLOT_KINDS))
def test_ballot_kind_recipe_every_kind_has_a_widget_and_its_texts(kind: str) -> None:
    spec = BALLOT_KINDS[kind]
    assert kind in WIDGETS and spec.name == kind
    wanted = [f"ballot_kind.{kind}", f"vote.choose_{kind}"] if spec.process else []
    wanted += [f"panel.kind_{kind}"] if spec.round_rank is not None else []
    assert [key for key in wanted if key not in CATALOGUE] == []
