"""The projector: a full-screen, large-type board that refreshes itself without reloading.

Two boards: a panel session's current round (members present, ballots received, the scores,
the allocation against the budget line, the winners under the announced rule, the previous
round beside it, the map and the QR to join) and a resident vote (phone and paper merged per
site, the outcome under the announced rule). Each refresh draws the same elements in the same
places (no flicker); when the database does not answer, the last good state stays on screen.
Texts come in one language or several side by side (`langs`, e.g. French and Dutch).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from vilco_core.deliberation import compare_rounds
from vilco_core.envelopes import EnvelopeResults
from vilco_core.i18n import LANGUAGES, Language, translate
from vilco_core.model import Project
from vilco_core.results import ProcessResults, format_euros
from vilco_core.rules import rule_label
from vilco_core.services import panel_rounds, panel_sessions, processes, voting
from vilco_core.store import database_url
from vilco_core.tally import Tally
from vilco_ui import db, results_cache
from vilco_ui.panel_view import qr_svg
from vilco_ui.results_view import outcome_map

_LOG = logging.getLogger(__name__)
REFRESH_SECONDS = 1.0
MAP_KEY = "vilco_projector_map"
LAST_KEY = "vilco_projector_last"
GREEN, GREY, RED = "#0b6e4f", "#9aa5b1", "#c0392b"

_STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header,
[data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
.block-container {padding: 0.8rem 1.6rem 0 1.6rem !important; max-width: 100% !important;}
html, body, [data-testid="stAppViewContainer"] {background: #ffffff; color: #000000;}
[data-testid="stMetricValue"] {font-size: 3.4rem !important; font-weight: 800;}
[data-testid="stMetricLabel"] p {font-size: 1.5rem !important; color: #111 !important;}
.stMarkdown p, .stMarkdown li {font-size: 1.6rem; line-height: 1.35;}
h1 {font-size: 2.6rem !important; padding: 0 !important;}
h3 {font-size: 1.9rem !important; padding: 0.2rem 0 !important;}
[data-stale="true"] {opacity: 1 !important;}  /* no greying while a refresh runs */
</style>
"""


def projector_style() -> None:
    """Our own static stylesheet (no user text in it): full screen, large type, contrast."""
    st.markdown(_STYLE, unsafe_allow_html=True)


def languages_of(text: str | None, fallback: Language) -> tuple[Language, ...]:
    """`fr+nl`, `fr,nl`, `nl`...: the languages to show side by side (at most three)."""
    found = [w for w in re.split(r"[^a-z]+", (text or "").lower()) if w in LANGUAGES]
    chosen = tuple(dict.fromkeys(found))[:3]
    return chosen or (fallback,)  # type: ignore[return-value]


def bi(key: str, langs: Sequence[Language], **params: Any) -> str:
    return " · ".join(dict.fromkeys(translate(key, lang, **params) for lang in langs))


def title_of(project: Project, langs: Sequence[Language]) -> str:
    return " / ".join(dict.fromkeys(project.title.get(lang) for lang in langs))


# -- the panel's board -------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=32)
def _round_results(
    url: str, round_id: int, version: tuple[int, int], state: str
) -> panel_rounds.RoundResults:
    """Recomputed only when a ballot arrives or changes, or the round closes."""
    del url, version, state  # cache keys
    return panel_rounds.round_results(db.reading(), round_id)


def _panel_state(session_id: int) -> dict[str, Any]:
    uow = db.uow
    session = panel_sessions.get_session(uow(), session_id)
    rounds = panel_rounds.list_rounds(uow(), session_id)
    outcomes = []
    for rnd in rounds[-2:]:
        version = panel_rounds.round_version(uow(), rnd.id)
        outcomes.append(_round_results(database_url(), rnd.id, version, rnd.state))
    return {"session": session, "outcomes": outcomes}


@st.fragment(run_every=REFRESH_SECONDS)
def panel_board(session_id: int, langs: tuple[Language, ...]) -> None:
    key = f"{LAST_KEY}-panel-{session_id}"
    try:
        state = _panel_state(session_id)
        st.session_state[key] = state
    except Exception:  # the database is busy or away: the last good state stays on screen
        _LOG.warning("projector: keeping the last good state", exc_info=True)
        state = st.session_state.get(key) or {"session": None, "outcomes": []}
    session, outcomes = state["session"], state["outcomes"]
    _redraw_map_on_change(key, [(o.round.id, o.results.announced.selected) for o in outcomes[-1:]])
    title = session.title if session is not None else ""
    if not outcomes:
        st.title(title)
        st.markdown(f"### {bi('panel.waiting_round', langs)}")
        return
    current = outcomes[-1]
    res = current.results
    st.markdown(
        f"# {_plain(title)} — {bi('panel.round', langs, number=current.round.number)} "
        f"{_badge(res, langs)}"
    )
    present, received = st.columns(2)
    _figure(present, bi("panel.present", langs), f"{current.joined} / {current.members}")
    _figure(received, bi("panel.ballots", langs), str(res.ballot_count))
    left, middle = st.columns([6, 5], gap="medium")
    _scores_and_winners(left, middle, res, current.round.rule, langs, height=380)
    with middle:
        if len(outcomes) == 2:
            previous = outcomes[0]
            st.markdown(f"### {bi('panel.round', langs, number=previous.round.number)}")
            st.markdown(_moves(previous.results, res, langs) or "—")


def _badge(res: ProcessResults, langs: Sequence[Language]) -> str:
    """Provisional (orange) or final (green), as a coloured Markdown badge."""
    badge = bi("panel.provisional", langs) if res.provisional else bi("panel.final", langs)
    colour = "orange" if res.provisional else "green"
    return f":{colour}-background[{badge}]"


def _scores_and_winners(
    left: Any, middle: Any, res: ProcessResults, rule: str, langs: Sequence[Language], height: int
) -> None:
    """The scores and the budget on the `left`, the winners under `rule` in the `middle`."""
    with left:
        st.markdown(f"### {bi('panel.scores', langs)}")
        score_chart(res, langs, height=height)
        allocation_chart(res, langs)
    with middle:
        st.markdown(f"### {bi('panel.winners', langs)} · {bi(rule_label(rule), langs)}")
        st.markdown(_winner_lines(res, langs) or "—")


def _figure(column: Any, label: str, value: str) -> None:
    """A large figure with its label in full (st.metric would cut a bilingual label)."""
    column.markdown(f"**{label}**")
    column.metric(label, value, label_visibility="collapsed")


def side_panel(langs: Sequence[Language]) -> None:
    """The QR to join, drawn once by the full run (it never changes)."""
    _join_box(langs)


def panel_map(session_id: int) -> None:
    """The winners on the map, drawn by the full run: WebGL is costly to redraw every second,
    so the board reruns the page only when the winners (or the round) change."""
    state = st.session_state.get(f"{LAST_KEY}-panel-{session_id}")
    if state and state["outcomes"]:
        outcome_map(state["outcomes"][-1].results, height=420)


def _redraw_map_on_change(key: str, winners: object) -> None:
    """Rerun the whole page (map included) when what the map shows has changed."""
    known = st.session_state.get(f"{MAP_KEY}-{key}", "unset")
    st.session_state[f"{MAP_KEY}-{key}"] = winners
    if known != "unset" and known != winners:
        st.rerun(scope="app")


def _plain(text: str) -> str:
    """A title inside our Markdown line: no Markdown or HTML of its own."""
    return re.sub(r"[\\`*_{}\[\]<>()#+!|:~$]", " ", text)


def _winner_lines(res: ProcessResults, langs: Sequence[Language]) -> str:
    return "\n".join(
        f"{i}. **{_plain(title_of(r.project, langs))}** · "
        f"{format_euros(r.project.cost_cents / 100)}"
        for i, r in enumerate(res.winners, start=1)
    )


def _moves(before: ProcessResults, after: ProcessResults, langs: Sequence[Language]) -> str:
    """The previous round's winners, marked when they left; the newcomers of this round."""
    titles = {
        r.project.ref: title_of(r.project, langs) for r in (*before.projects, *after.projects)
    }
    lines = []
    for change in compare_rounds(before, after):
        name = _plain(titles.get(change.ref, change.ref))
        if change.selected_before and change.selected_after:
            lines.append(f"- {name}")
        elif change.left:
            lines.append(f"- ~~{name}~~ :red[▼ {bi('panel.left', langs)}]")
        elif change.entered:
            lines.append(f"- :green[▲ {name} · {bi('panel.entered', langs)}]")
    return "\n".join(lines)


def _join_box(langs: Sequence[Language]) -> None:
    url = panel_sessions.join_url(voting.public_url())
    st.image(qr_svg(url, 7), width=230)
    st.markdown(f"**{bi('panel.scan_to_join', langs)}**  \n`{url.split('://')[-1]}`")


def score_chart(res: ProcessResults, langs: Sequence[Language], height: int) -> None:
    """Votes (or points) per project, winners in green: large labels, no tooltips needed."""
    yes, no = bi("panel.selected", langs), bi("panel.not_selected", langs)
    shown = [r for r in res.projects if r.score > 0 or r.announced.selected][:12]
    frame = pd.DataFrame(
        [
            {
                "title": title_of(r.project, langs),
                "score": r.score,
                "outcome": yes if r.announced.selected else no,
            }
            for r in shown or res.projects[:12]
        ]
    )
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "title:N",
            sort="-x",
            title=None,
            axis=alt.Axis(labelFontSize=18, labelLimit=560, labelColor="#000"),
        ),
        x=alt.X(
            "score:Q", title=None, axis=alt.Axis(labelFontSize=15, tickMinStep=1, labelColor="#000")
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "outcome:N",
            scale=alt.Scale(domain=[yes, no], range=[GREEN, GREY]),
            legend=alt.Legend(orient="bottom", labelFontSize=18, labelColor="#000", title=None),
        )
    )
    labels = base.mark_text(align="left", dx=6, fontSize=18, fontWeight="bold").encode(
        text="score:Q"
    )
    st.altair_chart((bars + labels).properties(height=height), width="stretch")


def allocation_chart(res: ProcessResults, langs: Sequence[Language]) -> None:
    """The winners' costs end to end against the budget line."""
    budget = float(res.announced.budget)
    rows, start = [], 0.0
    for r in res.winners:
        cost = r.project.cost_cents / 100
        rows.append(
            {
                "title": title_of(r.project, langs),
                "start": start,
                "end": start + cost,
                "bar": bi("panel.allocation", langs),
            }
        )
        start += cost
    frame = pd.DataFrame(rows or [{"title": "", "start": 0.0, "end": 0.0, "bar": ""}])
    scale = alt.Scale(domain=[0, max(budget, start) * 1.02])
    bars = (
        alt.Chart(frame)
        .mark_bar(stroke="white", strokeWidth=2, color=GREEN)
        .encode(
            x=alt.X(
                "start:Q",
                scale=scale,
                title=None,
                axis=alt.Axis(labelFontSize=15, format="~s", labelColor="#000"),
            ),
            x2="end:Q",
            y=alt.Y("bar:N", title=None, axis=alt.Axis(labelFontSize=18, labelColor="#000")),
        )
    )
    line = (
        alt.Chart(pd.DataFrame([{"budget": budget}]))
        .mark_rule(color=RED, strokeWidth=5)
        .encode(x=alt.X("budget:Q", scale=scale))
    )
    text = bi(
        "panel.budget_line",
        langs,
        budget=format_euros(res.announced.budget),
        spent=format_euros(res.announced.cost),
    )
    st.altair_chart((bars + line).properties(height=90), width="stretch")
    st.markdown(f"**{text}**")


# -- the residents' vote -----------------------------------------------------------------------


def _envelope(found: results_cache.Envelopes | None, key: str) -> EnvelopeResults | None:
    """The envelope `key` of a process's results (the first one when `key` names none)."""
    if not found:
        return None
    return next((e for e in found if e.key == key), found[0])


def _vote_state(process_id: int, envelope: str = "") -> dict[str, Any]:
    count = results_cache.ballot_count(process_id)
    today = dt.date.today()
    found = _envelope(results_cache.process_results(process_id, count, today), envelope)
    return {
        "results": found.results if found else None,  # shared with /results
        "label": found.label if found is not None and found.kind != "whole" else None,
        "tally": results_cache.live_tally(process_id, count),
        "sites": {s.id: s.name for s in processes.list_sites(db.reading(), process_id)},
    }


@st.fragment(run_every=REFRESH_SECONDS)  # a ballot through any replica shows within ~1 s
def vote_board(process_id: int, langs: tuple[Language, ...], envelope: str = "") -> None:
    key = f"{LAST_KEY}-vote-{process_id}"
    try:
        state = _vote_state(process_id, envelope)
        st.session_state[key] = state
    except Exception:  # keep the last good state on screen
        _LOG.warning("projector: keeping the last good state", exc_info=True)
        state = st.session_state.get(key)
        if state is None:
            st.markdown(f"### {bi('panel.waiting_round', langs)}")
            return
    res, tally = state["results"], state["tally"]
    if res is None:  # a vote above the cap: a worker computes its first results
        st.markdown(f"### {bi('results.being_computed', langs)}")
        return
    _redraw_map_on_change(key, res.announced.selected)
    named = state.get("label") or res.process.name  # an envelope: its district, theme, quarter
    name = " / ".join(dict.fromkeys(named.get(lang) for lang in langs))
    st.markdown(f"# {_plain(name)} {_badge(res, langs)}")
    _figure(st, bi("panel.ballots", langs), str(tally.ballots))
    left, middle = st.columns([6, 5], gap="medium")
    with middle:
        st.dataframe(site_rows(tally, state["sites"], langs), hide_index=True)
    _scores_and_winners(left, middle, res, res.announced.rule, langs, height=420)


def vote_map(process_id: int) -> None:
    state = st.session_state.get(f"{LAST_KEY}-vote-{process_id}")
    if state and state["results"] is not None:
        outcome_map(state["results"], height=330)


def site_rows(
    tally: Tally, sites: dict[int | None, str], langs: Sequence[Language]
) -> list[dict[str, object]]:
    """Phone and paper ballots merged per site (and those cast without a site)."""
    keys = sorted({s for s, _ in tally.per_site_channel}, key=lambda s: (s is None, s or 0))
    phone, paper, total = (
        bi("panel.phone", langs),
        bi("panel.paper", langs),
        bi("panel.total", langs),
    )
    return [
        {
            bi("panel.site", langs): sites.get(s) or bi("panel.no_site", langs),
            phone: tally.per_site_channel.get((s, "phone"), 0),
            paper: tally.per_site_channel.get((s, "paper"), 0),
            total: tally.per_site.get(s, 0),
        }
        for s in keys
    ]
