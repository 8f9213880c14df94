"""The results page's pieces: computing (through the cache the projector shares), the status label,
the budget bar, the votes-against-cost chart, the explanations, greedy beside Equal Shares, the
winners' map and the downloads. Figures come from `vilco_core.results`; texts through `t`."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from html import escape

import altair as alt
import pandas as pd
import streamlit as st

from vilco_core.explanations import family_of, how_chosen
from vilco_core.i18n.formats import (
    format_cents,
    format_date,
    format_integer,
    format_money,
    format_percent,
    number_locale,
    plural,
)
from vilco_core.model import Phase, ProjectStatus
from vilco_core.results import ProcessResults, ProjectResult, explain, results_csv, results_pabulib
from vilco_core.rules import rule_label
from vilco_core.store import database_url
from vilco_ui import results_cache
from vilco_ui.i18n import language, t
from vilco_ui.widgets import inert_markdown, project_map

ExportKey = tuple[str, int | None, tuple[int, int], bool, str, str, str]
SHOWN_CAP = 300  # projects drawn in the chart, table and map; the downloads list every one
FUNDED = "#0b6e4f"
NOT_FUNDED = "#7b8794"  # darker than the old grey: readable on white, still apart in greyscale
# Our own stylesheet for the cards (no user text in it): a grid of as many 18rem columns as fit,
# one on a phone; text wraps, nothing is cut; funded cards carry a green edge AND a ✔ badge.
CARD_STYLE = """<style>
.vilco-cards {display: grid; gap: 0.75rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 18rem), 1fr));
  margin: 0.25rem 0 1rem 0;}
.vilco-card {border: 1px solid #c9ced6; border-left: 6px solid #7b8794; border-radius: 0.5rem;
  padding: 0.6rem 0.8rem; background: #fff; min-width: 0; overflow-wrap: anywhere;}
.vilco-card.funded {border-left-color: #0b6e4f; background: #f1f8f5;}
.vilco-card p, .vilco-card h4 {margin: 0 0 0.3rem 0; padding: 0;}
.vilco-card-head {display: flex; justify-content: space-between; gap: 0.5rem; font-size: 0.85rem;}
.vilco-badge {font-weight: 700; color: #4a5360;}
.funded .vilco-badge {color: #0b6e4f;}
.vilco-ref {color: #4a5360;}
.vilco-card-title {font-size: 1.05rem; font-weight: 700; line-height: 1.3;}
.vilco-card-figures {font-size: 0.95rem; color: #1f2933;}
.vilco-why {font-size: 0.95rem; line-height: 1.4; color: #1f2933;}
</style>"""


def compute(process_id: int, today: dt.date) -> results_cache.Envelopes | None:
    """The results of each envelope (`vilco_core.envelopes`), behind a spinner (Equal Shares
    on a large vote takes a moment); None while a worker computes the first results of a
    process above the cap (`results_cache`)."""
    count = results_cache.ballot_count(process_id)
    with st.spinner(t("results.computing"), show_time=True):
        return results_cache.process_results(process_id, count, today)


@st.fragment(run_every=3)
def wait_for_worker(process_id: int, shown: ProcessResults | None) -> None:
    """While a worker computes: say so, look again every 3 s, rerun the page when it is done."""
    if not results_cache.pending(process_id):
        st.rerun(scope="app")
    if shown is None:
        st.info(t("results.being_computed"), icon=":material/hourglass_top:")
    else:
        st.caption(t("results.updating", count=shown.ballot_count))


def status(results: ProcessResults) -> None:
    """Provisional (with the vote's end date) or final, and the rule announced."""
    lang = language()
    if results.provisional:
        votes = [w for w in results.process.phases if w.phase is Phase.VOTE]
        if votes:
            end = format_date(max(w.ends_on for w in votes), lang)
            st.warning(t("results.provisional", end=end), icon=":material/hourglass_top:")
        else:
            st.warning(t("results.no_vote_phase"), icon=":material/hourglass_top:")
    else:
        st.success(t("results.final"), icon=":material/check_circle:")
    rule = t(rule_label(results.announced.rule))
    st.markdown(t("results.rule", rule=rule))
    if results.dropped_entries:
        st.caption(t("results.dropped", count=format_integer(results.dropped_entries, lang)))
    for p in results.withdrawn:
        title, reason = p.title.get(lang), p.withdrawn_reason
        text = t("results.withdrawn", title=inert_markdown(title), reason=inert_markdown(reason))
        st.warning(text, icon=":material/block:")


def outcome(results: ProcessResults, *, label: str | None = None, key: str = "") -> None:
    """One outcome, whole: the figures, the winners in the order chosen, how the rule chose
    them, the chart, every project's card and greedy beside Equal Shares. `label` names the
    envelope shown (a district's sub-budget) above it; a page shows several by calling this
    once per outcome, each with its own `key` (the envelope's: the chart's widget key)."""
    if label:
        st.header(inert_markdown(label), divider="gray")
    figures(results)
    budget_bar(results)
    st.subheader(t("results.winners"))
    st.caption(t("results.winners_order"))
    winners_list(results)
    st.subheader(t("results.how_title"))
    how_chosen_text(results)
    cap_note(results)
    chart(results, key=key or label or "")
    st.subheader(t("results.explanations"))
    project_cards(results)
    st.subheader(t("results.compare"))
    comparison(results)


def figures(results: ProcessResults) -> None:
    """Ballots, winners, money allocated and the envelope, as the language writes them."""
    lang = language()
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("results.ballots"), format_integer(results.ballot_count, lang))
    c2.metric(t("results.winner_count"), format_integer(len(results.winners), lang))
    c3.metric(t("results.spent"), format_money(results.announced.cost, lang))
    c4.metric(t("results.envelope"), format_money(results.announced.budget, lang))


def budget_bar(results: ProcessResults) -> None:
    lang = language()
    share = results.announced.cost / results.announced.budget if results.announced.budget else 0
    text = t(
        "results.budget_bar",
        spent=format_money(results.announced.cost, lang),
        envelope=format_money(results.announced.budget, lang),
        percent=format_percent(share, lang),
    )
    st.progress(min(1.0, float(share)), text=text)


def winners_list(results: ProcessResults) -> None:
    """The winners, numbered in the order the rule chose them."""
    lang = language()
    lines = [
        f"{i}. **{inert_markdown(r.project.title.get(lang))}** ({r.project.ref}) — "
        f"{format_cents(r.project.cost_cents, lang)}\u00a0· {_votes(r, lang)}"
        for i, r in enumerate(results.winners, start=1)
    ]
    st.markdown("\n".join(lines) or "—")


def _votes(row: ProjectResult, lang: str) -> str:
    return plural("results.vote_count", row.votes, lang)


def how_chosen_text(results: ProcessResults) -> None:
    """How the announced rule chose (a link to equalshares.net for Equal Shares)."""
    lang, rule = language(), results.announced.rule
    st.markdown(how_chosen(rule, lang))
    if results.announced.voter_budget is not None and family_of(rule) == "shares":
        share = format_money(results.announced.voter_budget, lang)
        st.caption(t("results.voter_share", share=share))


def on_screen(results: ProcessResults) -> tuple[ProjectResult, ...]:
    """The projects drawn on screen: all of them, or above `SHOWN_CAP` every winner and the most
    voted up to the cap (a 5,001-row table, chart and map cost each visitor seconds)."""
    if len(results.projects) <= SHOWN_CAP:
        return results.projects
    winners = {r.project.ref for r in results.winners}
    room = max(0, SHOWN_CAP - len(winners))
    others = [r for r in results.projects if r.project.ref not in winners][:room]
    kept = winners | {r.project.ref for r in others}
    return tuple(r for r in results.projects if r.project.ref in kept)


def cap_note(results: ProcessResults) -> None:
    """Say that only part of a very large vote is drawn, and where the rest is."""
    count = len(on_screen(results))
    if count < len(results.projects):
        lang = language()
        total = format_integer(len(results.projects), lang)
        st.caption(t("results.capped", shown=format_integer(count, lang), total=total))


def _why(results: ProcessResults, row: ProjectResult) -> str:
    rule, budget = results.announced.rule, results.announced.budget
    return explain(row.announced, rule, language(), budget=budget)


def chart(results: ProcessResults, key: str = "") -> None:
    """Cost against votes, one mark per project: funded in green circles, the others in grey
    triangles (the shape tells them apart in grey too), the title and why on hover or touch,
    axes in the language's number format."""
    lang = language()
    yes, no = t("results.funded"), t("results.not_funded")
    frame = pd.DataFrame(
        [
            {
                "title": r.project.title.get(lang),
                "cost": r.project.cost_cents / 100,
                "votes": r.votes,
                "outcome": yes if r.announced.selected else no,
                "cost_text": format_cents(r.project.cost_cents, lang),
                "votes_text": _votes(r, lang),
                "why": _why(results, r),
            }
            for r in on_screen(results)
        ]
    )
    legend = alt.Legend(orient="top", title=None, labelFontSize=14, symbolSize=160)
    points = (
        alt.Chart(frame)
        .mark_point(size=140, filled=True, opacity=0.9, strokeWidth=1)
        .encode(
            x=alt.X(
                "cost:Q",
                title=t("results.chart_cost"),
                axis=alt.Axis(
                    format="$,.0f",
                    tickCount=alt.expr("max(2, floor(width / 110))"),  # fewer on a phone
                    labelFlush=True,
                    labelOverlap="greedy",
                    labelSeparation=12,
                ),
            ),
            y=alt.Y(
                "votes:Q",
                title=t("results.chart_votes"),
                axis=alt.Axis(format=",.0f", tickMinStep=1),
            ),
            color=alt.Color(
                "outcome:N",
                legend=legend,
                scale=alt.Scale(domain=[yes, no], range=[FUNDED, NOT_FUNDED]),
            ),
            shape=alt.Shape(
                "outcome:N",
                legend=legend,
                scale=alt.Scale(domain=[yes, no], range=["circle", "triangle-down"]),
            ),
            tooltip=[
                alt.Tooltip("title:N", title=t("results.project")),
                alt.Tooltip("votes_text:N", title=t("results.chart_votes")),
                alt.Tooltip("cost_text:N", title=t("results.chart_cost")),
                alt.Tooltip("why:N", title=t("results.why")),
            ],
        )
        .properties(height=340, description=t("results.chart_help"))
        .configure(locale={"number": number_locale(lang)})
        .configure_axis(labelFontSize=13, titleFontSize=14)
    )
    st.caption(t("results.chart_help"))
    st.altair_chart(points, width="stretch", key=f"results-chart-{key}")


def project_cards(results: ProcessResults) -> None:
    """Every project as a card (title, cost, votes, funded or not, the sentence), most votes
    first: one column on a phone, as many as fit on a wide screen, text always wrapped."""
    lang = language()
    st.caption(t("results.all_projects"))
    cards = "".join(
        _card(
            title=r.project.title.get(lang),
            ref=r.project.ref,
            figures=f"{format_cents(r.project.cost_cents, lang)} · {_votes(r, lang)}",
            funded=r.announced.selected,
            why=_why(results, r),
        )
        for r in on_screen(results)
    )
    st.html(f'{CARD_STYLE}<div class="vilco-cards">{cards}</div>')


def _card(*, title: str, ref: str, figures: str, funded: bool, why: str) -> str:
    state = "funded" if funded else "not-funded"
    badge = ("✔ " + t("results.funded")) if funded else ("✕ " + t("results.not_funded"))
    return (
        f'<article class="vilco-card {state}">'
        f'<p class="vilco-card-head"><span class="vilco-badge">{escape(badge)}</span>'
        f'<span class="vilco-ref">{escape(ref)}</span></p>'
        f'<h4 class="vilco-card-title">{escape(title)}</h4>'
        f'<p class="vilco-card-figures">{escape(figures)}</p>'
        f'<p class="vilco-why">{escape(why)}</p></article>'
    )


def _titles(rows: tuple[ProjectResult, ...]) -> str:
    lang = language()
    return "\n".join(
        f"- {inert_markdown(r.project.title.get(lang))} "
        f"({format_cents(r.project.cost_cents, lang)})"
        for r in rows
    )


def comparison(results: ProcessResults) -> None:
    """Greedy beside Equal Shares, then the projects that enter and leave."""
    st.caption(t("results.compare_help"))
    lang = language()
    columns = st.columns(2)
    by_ref = {r.project.ref: r for r in results.projects}
    for column, outcome, key in (
        (columns[0], results.greedy, "results.greedy_column"),
        (columns[1], results.mes, "results.mes_column"),
    ):
        spent = format_money(outcome.cost, lang)
        column.markdown(f"**{t(key, count=len(outcome.selected), spent=spent)}**")
        column.markdown(
            "\n".join(
                f"{i}. {inert_markdown(by_ref[ref].project.title.get(lang))}"
                for i, ref in enumerate(outcome.selected, 1)
            )
        )
    if not results.entering and not results.leaving:
        st.info(t("results.no_change"))
        return
    enter, leave = st.columns(2)
    enter.success(f"**{t('results.entering')}**\n\n{_titles(results.entering) or '—'}")
    leave.error(f"**{t('results.leaving')}**\n\n{_titles(results.leaving) or '—'}")


def outcome_map(results: ProcessResults, height: int) -> None:
    """Every project on the map: selected in green, the others shown as not selected."""
    shown = [
        replace(
            r.project,
            status=ProjectStatus.SELECTED if r.announced.selected else ProjectStatus.REJECTED,
        )
        for r in on_screen(results)
    ]
    project_map(shown, "status", height=height)


def winners_map(results: ProcessResults) -> None:
    outcome_map(results, height=460)
    st.caption(t("results.map_legend"))


@st.cache_resource(show_spinner=False, max_entries=32)
def _exported(key: ExportKey, _results: ProcessResults) -> str:
    """A download's text, made once per database, process, (ballots, withdrawals), state,
    language and envelope."""
    kind, language_code = key[5], key[4]
    return results_csv(_results, language_code) if kind == "csv" else results_pabulib(_results)


def _export(results: ProcessResults, language_code: str, kind: str, envelope: str = "") -> str:
    key = (database_url(), results.process.id, (results.ballot_count, len(results.withdrawn)),
           results.provisional, language_code, kind, envelope)  # fmt: skip
    return _exported(key, results)


def downloads(results: ProcessResults, envelope: str = "") -> None:
    """The CSV and the `.pb` file of one result (`envelope`: its key, in the file names)."""
    process_id = f"{results.process.id}{f'-{envelope}' if envelope else ''}"
    c1, c2 = st.columns(2)
    c1.download_button(
        t("results.download_csv"),
        _export(results, language(), "csv", envelope),
        file_name=f"vilco-results-{process_id}.csv",
        mime="text/csv",
        icon=":material/table:",
    )
    c2.download_button(
        t("results.download_pb"),
        _export(results, language(), "pb", envelope),
        file_name=f"vilco-{process_id}.pb",
        mime="text/plain",
        icon=":material/download:",
        help=t("results.download_help"),
    )
