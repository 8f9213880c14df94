"""The bookings desk (staff): requests to decide, the confirmed bookings of the coming days with
the key or items handed over and taken back, overdue returns, check-in/check-out notes with an
optional photo, and the agent's evaluation once a booking ended or came back.

Each action is one service call; its error shows as translated text where the button is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import groupby

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.model import StaffUser
from vilco_core.resources import BRUSSELS, Booking, Resource, ResourceKind
from vilco_core.services import bookings, handovers, premises
from vilco_ui import db
from vilco_ui.i18n import labeller, language, t
from vilco_ui.resources_view import brussels_day, when
from vilco_ui.widgets import flash, inert_markdown, show_error

MOMENTS = ["check_in", "check_out"]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _act(action: Callable[[], object], done: str) -> None:
    """Run one service call; its success as a flash after the rerun, its error here."""
    try:
        action()
    except VilcoError as error:
        show_error(error)
    else:
        flash(done)


def _what(booking: Booking, resource: Resource | None) -> str:
    name = resource.name.get(language()) if resource else f"#{booking.resource_id}"
    if resource is not None and resource.kind is ResourceKind.ITEM:
        name = f"{booking.quantity} × {name}"
    return name


def booking_line(booking: Booking, resource: Resource | None) -> str:
    """`BK-DEMO02 · Préau · Tue 05/12 17:30–19:30 · Atelier vélo` (Markdown-inert)."""
    parts = [f"**{booking.reference}**", _what(booking, resource), when(booking)]
    text = " · ".join(parts[:1] + [inert_markdown(p) for p in parts[1:]])
    return text + " · " + inert_markdown(booking.initiative)


def overdue_banner(
    overdue: Sequence[Booking], by_id: dict[int, Resource], current: dt.datetime
) -> None:
    if not overdue:
        return
    lines = [
        t(
            "space.overdue_line",
            line=booking_line(b, by_id.get(b.resource_id)),
            hours=int((current - b.ends_at).total_seconds() // 3600),
        )
        for b in overdue
    ]
    st.error(
        f"### {t('space.overdue_title', count=len(overdue))}\n\n"
        + "\n".join(f"- {line}" for line in lines),
        icon=":material/alarm:",
    )


def requests_section(
    user: StaffUser, waiting: Sequence[Booking], by_id: dict[int, Resource]
) -> None:
    """One card per request (a reference; its weekly occurrences listed), approve or refuse."""
    if not waiting:
        st.info(t("space.no_requests"))
        return
    ordered = sorted(waiting, key=lambda b: (b.reference, b.starts_at))
    for reference, group in groupby(ordered, key=lambda b: b.reference):
        _request_card(user, reference, list(group), by_id)


def _request_card(
    user: StaffUser, reference: str, occurrences: list[Booking], by_id: dict[int, Resource]
) -> None:
    first = occurrences[0]
    with st.container(border=True, key=f"space-request-{reference}"):
        st.markdown(booking_line(first, by_id.get(first.resource_id)))
        if len(occurrences) > 1:
            later = ", ".join(when(b) for b in occurrences[1:])
            st.caption(t("space.occurrences", count=len(occurrences)) + " — " + later)
        details = [t("space.contact", email=first.email)]
        if first.attendees:
            details.append(t("space.attendees", count=first.attendees))
        if first.purpose:
            details.append(t("space.purpose", purpose=first.purpose))
        st.caption(inert_markdown(" · ".join(details)))
        with st.form(f"space-decide-{reference}", border=False, enter_to_submit=False):
            note = st.text_input(t("space.decision_note"), key=f"space-note-{reference}",
                                 max_chars=500)  # fmt: skip
            c1, c2, _ = st.columns([1, 1, 3])
            approve = c1.form_submit_button(t("space.approve"), key=f"space-approve-{reference}",
                                            type="primary")  # fmt: skip
            refuse = c2.form_submit_button(t("space.refuse"), key=f"space-refuse-{reference}")
        if approve or refuse:
            _act(
                lambda: bookings.decide_request(db.uow(), user, reference, approve, now(), note),
                t("space.approved" if approve else "space.refused", reference=reference),
            )


def in_window(booking: Booking, first: dt.date, days: int) -> bool:
    start = dt.datetime.combine(first, dt.time(), BRUSSELS)
    end = start + dt.timedelta(days=days)
    return booking.starts_at < end and booking.ends_at > start


def day_sections(
    user: StaffUser,
    confirmed: Sequence[Booking],
    by_id: dict[int, Resource],
    current: dt.datetime,
    section: str,
) -> None:
    """The confirmed bookings grouped by their (Brussels) first day, each with its actions."""
    if not confirmed:
        st.info(t("space.no_bookings"))
        return
    for day, group in groupby(confirmed, key=lambda b: brussels_day(b.starts_at)):
        st.subheader(f"{t(f'space.day_{day.weekday()}')} {day:%d/%m/%Y}")
        for booking in group:
            booking_card(user, booking, by_id.get(booking.resource_id), current, section)


def _state(booking: Booking, current: dt.datetime) -> str:
    if booking.returned_at is not None:
        at = f"{booking.returned_at.astimezone(BRUSSELS):%d/%m %H:%M}"
        return t("space.state_returned", at=at, by=booking.returned_by or "")
    if booking.handed_at is not None:
        at = f"{booking.handed_at.astimezone(BRUSSELS):%d/%m %H:%M}"
        text = t("space.state_handed", at=at, by=booking.handed_by or "")
        if handovers.is_overdue(booking, current):
            text = "🔴 " + t("space.state_overdue") + " — " + text
        return text
    return t("space.state_waiting")


def booking_card(
    user: StaffUser,
    booking: Booking,
    resource: Resource | None,
    current: dt.datetime,
    section: str,
) -> None:
    """One confirmed booking: its state, hand over / take back, notes, the evaluation."""
    booking_id = booking.id or 0
    key = f"space-{section}-{booking_id}"
    with st.container(border=True, key=key):
        st.markdown(booking_line(booking, resource))
        st.caption(inert_markdown(_state(booking, current) + " · " + booking.email))
        c1, _ = st.columns([1, 3])
        if booking.handed_at is None:
            label = "space.hand_over_items" if _is_item(resource) else "space.hand_over"
            if c1.button(t(label), key=f"{key}-hand", type="primary"):
                _act(lambda: handovers.hand_over(db.uow(), user, booking_id, now()),
                     t("space.handed", reference=booking.reference))  # fmt: skip
        elif booking.returned_at is None:
            label = "space.take_back_items" if _is_item(resource) else "space.take_back"
            if c1.button(t(label), key=f"{key}-back", type="primary"):
                _act(lambda: handovers.take_back(db.uow(), user, booking_id, now()),
                     t("space.taken_back", reference=booking.reference))  # fmt: skip
        with st.expander(t("space.notes"), icon=":material/checklist:"):
            notes_section(user, booking_id, key)
        if booking.ends_at <= current or booking.returned_at is not None:
            with st.expander(t("space.evaluate"), icon=":material/rate_review:"):
                evaluation_form(user, booking_id, key)


def _is_item(resource: Resource | None) -> bool:
    return resource is not None and resource.kind is ResourceKind.ITEM


def notes_section(user: StaffUser, booking_id: int, key: str) -> None:
    try:
        found = premises.premises_notes(db.uow(), user, booking_id)
    except VilcoError as error:
        show_error(error)
        return
    for note in found:
        written = note.written_at.astimezone(BRUSSELS) if note.written_at else None
        st.markdown(
            f"**{t(f'space.moment_{note.moment}')}** · {inert_markdown(note.author)}"
            + (f" · {written:%d/%m %H:%M}" if written else "")
        )
        if note.text:
            st.text(note.text)
        if note.photo:
            st.image(note.photo, width=240)
    with st.form(f"{key}-note", clear_on_submit=True, enter_to_submit=False):
        moment = st.radio(t("space.moment"), MOMENTS, horizontal=True,
                          format_func=labeller("space.moment_", MOMENTS))  # fmt: skip
        text = st.text_area(t("space.note_text"), max_chars=4000)
        photo = st.file_uploader(
            t("space.photo"), type=["png", "jpg", "jpeg", "webp"], max_upload_size=5
        )
        sent = st.form_submit_button(t("space.save_note"))
    if sent:
        data = photo.getvalue() if photo is not None else None
        _act(lambda: premises.note_premises(db.uow(), user, booking_id, moment, text, now(), data),
             t("space.note_saved"))  # fmt: skip


def evaluation_form(user: StaffUser, booking_id: int, key: str) -> None:
    st.caption(t("space.evaluate_help"))
    with st.form(f"{key}-evaluation", enter_to_submit=False):
        ease = st.slider(t("space.score_ease_of_access"), 1, 5, 3, key=f"{key}-ease")
        state = st.slider(t("space.score_state"), 1, 5, 3, key=f"{key}-state")
        useful = st.slider(t("space.score_usefulness"), 1, 5, 3, key=f"{key}-useful")
        comment = st.text_area(t("space.comment"), max_chars=4000, key=f"{key}-comment")
        sent = st.form_submit_button(t("space.send_evaluation"), type="primary")
    if sent:
        scores = (int(ease), int(state), int(useful))
        _act(
            lambda: premises.evaluate_as_agent(db.uow(), user, booking_id, scores, comment, now()),
            t("space.evaluation_saved"),
        )
