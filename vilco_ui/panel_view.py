"""Streamlit glue of citizen panel sessions: the facilitator's forms and tables, the member's
phone ballot that follows the facilitator, and the evaluation form and charts."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import Callable
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import segno
import streamlit as st

from vilco_core import qr
from vilco_core.ballots import Ballot, round_kinds
from vilco_core.deliberation import (
    QUESTIONS,
    Evaluation,
    PanelMember,
    PanelRound,
    PanelSession,
    compare_rounds,
    summarise_evaluations,
)
from vilco_core.errors import VilcoError
from vilco_core.model import Process, Project, StaffUser
from vilco_core.results import format_euros
from vilco_core.rules import round_rules, rule_label
from vilco_core.services import (
    ballots,
    draws,
    panel_rounds,
    panel_sessions,
    processes,
    recommendations,
    voting,
)
from vilco_core.store import database_url
from vilco_ui import db, router
from vilco_ui.ballot_widgets import BallotForm, ballot_in_state, ballot_widget
from vilco_ui.i18n import labeller, language, t
from vilco_ui.widgets import euros, inert_markdown, one_time_code, show_error

ISSUED_KEY = "vilco_panel_issued"
CODE_KEY = "vilco_panel_code"
SHOWN_KEY = "vilco_panel_shown"
SENT_KEY = "vilco_panel_sent"
REISSUED_KEY = "vilco_panel_reissued"
EVAL_TOKEN_KEY = "vilco_eval_token"
POLL_SECONDS = 2.0
SEND_ERROR_KEY = "vilco_panel_send_error"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def page_link(page: str, label: str, icon: str, query: dict[str, str]) -> None:
    """A link to one of our pages with its query, also on a deep-linked first run."""
    try:
        st.page_link(str(router.PAGES / f"{page}.py"), label=label, icon=icon, query_params=query)
    except Exception:  # the router has not registered the pages yet
        st.markdown(f"[{label}](/{page}?{urlencode(query)})")


def qr_svg(data: str, scale: int = 8) -> str:
    """Inline SVG: no media file to fetch again (and lose) at each refresh of the projector."""
    return str(segno.make(data, error="m").svg_inline(scale=scale, border=2))


def remember_round(sheet: panel_rounds.MemberSheet | None) -> None:
    """The round this run shows, so the poll reruns the page only when it changes."""
    st.session_state[SHOWN_KEY] = None if sheet is None else (sheet.round.id, sheet.round.state)


def qr_png(data: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


# -- the facilitator ---------------------------------------------------------------------------


def pick_session(process_id: int) -> int | None:
    """The sessions of a process, newest first, and "new session" (None)."""
    sessions = panel_sessions.list_sessions(db.uow(), process_id)
    ids: list[int | None] = [None, *(s.id for s in reversed(sessions))]
    names = {s.id: f"{s.title} ({s.created_on.isoformat()})" for s in sessions}
    names[None] = t("panel.new_session")  # type: ignore[index]
    index = 1 if len(ids) > 1 else 0
    return st.selectbox(t("panel.session"), ids, index=index, format_func=names.__getitem__)


def new_session_form(process_id: int, user: StaffUser) -> None:
    """Title and members (a published draw's panel, or a list typed in), then the codes."""
    drawn = [d for d in draws.list_draws(db.uow(), process_id) if d.drawn]
    with st.form("panel-new"):
        title = st.text_input(t("panel.title_field"), max_chars=200)
        draw_names: dict[int | None, str] = {None: t("panel.members_typed")}
        draw_names.update({d.id: d.title for d in drawn if d.id is not None})
        draw_id = st.selectbox(
            t("panel.members_from"), list(draw_names), format_func=draw_names.get
        )
        typed = st.text_area(t("panel.members_list"), height=150)
        go = st.form_submit_button(t("panel.create"), type="primary")
    if not go:
        return
    try:
        members = (
            list(panel_sessions.members_from_draw(db.uow(), draw_id))
            if draw_id is not None
            else typed.splitlines()
        )
        issued = panel_sessions.create_session(
            db.uow(), user, process_id, title, members, dt.date.today()
        )
    except VilcoError as error:
        show_error(error)
        return
    st.session_state[ISSUED_KEY] = issued
    st.rerun()


def issued_codes(issued: panel_sessions.IssuedSession) -> None:
    """The members' codes, shown once: CSV, printable cards, and each QR on screen."""
    base = voting.public_url()
    process = processes.get_process(db.uow(), issued.process_id)
    st.warning(t("panel.codes_once", count=len(issued.codes)))
    st.download_button(
        t("panel.codes_csv"),
        panel_sessions.codes_csv(issued, base),
        f"panel-{issued.session_id}-codes.csv",
        "text/csv",
    )
    codes = [code for _label, code in issued.codes]
    urls = [panel_sessions.join_url(base, code) for code in codes]
    st.download_button(
        t("panel.codes_cards"),
        qr.cards_pdf(codes, urls, process, "A4"),
        f"panel-{issued.session_id}-cards.pdf",
        "application/pdf",
    )
    with st.expander(t("panel.codes_show")):
        columns = st.columns(4)
        for i, ((label, code), url) in enumerate(zip(issued.codes, urls, strict=True)):
            with columns[i % 4]:
                st.image(qr_png(url, 5), caption=f"{label} · {code}")


def members_table(user: StaffUser, session_id: int) -> list[PanelMember]:
    members = panel_sessions.session_members(db.uow(), user, session_id)
    joined = sum(m.joined for m in members)
    st.metric(t("panel.present"), f"{joined} / {len(members)}")
    yes, no = t("panel.joined_yes"), t("panel.joined_no")
    rows = [
        {t("panel.member"): m.label, t("panel.joined"): yes if m.joined else no} for m in members
    ]
    st.dataframe(rows, hide_index=True, height=min(400, 38 + 35 * len(rows)))
    return members


def reissue_form(user: StaffUser, members: list[PanelMember]) -> None:
    """Void a member's lost code and issue a new one for the same member."""
    with st.expander(t("panel.reissue_title")):
        names = {m.id: m.label for m in members}
        pick = st.selectbox(
            t("panel.reissue_member"), list(names), format_func=names.__getitem__,
            key="panel-reissue-member",
        )  # fmt: skip
        st.caption(t("panel.reissue_help"))
        if not st.button(t("panel.reissue_button"), key="panel-reissue") or pick is None:
            return
        try:
            reissued = panel_sessions.reissue_code(db.uow(), user, pick, now())
        except VilcoError as error:
            show_error(error)
            return
        st.session_state[REISSUED_KEY] = reissued
        st.rerun()


def reissued_code(session_id: int) -> None:
    """The new code of a member, shown until the facilitator hides it (never stored in clear)."""
    found = st.session_state.get(REISSUED_KEY)
    if not isinstance(found, panel_sessions.ReissuedCode) or found.session_id != session_id:
        return
    url = panel_sessions.join_url(voting.public_url(), found.code)
    with st.container(border=True):
        st.warning(t("panel.reissued_once", member=found.label, code=found.code))
        st.image(qr_png(url, 5), caption=found.code)
        st.caption(t("panel.reissued_link"))
        st.code(url, language=None)
        if st.button(t("panel.reissued_done"), key="panel-reissued-done"):
            st.session_state.pop(REISSUED_KEY, None)
            st.rerun()


def round_controls(user: StaffUser, session: PanelSession, rounds: list[PanelRound]) -> None:
    """Close the open round, or open the next one (ballot type, projects, rule)."""
    latest = rounds[-1] if rounds else None
    if session.finalised:
        st.success(t("panel.finalised", number=_number(rounds, session.final_round_id)))
        return
    if latest is not None and latest.open:
        count = panel_rounds.round_version(db.uow(), latest.id)[0]
        st.info(t("panel.round_open", number=latest.number, ballots=count))
        if st.button(t("panel.close_round", number=latest.number), type="primary"):
            _run(lambda: panel_rounds.close_round(db.uow(), user, latest.id, now()))
        return
    projects = ballots.list_ballot_projects(db.uow(), session.process_id)
    process = processes.get_process(db.uow(), session.process_id)
    with st.form("panel-round"):
        st.subheader(t("panel.next_round", number=(latest.number + 1) if latest else 1))
        kinds = list(round_kinds())
        kind = st.radio(
            t("panel.kind"),
            kinds,
            horizontal=True,
            format_func=labeller("panel.kind_", kinds),
        )
        titles = {p.ref: f"{p.ref} · {p.title.get(language())}" for p in projects}
        chosen = st.multiselect(
            t("panel.projects"), list(titles), default=list(titles), format_func=titles.__getitem__
        )
        rules = list(round_rules())
        labels = {name: t(rule_label(name)) for name in rules}
        rule = st.radio(
            t("panel.rule"),
            rules,
            horizontal=True,
            index=rules.index(process.rule) if process.rule in rules else 0,
            format_func=lambda name: labels.get(str(name), str(name)),
        )
        points = st.number_input(t("panel.points"), 1, 100, 10)
        go = st.form_submit_button(t("panel.open_round"), type="primary")
    if go:
        _run(
            lambda: panel_rounds.open_round(
                db.uow(), user, session.id, kind, chosen, rule, now(), total_points=int(points)
            )
        )


def _number(rounds: list[PanelRound], round_id: int | None) -> int:
    return next((r.number for r in rounds if r.id == round_id), 0)


def _run(action: Callable[[], object]) -> None:
    try:
        action()
    except VilcoError as error:
        show_error(error)
    else:
        st.rerun()


def rounds_overview(user: StaffUser, session: PanelSession, rounds: list[PanelRound]) -> None:
    """Each round's winners side by side; what moved from one round to the next."""
    if not rounds:
        st.info(t("panel.no_rounds"))
        return
    outcomes = [panel_rounds.round_results(db.uow(), r.id) for r in rounds]
    lang = language()
    columns = st.columns(min(4, len(outcomes)))
    for column, outcome in zip(columns, outcomes[-4:], strict=False):
        res = outcome.results
        with column.container(border=True):
            state = t("panel.provisional") if res.provisional else t("panel.final")
            st.markdown(f"**{t('panel.round', number=outcome.round.number)}** · {state}")
            st.caption(
                t(
                    "panel.round_meta",
                    ballots=res.ballot_count,
                    rule=t(rule_label(outcome.round.rule)),
                    kind=t(f"panel.kind_{outcome.round.kind}"),
                )
            )
            st.markdown(
                "\n".join(f"- {inert_markdown(r.project.title.get(lang))}" for r in res.winners)
                or "—"
            )
            st.caption(
                t(
                    "panel.spent",
                    spent=format_euros(res.announced.cost),
                    budget=format_euros(res.announced.budget),
                )
            )
    if len(outcomes) >= 2:
        before, after = outcomes[-2], outcomes[-1]
        st.markdown(
            f"**{t('panel.compare', before=before.round.number, after=after.round.number)}**"
        )
        titles = {
            r.project.ref: r.project.title.get(lang) for o in outcomes for r in o.results.projects
        }
        rows = [
            {
                t("panel.project"): titles.get(c.ref, c.ref),
                t("panel.score_before"): c.score_before,
                t("panel.score_after"): c.score_after,
                t("panel.change"): t("panel.entered")
                if c.entered
                else t("panel.left")
                if c.left
                else "",
            }
            for c in compare_rounds(before.results, after.results)
        ]
        st.dataframe(rows, hide_index=True)
    closed = [o for o in outcomes if not o.round.open]
    if closed and not session.finalised:
        names = {o.round.id: t("panel.round", number=o.round.number) for o in closed}
        pick = st.selectbox(
            t("panel.finalise_round"),
            list(names),
            index=len(names) - 1,
            format_func=names.__getitem__,
        )
        if st.button(t("panel.finalise")):
            _run(lambda: recommendations.finalise_session(db.uow(), user, pick, now()))


# -- the member's phone ------------------------------------------------------------------------


def member_code(params: dict[str, str]) -> str | None:
    """The member's code: from `?c=` once (kept in the session), else typed in."""
    return one_time_code(CODE_KEY, params, form="panel-code", prompt="panel.enter_code")


def forget_member_code() -> None:
    st.session_state.pop(CODE_KEY, None)


@st.cache_data(ttl=1.0, show_spinner=False, max_entries=256)
def _round_marker(url: str, session_id: int) -> tuple[int, str] | None:
    """The session's current round as (id, state), read at most once a second for all the
    phones in the room (fifty phones polling every two seconds were 15% of the server's time)."""
    del url  # cache key: the database
    latest = panel_rounds.current_round(db.uow(), session_id)
    return None if latest is None else (latest.id, latest.state)


@st.fragment(run_every=POLL_SECONDS)
def follow_facilitator(session_id: int) -> None:
    """Poll the session's current round; a new or closed round reruns the whole page."""
    try:
        marker = _round_marker(database_url(), session_id)
    except Exception:  # a database hiccup: keep the page as it is, try again next tick
        return
    if st.session_state.get(SHOWN_KEY, "unset") != marker:
        st.session_state[SHOWN_KEY] = marker
        st.rerun(scope="app")


def _member_form(sheet: panel_rounds.MemberSheet) -> BallotForm:
    """The round's ballot, starting from the member's current one; widget keys per round (a new
    round starts with its own widgets)."""
    mine, rnd = sheet.mine, sheet.round
    given = dict(zip(mine.project_ids, mine.weights, strict=True)) if mine else {}
    return BallotForm(rules=rnd.rules(), projects=sheet.projects, given=given, district=True,
                      key=lambda ref: f"panel-{rnd.id}-{ref}")  # fmt: skip


def member_ballot(sheet: panel_rounds.MemberSheet) -> Ballot:
    """The round's ballot widget, filled in with the member's current ballot."""
    return ballot_widget(_member_form(sheet))


def send_ballot(code: str, sheet: panel_rounds.MemberSheet) -> None:
    """The "Send" button's callback: stores the ballot the widgets hold now, before the page
    runs, so a press costs one run (not a run and a rerun). An error is shown by that run."""
    try:
        panel_rounds.submit_ballot(
            db.uow(), code, sheet.round.id, ballot_in_state(_member_form(sheet))
        )
    except VilcoError as error:
        st.session_state[SEND_ERROR_KEY] = error


def send_error() -> VilcoError | None:
    """The error of the last press, once."""
    found = st.session_state.pop(SEND_ERROR_KEY, None)
    return found if isinstance(found, VilcoError) else None


def member_confirmation(sheet: panel_rounds.MemberSheet) -> None:
    """What the member's current ballot says (the last one counts)."""
    if sheet.mine is None:
        return
    titles = {p.ref: p.title.get(language()) for p in sheet.projects}
    points = sheet.mine.points or ()
    lines = [
        f"- {titles.get(ref, ref)}" + (f" · {points[i]}" if points else "")
        for i, ref in enumerate(sheet.mine.project_ids)
    ]
    with st.container(border=True):
        st.success(t("panel.recorded", number=sheet.round.number))
        st.markdown("\n".join(lines))
        if sheet.round.open:
            st.caption(t("panel.change_until_close"))


# -- evaluation --------------------------------------------------------------------------------


def browser_token() -> str:
    """A random token for this browser session: a resident's evaluation replaces the one sent
    earlier from the same session (only its salted hash is stored)."""
    token: str = st.session_state.setdefault(EVAL_TOKEN_KEY, secrets.token_hex(16))
    return token


def evaluation_sent(process_id: int) -> bool:
    """Thanks once sent, with a way to answer again (the new answers replace the old)."""
    if st.session_state.get(SENT_KEY) != process_id:
        return False
    st.success(t("eval.thanks"))
    st.caption(t("eval.replaces"))
    if st.button(t("eval.change")):
        st.session_state.pop(SENT_KEY, None)
        st.rerun()
    return True


def evaluation_form(
    process: Process, session_id: int | None, respondent: str, scope: str
) -> Evaluation | None:
    """Four Likert questions and a free comment; None until sent."""
    scale = [1, 2, 3, 4, 5]
    label = labeller("eval.likert_", [str(v) for v in scale])
    with st.form("evaluation"):
        answers = [
            st.radio(
                t(f"eval.{q}"),
                scale,
                index=None,
                horizontal=True,
                format_func=label,
                key=f"eval-{q}",
            )
            for q in QUESTIONS
        ]
        comment = st.text_area(t("eval.comment"), max_chars=2000)
        go = st.form_submit_button(t("eval.send"), type="primary")
    if not go:
        return None
    return Evaluation(
        process_id=process.id or 0,
        scope=scope,
        respondent=respondent,
        language=language(),
        answers=tuple(answers),
        comment=comment,
        session_id=session_id,
    )


def evaluation_charts(rows: list[Evaluation]) -> None:
    """Per question: how many gave each answer (stacked), and the mean."""
    summary = summarise_evaluations(rows)
    frame = pd.DataFrame(
        [
            {
                "question": t(f"eval.{s.question}"),
                "answer": t(f"eval.likert_{v}"),
                "order": v,
                "count": n,
            }
            for s in summary
            for v, n in zip((1, 2, 3, 4, 5), s.counts, strict=True)
        ]
    )
    domain = [t(f"eval.likert_{v}") for v in (1, 2, 3, 4, 5)]
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("question:N", title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X("count:Q", title=t("eval.count"), stack="normalize"),
            color=alt.Color(
                "answer:N",
                title=None,
                sort=domain,
                scale=alt.Scale(domain=domain, scheme="redyellowgreen"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["question:N", "answer:N", "count:Q"],
        )
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(
        [
            {
                t("eval.question"): t(f"eval.{s.question}"),
                t("eval.mean"): "—" if s.mean is None else f"{s.mean:.2f}",
                t("eval.answers"): sum(s.counts),
            }
            for s in summary
        ],
        hide_index=True,
    )


def evaluation_comments(rows: list[Evaluation]) -> None:
    """Free text shown as text (st.dataframe interprets no HTML or Markdown)."""
    comments = [
        {
            t("eval.day"): r.answered_on.isoformat() if r.answered_on else "",
            t("eval.respondent"): t(f"eval.who_{r.respondent}"),
            t("eval.comment"): r.comment,
        }
        for r in rows
        if r.comment
    ]
    if comments:
        st.dataframe(comments, hide_index=True)


def project_lines(projects: list[Project]) -> str:
    lang = language()
    return "\n".join(
        f"- {inert_markdown(p.title.get(lang))} · {euros(p.cost_cents)}" for p in projects
    )


# -- the public recommendation -----------------------------------------------------------------

REC_KEY = "vilco_recommendation_session"


def pick_recommendation(sessions: list[PanelSession], linked: str | None) -> int | None:
    """A finalised session: the `?session=` of the first load (junk: a message), then the
    choice kept in the session."""
    ids = [s.id for s in sessions]
    if linked is not None and REC_KEY not in st.session_state:
        wanted = processes.parse_id(linked)
        if wanted in ids:
            st.session_state[REC_KEY] = wanted
        else:
            st.error(t("rec.bad_link"))
    if not ids:
        st.info(t("rec.none"))
        return None
    if st.session_state.get(REC_KEY) not in ids:
        st.session_state[REC_KEY] = ids[0]
    names = {s.id: f"{s.title} ({s.finalised_at:%d.%m.%Y})" if s.finalised_at else s.title
             for s in sessions}  # fmt: skip
    chosen: int = st.selectbox(t("rec.pick"), ids, format_func=names.__getitem__, key=REC_KEY)
    return chosen


def recommendation(rec: recommendations.Recommendation) -> None:
    """Title, process, date, rule; the projects with their costs, the total against the budget."""
    lang = language()
    day = rec.session.finalised_at
    st.header(rec.session.title)
    st.caption(
        t(
            "rec.meta",
            process=rec.process.name.get(lang),
            day=day.strftime("%d.%m.%Y") if day else "—",
            number=rec.round_number,
            rule=t(rule_label(rec.rule)),
        )
    )
    st.subheader(t("rec.projects"))
    if not rec.projects:
        st.info(t("rec.empty"))
        return
    rows = [
        {
            t("rec.project"): p.title.get(lang),
            t("rec.cost"): euros(p.cost_cents),
            t("rec.place"): p.district or "",
        }
        for p in rec.projects
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.progress(min(1.0, rec.total_cents / max(1, rec.budget_cents)))
    st.markdown(
        "**" + t("rec.total", total=euros(rec.total_cents), budget=euros(rec.budget_cents)) + "**"
    )
