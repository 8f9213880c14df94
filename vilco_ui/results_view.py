"""The results page's pieces: computing (through the cache the projector shares), the status label,
the budget bar, the votes-against-cost chart, the explanations, greedy beside Equal Shares, the
winners' map and the downloads. Figures come from `vilco_core.results`; texts through `t`."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from vilco_core.model import Phase, ProjectStatus
from vilco_core.results import (
    ProcessResults,
    ProjectResult,
    explain,
    format_euros,
    results_csv,
    results_pabulib,
)
from vilco_core.rules import rule_label
from vilco_core.store import database_url
from vilco_ui import results_cache
from vilco_ui.i18n import language, t
from vilco_ui.widgets import inert_markdown, project_map

SHOWN_CAP = 300  # projects drawn in the chart, table and map; the downloads list every one
SELECTED_COLOUR = "#0b6e4f"
OTHER_COLOUR = "#9aa5b1"


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
    """Provisional (with the vote's end date) or final, and the headline figures."""
    if results.provisional:
        votes = [w for w in results.process.phases if w.phase is Phase.VOTE]
        if votes:
            end = max(w.ends_on for w in votes).isoformat()
            st.warning(t("results.provisional", end=end), icon=":material/hourglass_top:")
        else:
            st.warning(t("results.no_vote_phase"), icon=":material/hourglass_top:")
    else:
        st.success(t("results.final"), icon=":material/check_circle:")
    rule = t(rule_label(results.announced.rule))
    st.markdown(t("results.rule", rule=rule))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("results.ballots"), results.ballot_count)
    c2.metric(t("results.winner_count"), len(results.winners))
    c3.metric(t("results.spent"), format_euros(results.announced.cost))
    c4.metric(t("results.envelope"), format_euros(results.announced.budget))
    if results.dropped_entries:
        st.caption(t("results.dropped", count=results.dropped_entries))
    for p in results.withdrawn:
        title, reason = p.title.get(language()), p.withdrawn_reason
        text = t("results.withdrawn", title=inert_markdown(title), reason=inert_markdown(reason))
        st.warning(text, icon=":material/block:")


def budget_bar(results: ProcessResults) -> None:
    share = float(results.announced.cost / results.announced.budget)
    text = t(
        "results.budget_bar",
        spent=format_euros(results.announced.cost),
        envelope=format_euros(results.announced.budget),
        percent=f"{share * 100:.1f}",
    )
    st.progress(min(1.0, share), text=text)


def winners_list(results: ProcessResults) -> None:
    lang = language()
    lines = [
        f"{i}. **{inert_markdown(r.project.title.get(lang))}** ({r.project.ref}) — "
        f"{format_euros(r.project.cost_cents / 100)} · {r.votes} {t('results.votes').lower()}"
        for i, r in enumerate(results.winners, start=1)
    ]
    st.markdown("\n".join(lines))


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
        st.caption(t("results.capped", shown=count, total=len(results.projects)))


def chart(results: ProcessResults) -> None:
    """Votes against cost, winners of the announced rule highlighted."""
    lang = language()
    yes, no = t("results.selected"), t("results.not_selected")
    frame = pd.DataFrame(
        [
            {
                "title": r.project.title.get(lang),
                "ref": r.project.ref,
                "cost": r.project.cost_cents / 100,
                "votes": r.votes,
                "outcome": yes if r.announced.selected else no,
            }
            for r in on_screen(results)
        ]
    )
    points = (
        alt.Chart(frame, title=t("results.chart"))
        .mark_circle(size=140, opacity=0.85)
        .encode(
            x=alt.X("cost:Q", title=t("results.cost")),
            y=alt.Y("votes:Q", title=t("results.votes")),
            color=alt.Color(
                "outcome:N",
                title=t("results.outcome"),
                scale=alt.Scale(domain=[yes, no], range=[SELECTED_COLOUR, OTHER_COLOUR]),
            ),
            tooltip=[
                alt.Tooltip("title:N", title=t("results.project")),
                alt.Tooltip("votes:Q", title=t("results.votes")),
                alt.Tooltip("cost:Q", title=t("results.cost"), format=",.0f"),
            ],
        )
    )
    labels = points.mark_text(dx=9, align="left", fontSize=10, color="#333").encode(text="ref:N")
    st.altair_chart(points + labels, width="stretch")


def explanations(results: ProcessResults) -> None:
    """One row per project: votes, cost, outcome and why, under the announced rule."""
    lang, rule = language(), results.announced.rule
    rows = [
        {
            t("results.project"): f"{r.project.ref} — {r.project.title.get(lang)}",
            t("results.votes"): r.votes,
            t("results.cost"): format_euros(r.project.cost_cents / 100),
            t("results.outcome"): t(
                "results.selected" if r.announced.selected else "results.not_selected"
            ),
            t("results.why"): explain(r.announced, rule, lang),
        }
        for r in on_screen(results)
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={t("results.why"): st.column_config.TextColumn(width="large")},
    )
    if results.mes.voter_budget is not None and rule == "mes":
        st.caption(t("results.voter_share", share=format_euros(results.mes.voter_budget)))


def _titles(rows: tuple[ProjectResult, ...]) -> str:
    lang = language()
    return "\n".join(
        f"- {inert_markdown(r.project.title.get(lang))} "
        f"({format_euros(r.project.cost_cents / 100)})"
        for r in rows
    )


def comparison(results: ProcessResults) -> None:
    """Greedy beside Equal Shares, then the projects that enter and leave."""
    st.caption(t("results.compare_help"))
    lang = language()
    columns = st.columns(2)
    for column, outcome, key in (
        (columns[0], results.greedy, "results.greedy_column"),
        (columns[1], results.mes, "results.mes_column"),
    ):
        spent = format_euros(outcome.cost)
        column.markdown(f"**{t(key, count=len(outcome.selected), spent=spent)}**")
        by_ref = {r.project.ref: r for r in results.projects}
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
def _exported(
    key: tuple[str, int | None, int, bool, str, str, str], _results: ProcessResults
) -> str:
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
