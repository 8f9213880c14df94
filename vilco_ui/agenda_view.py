"""The agenda of a shared resource, drawn by vilco itself rather than by a calendar component:
a day picker, that day's periods as a list (each free one a button that fills the request
form) and, on wide screens, a table of the week. A FullCalendar component (`streamlit-calendar`)
lives in an iframe that AppTest cannot draw or click, and its week grid is unusable at 360 px;
a list of buttons reads and taps well on a phone.

Dates and times show in Brussels time, per language (fr-BE, nl-BE, en-GB through Babel).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

import streamlit as st
from babel.dates import format_date
from babel.numbers import format_decimal

from vilco_core.resources import BRUSSELS, STEP, Resource, ResourceKind, Slot
from vilco_ui.i18n import language, t

LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
DEFAULT_MINUTES = 120  # the length a picked period proposes, within the resource's limits
WEEK_CSS = """<style>
.vilco-week table {border-collapse: collapse; width: 100%; font-size: 0.8rem;}
.vilco-week th, .vilco-week td {border: 1px solid #d6e4dc; padding: 1px 4px; text-align: center;}
.vilco-week td.free {background: #d9f2e4;} .vilco-week td.pending {background: #fff1c2;}
.vilco-week td.taken {background: #f6d0c8;} .vilco-week td.closed {background: #f1f1f1;}
.vilco-week .legend span {padding: 1px 6px; margin-right: 4px; border-radius: 3px;}
.vilco-week .free {background: #d9f2e4;} .vilco-week .pending {background: #fff1c2;}
.vilco-week .taken {background: #f6d0c8;}
@media (max-width: 760px) {.vilco-week {display: none;}}
</style>"""


def day_label(day: dt.date, long: bool = False) -> str:
    """`jeu. 3 déc.` / `do 3 dec.` / `Thu 3 Dec` (long: with the weekday and year in full)."""
    pattern = "EEEE d MMMM y" if long else "EEE d MMM"
    return format_date(day, pattern, locale=LOCALES.get(language(), "fr_BE"))


def number(value: int) -> str:
    """`1 000` (fr-BE), `1.000` (nl-BE), `1,000` (en)."""
    return format_decimal(value, locale=LOCALES.get(language(), "fr_BE"))


def hhmm(moment: dt.datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%H:%M")


def period_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """`jeu. 3 déc. 18:00–20:00`, or both days when the period spans several."""
    start, end = starts_at.astimezone(BRUSSELS), ends_at.astimezone(BRUSSELS)
    if start.date() == end.date():
        return f"{day_label(start.date())} {hhmm(start)}–{hhmm(end)}"
    return f"{day_label(start.date())} {hhmm(start)} – {day_label(end.date())} {hhmm(end)}"


def by_day(slots: Sequence[Slot]) -> dict[dt.date, list[Slot]]:
    """The agenda's slots grouped by their Brussels day, days in order."""
    days: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.starts_at.astimezone(BRUSSELS).date(), []).append(slot)
    return days


def bookable(resource: Resource, slot: Slot) -> bool:
    """A free (or pending: still open to a request) period long enough to book."""
    minutes = (slot.ends_at - slot.starts_at) / dt.timedelta(minutes=1)
    return slot.state != "taken" and minutes >= resource.availability.min_minutes


def day_picker(resource: Resource, days: dict[dt.date, list[Slot]]) -> dt.date:
    """The day shown (and booked): open days only, the first with a bookable period first."""
    options = list(days)
    key = f"bk-day-{resource.id}"
    if st.session_state.get(key) not in options:
        usable = [d for d in options if any(bookable(resource, s) for s in days[d])]
        st.session_state[key] = (usable or options)[0]
    labels = {
        d: f"{day_label(d)} · "
        + (
            t("agenda.day_free")
            if any(bookable(resource, s) for s in days[d])
            else t("agenda.day_full")
        )
        for d in options
    }
    chosen: dt.date = st.selectbox(
        t("agenda.day"), options, key=key, format_func=labels.__getitem__
    )
    return chosen


def slot_label(resource: Resource, slot: Slot) -> str:
    times = f"{hhmm(slot.starts_at)}–{hhmm(slot.ends_at)}"
    if slot.state == "taken":
        return f"{times} · {t('agenda.taken')}"
    state = t("agenda.pending") if slot.state == "pending" else t("agenda.free")
    if resource.kind is ResourceKind.ITEM:
        state += " · " + t("agenda.left", count=number(slot.left))
    if not bookable(resource, slot):
        state += " · " + t("agenda.too_short")
    return f"{times} · {state}"


def day_periods(resource: Resource, slots: Sequence[Slot]) -> None:
    """The day's periods in order: bookable ones as buttons filling the form's times."""
    st.markdown(f"**{t('agenda.periods')}**")
    for slot in slots:
        label = slot_label(resource, slot)
        if bookable(resource, slot):
            st.button(label, key=f"bk-slot-{resource.id}-{slot.starts_at.isoformat()}",
                      icon=":material/event_available:" if slot.state == "free"
                      else ":material/hourglass_top:", on_click=pick_period,
                      args=(resource, slot.starts_at, slot.ends_at), width="stretch")  # fmt: skip
        else:
            icon = "block" if slot.state == "taken" else "timer_off"
            st.markdown(f":material/{icon}: {label}")
    st.caption(t("agenda.privacy"))


# -- the form's times ----------------------------------------------------------------------------


def _grid(resource: Resource, day: dt.date, *, ends: bool, after: dt.datetime) -> list[str]:
    """`HH:MM` every 30 minutes of the day's opening periods after `after`: starts (before
    closing) or ends (after opening)."""
    found: list[str] = []
    after = after.astimezone(BRUSSELS).replace(tzinfo=None)
    for hours in sorted(resource.availability.hours, key=lambda h: h.opens):
        if hours.weekday != day.weekday():
            continue
        moment = dt.datetime.combine(day, hours.opens)
        closes = dt.datetime.combine(day, hours.closes)
        while moment <= closes:
            inside = moment > dt.datetime.combine(day, hours.opens) if ends else moment < closes
            if inside and moment >= after:
                found.append(moment.strftime("%H:%M"))
            moment += STEP
    return list(dict.fromkeys(found))


def _keys(resource: Resource, day: dt.date, end_day: dt.date | None = None) -> tuple[str, str]:
    return f"bk-start-{resource.id}-{day}", f"bk-end-{resource.id}-{end_day or day}"


def pick_period(resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """A period's button (or a suggested slot): the form's day and times set to it, its length
    `DEFAULT_MINUTES` or what the period and the resource allow."""
    a = resource.availability
    room = (ends_at - starts_at) / dt.timedelta(minutes=1)
    minutes = max(a.min_minutes, min(DEFAULT_MINUTES, a.max_minutes, room))
    start = starts_at.astimezone(BRUSSELS)
    end = (starts_at + dt.timedelta(minutes=minutes)).astimezone(BRUSSELS)
    st.session_state[f"bk-day-{resource.id}"] = start.date()
    start_key, end_key = _keys(resource, start.date(), end.date())
    st.session_state[start_key] = start.strftime("%H:%M")
    st.session_state[end_key] = end.strftime("%H:%M")
    if resource.kind is ResourceKind.ITEM:
        st.session_state[f"bk-return-day-{resource.id}-{start.date()}"] = end.date()
    st.session_state["bk-picked"] = True


def _time_select(column: object, label: str, options: list[str], key: str, fallback: int) -> str:
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[min(fallback, len(options) - 1)]
    chosen: str = column.selectbox(label, options, key=key)  # type: ignore[attr-defined]
    return chosen


def _proposed_end(
    resource: Resource, start: dt.datetime, first: Slot | None, ends: list[str]
) -> int:
    """The end a start proposes: `DEFAULT_MINUTES` within the resource's limits and, when it
    starts the day's first bookable period, within that period."""
    a = resource.availability
    room = a.max_minutes
    if first is not None and first.starts_at == start:
        room = int((first.ends_at - first.starts_at) / dt.timedelta(minutes=1))
    minutes = max(a.min_minutes, min(DEFAULT_MINUTES, a.max_minutes, room))
    end = hhmm(start + dt.timedelta(minutes=minutes))
    return ends.index(end) if end in ends else 0


def _at(day: dt.date, text: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(text), BRUSSELS)


def time_inputs(
    resource: Resource,
    day: dt.date,
    open_days: Sequence[dt.date],
    now: dt.datetime,
    first: Slot | None = None,
) -> tuple[dt.datetime, dt.datetime] | None:
    """The booking's start and end on `day` (a space), or pickup on `day` and return on the
    same or a later open day (items), proposed at the day's `first` bookable period; None
    when the day has no opening hours left."""
    starts = _grid(resource, day, ends=False, after=now)
    if not starts:
        return None
    proposed = hhmm(first.starts_at) if first is not None else starts[0]
    is_item = resource.kind is ResourceKind.ITEM
    columns = st.columns(3 if is_item else 2)
    start_key, _ = _keys(resource, day)
    index = starts.index(proposed) if proposed in starts else 0
    label = t("agenda.pickup" if is_item else "agenda.start")
    start = _time_select(columns[0], label, starts, start_key, index)
    end_day = day
    if is_item:
        last = (_at(day, start) + dt.timedelta(minutes=resource.availability.max_minutes)).date()
        returns = [d for d in open_days if day <= d <= last] or [day]
        return_key = f"bk-return-day-{resource.id}-{day}"
        if st.session_state.get(return_key) not in returns:
            st.session_state[return_key] = returns[0]
        labels = {d: day_label(d) for d in returns}  # now: AppTest formats outside the run
        end_day = columns[1].selectbox(t("agenda.return_day"), returns, key=return_key,
                                       format_func=labels.__getitem__)  # fmt: skip
    ends = _grid(resource, end_day, ends=True, after=now)
    later = [e for e in ends if end_day > day or e > start]
    if not later:
        return None
    fallback = _proposed_end(resource, _at(day, start), first, later)
    _, end_key = _keys(resource, day, end_day)
    end = _time_select(columns[-1], t("agenda.return" if is_item else "agenda.end"), later,
                       end_key, fallback)  # fmt: skip
    return _at(day, start), _at(end_day, end)


# -- the week table (wide screens) ----------------------------------------------------------------


def week_table(resource: Resource, days: dict[dt.date, list[Slot]], day: dt.date) -> None:
    """The week of `day`, Monday to Sunday, in 30-minute rows: free, pending, taken, closed.
    Hidden on narrow screens (CSS), where the day's list does the job."""
    monday = day - dt.timedelta(days=day.weekday())
    week = [monday + dt.timedelta(days=i) for i in range(7)]
    cells = {
        (d, hhmm(moment)): slot for d in week for slot in days.get(d, []) for moment in _steps(slot)
    }
    rows = sorted({time for _, time in cells})
    if not rows:
        return
    head = "".join(f"<th>{html.escape(day_label(d))}</th>" for d in week)
    body = "".join(
        f"<tr><th>{row}</th>"
        + "".join(_cell(resource, cells.get((d, row))) for d in week)
        + "</tr>"
        for row in rows
    )
    legend = " ".join(
        f"<span class='{state}'>{html.escape(t(f'agenda.{state}'))}</span>"
        for state in ("free", "pending", "taken")
    )
    st.markdown(
        f"{WEEK_CSS}<div class='vilco-week'><p><b>{html.escape(t('agenda.week'))}</b></p>"
        f"<table><tr><th></th>{head}</tr>{body}</table><p class='legend'>{legend}</p></div>",
        unsafe_allow_html=True,
    )


def _steps(slot: Slot) -> list[dt.datetime]:
    count = int((slot.ends_at - slot.starts_at) / STEP)
    return [slot.starts_at + i * STEP for i in range(count)]


def _cell(resource: Resource, slot: Slot | None) -> str:
    if slot is None:
        return "<td class='closed'></td>"
    mark = {"free": "✓", "pending": "…", "taken": "✕"}[slot.state]
    if resource.kind is ResourceKind.ITEM and slot.state != "taken":
        mark = str(slot.left)
    title = html.escape(t(f"agenda.{slot.state}"))
    return f"<td class='{slot.state}' title='{title}'>{mark}</td>"
