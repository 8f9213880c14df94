"""Widgets of the draw pages: pool import, lottery with progress, the ceremony, the panel.

The pages stay thin: each step here is widgets in, a call to `vilco_core` out. The uploaded pool
stays in memory for this session only; what is stored is what `services.draws.publish_lottery` keeps
(the draw's columns, no contacts).

Every heavy step (checking a pool of 100,000 volunteers, the lottery, the report of a drawn
panel) runs in a worker process (`vilco_core.worker`): this server process only waits, off the
GIL, so residents voting meanwhile are not slowed. The lottery's progress bar reads the worker's
shared progress; Cancel sets the worker's cancel event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd
import streamlit as st

from vilco_core import draws, worker
from vilco_core.errors import VilcoError
from vilco_core.model import PanelDraw
from vilco_core.sortition import read_lottery
from vilco_core.spreadsheet import csv_text
from vilco_ui.i18n import labeller, t
from vilco_ui.widgets import show_error

METHODS = ["leximin", "maximin", "legacy", "uniform"]
BRUSSELS = ZoneInfo("Europe/Brussels")
_LOTTERY_KEY = "vilco_draw_lottery"
_CANCEL_KEY = "vilco_draw_cancelled"
_DRAW_KEY = "vilco_draw_id"
_SUMMARY_KEY = "vilco_draw_pool_summary"
_POLL_SECONDS = 0.25
_PROJECTOR_CSS = """<style>
.vilco-ceremony {background:#000; color:#fff; padding:1.6rem 2rem; border-radius:.6rem;
  margin-bottom:1rem; line-height:1.35}
.vilco-ceremony .label {color:#ffd60a; font-size:1.4rem; font-weight:700; margin-top:.4rem}
.vilco-ceremony .hash {font-family:monospace; font-size:2.5rem; font-weight:700;
  letter-spacing:.06em; overflow-wrap:anywhere}
.vilco-ceremony .big {font-size:3rem; font-weight:800}
.vilco-ceremony .small {font-family:monospace; font-size:1.05rem; color:#e5e5e5}
.st-key-draw-seed [data-testid="stTextInputRootElement"], .st-key-draw-seed div[data-baseweb]
  {height:auto !important; min-height:4.4rem}
.st-key-draw-seed input {font-size:2.6rem; font-family:monospace; line-height:1.3;
  padding:.3rem .8rem}
.st-key-draw-seed label p, .st-key-draw-witnesses label p {font-size:1.4rem; font-weight:700}
.st-key-draw-witnesses textarea {font-size:1.5rem}
.st-key-draw-ceremony button p {font-size:1.5rem; font-weight:700}
</style>"""
_HIDE_CHROME_CSS = """<style>
[data-testid="stSidebar"], header, [data-testid="stSidebarCollapsedControl"]
  {display:none !important}
</style>"""


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawInputs:
    title: str
    method: str
    size: int
    alternates: int
    pool_csv: str
    quotas_csv: str

    def fingerprint(self) -> str:
        parts = (self.method, str(self.size), self.pool_csv, self.quotas_csv)
        return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def moment(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M:%S")


def pick_draw(existing: list[PanelDraw]) -> int | None:
    """The draw to work on (remembered in the session), or None for a new one."""
    labels: dict[int, str] = {0: t("draw.new")}
    for d in existing:
        state = t("draw.state_drawn") if d.drawn else t("draw.state_published")
        labels[d.id or 0] = f"#{d.id} · {d.title} · {state}"
    options = list(labels)
    remembered = st.session_state.get(_DRAW_KEY, 0)
    chosen = st.selectbox(
        t("draw.pick"),
        options,
        index=options.index(remembered) if remembered in options else 0,
        format_func=labels.__getitem__,
    )
    st.session_state[_DRAW_KEY] = chosen
    return chosen or None


def remember_draw(draw_id: int) -> None:
    st.session_state[_DRAW_KEY] = draw_id
    st.session_state.pop(_LOTTERY_KEY, None)


def read_upload(label: str, key: str) -> str | None:
    file = st.file_uploader(label, type=["csv"], key=key)
    if file is None:
        return None
    try:
        return str(file.getvalue().decode("utf-8-sig"))
    except UnicodeDecodeError:
        st.error(t("draw.not_utf8", name=file.name))
        return None


def pool_inputs(demo: bool) -> DrawInputs | None:
    """Title, method, size and the pool and quotas files; None until they make a valid draw."""
    title = st.text_input(t("draw.title_field"), value=t("draw.default_title"))
    left, middle, right = st.columns(3)
    method = left.selectbox(
        t("draw.method"), METHODS, format_func=labeller("draw.method_", METHODS)
    )
    size = int(middle.number_input(t("draw.size"), min_value=1, max_value=1000, value=24))
    alternates = int(right.number_input(t("draw.alternates"), min_value=0, max_value=100, value=5))
    st.caption(t(f"draw.method_help_{method}"))
    use_demo = demo and st.toggle(t("draw.use_demo"), key="draw-use-demo")
    if use_demo:
        pool, quotas = draws.demo_pool()
    else:
        st.caption(t("draw.files_help"))
        left, right = st.columns(2)
        with left:
            pool = read_upload(t("draw.pool_file"), "draw-pool")
        with right:
            quotas = read_upload(t("draw.quotas_file"), "draw-quotas")
    if pool is None or (quotas is None and method != "uniform"):
        st.info(t("draw.need_files"))
        return None
    inputs = DrawInputs(title=title, method=method, size=size, alternates=alternates,
                        pool_csv=pool, quotas_csv=quotas or "")  # fmt: skip
    try:
        summary = _pool_summary(inputs)
    except VilcoError as error:
        show_error(error)
        return None
    _quota_table(summary)
    return inputs


def _pool_summary(inputs: DrawInputs) -> draws.PoolSummary:
    """The inputs checked in a worker, once per set of inputs (kept in the session)."""
    known = st.session_state.get(_SUMMARY_KEY)
    if known is not None and known[0] == inputs.fingerprint():
        summary: draws.PoolSummary = known[1]
        return summary
    summary = worker.run(draws.summarise_pool, inputs.pool_csv, inputs.quotas_csv, inputs.size,
                         inputs.method)  # fmt: skip
    st.session_state[_SUMMARY_KEY] = (inputs.fingerprint(), summary)
    return summary


def _quota_table(summary: draws.PoolSummary) -> None:
    st.subheader(t("draw.quotas_heading", people=summary.people, size=summary.size))
    rows = [{t("draw.col_feature"): q.feature, t("draw.col_value"): q.value,
             t("draw.col_min"): q.min, t("draw.col_max"): q.max,
             t("draw.col_in_pool"): q.in_pool} for q in summary.quotas]  # fmt: skip
    if rows:  # tall enough for every quota: no inner scrolling
        st.dataframe(rows, hide_index=True, width="stretch", height=35 * len(rows) + 38)


def _on_cancel() -> None:
    st.session_state[_CANCEL_KEY] = True


def lottery_step(inputs: DrawInputs) -> bytes | None:
    """The lottery of these inputs: computed on request with progress and a Cancel button."""
    if st.session_state.pop(_CANCEL_KEY, False):
        st.warning(t("sortition.cancelled"))
    stored = st.session_state.get(_LOTTERY_KEY)
    if stored is not None and stored[0] == inputs.fingerprint():
        data: bytes = stored[1]
    else:
        if not st.button(t("draw.compute"), type="primary"):
            return None
        computed = _compute(inputs)
        if computed is None:
            return None
        data = computed
        st.session_state[_LOTTERY_KEY] = (inputs.fingerprint(), data)
    lottery = read_lottery(data)
    st.success(t("draw.lottery_ready", method=t(f"draw.method_{lottery.method}")))
    _hash_block(lottery.pool_sha256, lottery.quotas_sha256, hashlib.sha256(data).hexdigest())
    probability_chart(data)
    return data


def _compute(inputs: DrawInputs) -> bytes | None:
    """The lottery, computed in a worker process while this run shows its progress. Cancel (or
    the page being left: Streamlit stops this run) sets the worker's cancel event."""
    cancel = st.empty()
    cancel.button(t("draw.cancel"), on_click=_on_cancel, key="draw-cancel")
    with st.status(t("draw.computing"), expanded=True) as status:
        bar = st.progress(0.0)
        job = worker.start(draws.lottery_file, inputs.pool_csv, inputs.quotas_csv, inputs.size,
                           inputs.method, reports_progress=True)  # fmt: skip
        try:
            while not job.done(_POLL_SECONDS):
                if st.session_state.get(_CANCEL_KEY):
                    job.cancel()
                state = job.progress()  # every pass touches the page: a Cancel click or a
                if state is None:  # left page stops this run here, and `finally` cancels
                    bar.progress(0.0, text=t("draw.computing"))
                    continue
                share = state.done / state.total if state.total else 0.0
                text = t("draw.progress", done=state.done, total=state.total,
                         panels=state.panels)  # fmt: skip
                bar.progress(min(share, 1.0), text=text)
            data: bytes = job.result()
        except VilcoError as error:
            status.update(label=t("draw.compute_failed"), state="error")
            cancel.empty()
            show_error(error)
            return None
        finally:
            job.stop()  # cancels a job still running (this run was stopped or failed)
        bar.progress(1.0)
        panels = len(read_lottery(data).panels)
        status.update(label=t("draw.computed", panels=panels), state="complete")
    cancel.empty()
    return data


def _hash_block(pool: str, quotas: str, lottery: str) -> None:
    st.markdown(f"**{t('draw.lottery_sha256')}**")
    st.code(lottery, language=None)
    left, right = st.columns(2)
    left.caption(t("draw.pool_sha256"))
    left.code(pool, language=None)
    right.caption(t("draw.quotas_sha256"))
    right.code(quotas, language=None)


def _grouped(digest: str) -> str:
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def projector_mode() -> None:
    """High contrast, large type; the toggle also hides the sidebar for the projector."""
    st.markdown(_PROJECTOR_CSS, unsafe_allow_html=True)
    if st.toggle(t("draw.projector"), key="draw-projector"):
        st.markdown(_HIDE_CHROME_CSS, unsafe_allow_html=True)


def ceremony_board(draw: PanelDraw, process_name: str) -> None:
    """The projected board: title, lottery hash, and once drawn the seed and witnesses."""
    e = html.escape
    facts = t("draw.board_facts", method=t(f"draw.method_{draw.method}"), size=draw.size,
              version=draw.vilco_version, published=moment(draw.published_at))  # fmt: skip
    rows = [
        f'<div class="label">{e(process_name)}</div><div class="big">{e(draw.title)}</div>',
        f'<div class="label">{e(t("draw.lottery_sha256"))}</div>',
        f'<div class="hash">{_grouped(draw.lottery_sha256)}</div>',
        f'<div class="small">{e(facts)}</div>',
        f'<div class="small">{e(t("draw.pool_sha256"))} {draw.pool_sha256}<br>'
        f'{e(t("draw.quotas_sha256"))} {draw.quotas_sha256}</div>',
    ]  # fmt: skip
    if draw.drawn:
        rows += [
            f'<div class="label">{e(t("draw.seed"))}</div>',
            f'<div class="hash">{e(draw.seed or "")}</div>',
            f'<div class="label">{e(t("draw.witnesses"))}</div>',
            f'<div class="big" style="font-size:1.8rem">{e(", ".join(draw.witnesses))}</div>',
            f'<div class="small">{e(t("draw.drawn_at", moment=moment(draw.drawn_at)))}</div>',
        ]
    st.markdown(f'<div class="vilco-ceremony">{"".join(rows)}</div>', unsafe_allow_html=True)


def seed_form() -> tuple[str, list[str]] | None:
    """The big seed input and the witnesses; the seed and names when the button is pressed."""
    with st.form("draw-ceremony", border=False):
        seed = st.text_input(t("draw.seed_input"), key="draw-seed", placeholder="3 6 1 4 2 5 …")
        witnesses = st.text_area(t("draw.witnesses_input"), key="draw-witnesses")
        pressed = st.form_submit_button(t("draw.draw_button"), type="primary")
    return (seed, witnesses.splitlines()) if pressed else None


@st.cache_data(show_spinner=False, max_entries=16)
def _chances(digest: str, _lottery_data: bytes) -> tuple[str, bool, list[float], float]:
    """Method, estimated flag, sorted chances and k/n of a lottery (keyed by its SHA-256)."""
    del digest
    lottery = read_lottery(_lottery_data)
    chances, uniform = draws.probabilities_of(lottery)
    return lottery.method, lottery.estimated, [float(c) for c in chances], float(uniform)


def probability_chart(lottery_data: bytes) -> None:
    """Sorted selection probabilities of this lottery beside the uniform k/n line."""
    digest = hashlib.sha256(lottery_data).hexdigest()
    lottery_method, estimated, chances, uniform = _chances(digest, lottery_data)
    method = t(f"draw.method_{lottery_method}")
    ranks = range(1, len(chances) + 1)
    frame = pd.DataFrame(
        [{"rank": r, "p": c, "series": method} for r, c in zip(ranks, chances, strict=True)]
        + [{"rank": r, "p": uniform, "series": t("draw.chart_uniform")} for r in ranks]
    )
    chart = (
        alt.Chart(frame)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("rank:Q", title=t("draw.chart_x")),
            y=alt.Y("p:Q", title=t("draw.chart_y"), axis=alt.Axis(format="%")),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash("series:N", legend=None),
        )
        .properties(height=300, title=t("draw.chart_title"))
    )
    st.altair_chart(chart, width="stretch")
    if estimated:
        st.caption(t("draw.estimated"))


@st.cache_resource(show_spinner=False, max_entries=16)
def _report(key: tuple[int, str, str, tuple[str, ...]], _draw: PanelDraw) -> draws.DrawReport:
    """A drawn panel's report, computed once per draw in a worker (a drawn draw never changes)."""
    del key
    return worker.run(draws.report_of, _draw.lottery, _draw.lottery_sha256, _draw.pool_csv,
                      _draw.panel, _draw.alternates)  # fmt: skip


def panel_results(draw: PanelDraw) -> None:
    """Quotas met (targets vs drawn), members, alternates, the chart and the downloads."""
    report = _report((draw.id or 0, draw.lottery_sha256, draw.seed or "", draw.panel), draw)
    if report.quotas_met:
        st.success(t("draw.panel_drawn", count=len(draw.panel)))
    else:
        st.error(t("draw.quotas_broken"))
    if report.quotas:
        st.subheader(t("draw.quotas_result"))
        rows = [{t("draw.col_feature"): q.feature, t("draw.col_value"): q.value,
                 t("draw.col_target"): f"{q.min}–{q.max}", t("draw.col_drawn"): q.drawn,
                 t("draw.col_met"): "✓" if q.met else "✗"} for q in report.quotas]  # fmt: skip
        st.dataframe(rows, hide_index=True, width="stretch")
    columns = ["id", *report.features]
    members = pd.DataFrame(report.members, columns=columns)
    reserves = pd.DataFrame(report.alternates, columns=columns)
    reserves.insert(0, t("draw.col_rank"), range(1, len(reserves) + 1))
    left, right = st.columns(2)
    left.subheader(t("draw.members", count=len(members)))
    left.dataframe(members, hide_index=True, width="stretch")
    right.subheader(t("draw.alternates_heading", count=len(reserves)))
    right.dataframe(reserves, hide_index=True, width="stretch")
    probability_chart(draw.lottery)
    _downloads(draw, members, reserves)


def _downloads(draw: PanelDraw, members: pd.DataFrame, reserves: pd.DataFrame) -> None:
    stem = f"draw-{draw.id}"
    a, b, c, d = st.columns(4)
    a.download_button(t("draw.download_panel"), _csv(members), f"{stem}-panel.csv",
                      "text/csv")  # fmt: skip
    b.download_button(t("draw.download_alternates"), _csv(reserves),
                      f"{stem}-alternates.csv", "text/csv")  # fmt: skip
    c.download_button(t("draw.download_lottery"), draw.lottery, f"{stem}-lottery.json",
                      "application/json")  # fmt: skip
    d.download_button(t("draw.download_pool"), draw.pool_csv, f"{stem}-pool.csv", "text/csv")


def verification_result(result: draws.Verification) -> None:
    """Same panel, or a clear mismatch; the hashes either way."""
    if not result.pool_matches:
        st.error(t("verify.pool_mismatch"), icon=":material/error:")
    if result.panel_matches is True:
        st.success(t("verify.same_panel", count=len(result.panel)), icon=":material/verified:")
    elif result.panel_matches is False:
        st.error(t("verify.panel_differs"), icon=":material/error:")
    elif result.pool_matches:
        st.info(t("verify.replayed", count=len(result.panel)))
    rows = {t("draw.lottery_sha256"): result.lottery_sha256,
            t("verify.pool_stated"): result.lottery_pool_sha256,
            t("verify.pool_computed"): result.pool_sha256,
            t("verify.ticket"): str(result.draw.ticket)}  # fmt: skip
    st.markdown("\n".join(f"- {label} : `{value}`" for label, value in rows.items()))
    panels = {t("verify.reproduced_panel"): list(result.panel)}
    if result.panel_matches is False:
        panels[t("verify.published_panel")] = list(result.published_panel or ())
    columns = st.columns(len(panels))
    for column, (title, ids) in zip(columns, panels.items(), strict=True):
        column.dataframe(pd.DataFrame({title: ids}), hide_index=True, width="stretch")


def _csv(frame: pd.DataFrame) -> str:
    """The table as every export writes it (`csv_text`: formula cells escaped)."""
    return csv_text([str(c) for c in frame.columns], frame.itertuples(index=False))
