"""One widget per ballot kind, shared by the resident's phone vote, the poll officer's paper entry
and the panel member's phone. `WIDGETS` maps a kind of `vilco_core.ballots.BALLOT_KINDS` to its
widget; `ballot_widget(form)` draws the widget of `form.rules.kind` and returns the `Ballot` it
holds. A widget draws one input per project (a tick, or points) under the kind's instruction,
then its running total (budget used, points used) when the values are live (not in a form).
`ballot_in_state(form)` reads the same inputs back from the session, for button callbacks.

Adding a kind: its spec in `vilco_core/ballots.py`, one widget function here and one line in
`WIDGETS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import streamlit as st

from vilco_core.ballots import Ballot, BallotRules, make_ballot
from vilco_core.model import Project
from vilco_ui.i18n import language, t
from vilco_ui.widgets import euros, inert_markdown

Values = Mapping[str, int | bool | None]  # a tick or points, by project ref


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotForm:
    """What a ballot widget draws: the rules, the projects in the order shown, the widget key of
    each project, the values to start from (a member's current ballot), and how it is shown.

    `live`: the values reach the script as they change (False inside `st.form`: no running
    total); `district`: each label names the project's district; `heading`: replaces the kind's
    instruction (the officer copies a paper ballot, nobody is choosing)."""

    rules: BallotRules
    projects: Sequence[Project]
    key: Callable[[str], str]
    given: Mapping[str, int] = field(default_factory=dict)
    frozen: bool = False
    live: bool = True
    district: bool = False
    heading: str | None = None


def _label(form: BallotForm, project: Project) -> str:
    label = f"**{inert_markdown(project.title.get(language()))}** · {euros(project.cost_cents)}"
    district = inert_markdown(project.district)
    return label + (f" · {district}" if form.district and project.district else "")


def _heading(form: BallotForm, key: str) -> None:
    st.write(form.heading if form.heading is not None else t(key))


def _ticks(form: BallotForm) -> dict[str, int | bool | None]:
    """One checkbox per project, ticked when the starting ballot names it."""
    return {
        p.ref: st.checkbox(
            _label(form, p),
            value=p.ref in form.given,
            key=form.key(p.ref),
            disabled=form.frozen,
            help=inert_markdown(p.description.get(language())),
        )
        for p in form.projects
    }


def _points(form: BallotForm) -> dict[str, int | bool | None]:
    """One number per project, from 0 to the cap per project (else the total, else 10)."""
    rules = form.rules
    cap = rules.max_points_per_project or rules.total_points or 10
    return {
        p.ref: st.number_input(
            _label(form, p),
            0,
            cap,
            min(cap, form.given.get(p.ref, 0)),
            key=form.key(p.ref),
            disabled=form.frozen,
        )
        for p in form.projects
    }


def ballot_of(kind: str, projects: Sequence[Project], values: Values) -> Ballot:
    """The ballot the inputs hold: the projects with a tick or points, in the order shown."""
    chosen = [(p.ref, int(values[p.ref] or 0)) for p in projects if values.get(p.ref)]
    return make_ballot(kind, [ref for ref, _ in chosen], [x for _, x in chosen])


def approval(form: BallotForm) -> Ballot:
    _heading(form, "vote.choose_approval")
    return ballot_of("approval", form.projects, _ticks(form))


def knapsack(form: BallotForm) -> Ballot:
    _heading(form, "vote.choose_knapsack")
    ballot = ballot_of("knapsack", form.projects, _ticks(form))
    budget = form.rules.budget
    if form.live and budget:
        spent = sum(p.cost_cents for p in form.projects if p.ref in ballot.project_ids)
        st.progress(min(1.0, spent / budget))
        text = t("vote.budget_used", spent=euros(spent), budget=euros(budget))
        (st.error if spent > budget else st.caption)(text)
    return ballot


def cumulative(form: BallotForm) -> Ballot:
    _heading(form, "vote.choose_cumulative")
    ballot = ballot_of("cumulative", form.projects, _points(form))
    if form.live and form.rules.total_points:
        st.caption(t("vote.points_used", used=sum(ballot.points), total=form.rules.total_points))
    return ballot


Widget = Callable[[BallotForm], Ballot]
WIDGETS: dict[str, Widget] = {
    "approval": approval,
    "knapsack": knapsack,
    "cumulative": cumulative,
    "ranked": approval,  # no process offers ranked ballots yet: ticked (and sent) as approval
}


def ballot_widget(form: BallotForm) -> Ballot:
    """The widget of the form's kind; the ballot it holds now."""
    return WIDGETS[form.rules.kind](form)


def ballot_in_state(form: BallotForm) -> Ballot:
    """The ballot the form's inputs hold in the session (in a button's callback, before the
    page runs), of the form's kind."""
    values = {p.ref: st.session_state.get(form.key(p.ref)) for p in form.projects}
    return ballot_of(form.rules.kind, form.projects, values)
