"""The follow page of a booking request (`/booking?t=TOKEN`, no account): that request only —
its times and status, the access instructions once confirmed, the booker's calendar file,
cancelling (confirmed twice), check-in/check-out notes with a photo and, once a booking has
ended or its key came back, the initiative's evaluation."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.resources import SCORE_RANGE, Booking, BookingStatus, ResourceKind
from vilco_core.services import bookings, premises
from vilco_core.services.bookings import FollowedRequest
from vilco_ui import agenda_view, db
from vilco_ui.booking_view import now, resource_facts
from vilco_ui.i18n import labeller, language, t
from vilco_ui.onsite import forget_params
from vilco_ui.widgets import flash, inert_markdown, show_error, show_flash

TOKEN_KEY = "vilco_booking_token"
CANCEL_KEY = "vilco_booking_cancel"
MOMENTS = ["check_in", "check_out"]
STATUS_BOX = {"confirmed": st.success, "requested": st.info}
PHOTO_TYPES = ["png", "jpg", "jpeg", "webp"]


def follow_token(params: dict[str, str]) -> str | None:
    """This session's follow token: from the link's `t=` (kept in the session on the first
    load, so reruns and page changes keep it), else pasted in (the link or the token)."""
    if TOKEN_KEY not in st.session_state and params.get("t"):
        st.session_state[TOKEN_KEY] = params["t"].strip()
    token = st.session_state.get(TOKEN_KEY)
    if isinstance(token, str) and token:
        return token
    st.info(t("booking.follow_paste_help"))
    with st.form("bk-follow-paste", enter_to_submit=False):
        typed = st.text_input(t("booking.follow_paste"), max_chars=300)
        go = st.form_submit_button(t("booking.follow_open"), type="primary", width="stretch")
    if go and typed.strip():
        found = parse_qs(urlsplit(typed.strip()).query).get("t")
        st.session_state[TOKEN_KEY] = found[0] if found else typed.strip()
        st.rerun()
    return None


def forget_token() -> None:
    """ "Try another link": the token goes from the session and from the address, which would
    bring it back on the next run."""
    st.session_state.pop(TOKEN_KEY, None)
    forget_params("t")
    st.query_params.pop("t", None)


def occurrence_label(booking: Booking) -> str:
    return agenda_view.period_text(booking.starts_at, booking.ends_at)


def show_followed(followed: FollowedRequest) -> None:
    """The request: status, resource, occurrences; the access instructions and the calendar
    file only when confirmed."""
    show_flash()
    status = followed.status.value
    STATUS_BOX.get(status, st.warning)(t(f"booking.status_{status}"))
    note = next((b.decision_note for b in followed.bookings if b.decision_note), "")
    if note:  # the agent's word with the decision ("key at the desk", a refusal's reason)
        st.markdown(f"**{t('booking.decision_note')}**  \n{inert_markdown(note)}")
    st.markdown(f"### {t('booking.reference', reference=followed.reference)}")
    with st.container(border=True):
        resource_facts(followed.resource)
    is_item = followed.resource.kind is ResourceKind.ITEM
    lines = [
        f"- {occurrence_label(b)}"
        + (f" · {t('booking.items', count=agenda_view.number(b.quantity))}" if is_item else "")
        + ("" if b.status is followed.status else f" · {t(f'booking.status_{b.status.value}')}")
        for b in followed.bookings
    ]
    st.markdown(f"**{t('booking.when')}**\n\n" + "\n".join(lines))
    if followed.status is not BookingStatus.CONFIRMED:
        return
    access = followed.resource.access_instructions.get(language())
    if access:
        st.info(f"**{t('booking.access')}**  \n{inert_markdown(access)}")
    token = st.session_state[TOKEN_KEY]
    lang = language()
    st.download_button(t("booking.my_ical"), on_click="ignore", key="bk-my-ical",
                       data=lambda: bookings.booking_ics(db.uow(), token, lang),
                       file_name=f"{followed.reference}.ics", mime="text/calendar",
                       icon=":material/calendar_month:", width="stretch")  # fmt: skip


def cancel_section(token: str, followed: FollowedRequest) -> None:
    """Cancel what has not begun yet, after a second, explicit confirmation."""
    moment = now()
    if followed.status not in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED) or not any(
        b.starts_at > moment and b.status is followed.status for b in followed.bookings
    ):
        return
    if not st.session_state.get(CANCEL_KEY):
        st.button(t("booking.cancel"), icon=":material/event_busy:", width="stretch",
                  on_click=st.session_state.__setitem__, args=(CANCEL_KEY, True))  # fmt: skip
        return
    st.warning(t("booking.cancel_sure"))
    yes, no = st.columns(2)
    if yes.button(t("booking.cancel_yes"), type="primary", width="stretch"):
        st.session_state.pop(CANCEL_KEY, None)
        try:
            bookings.cancel_by_token(db.uow(), token, now())
        except VilcoError as error:
            show_error(error)
        else:
            flash(t("booking.cancelled"))
    no.button(t("booking.cancel_no"), width="stretch", on_click=st.session_state.pop,
              args=(CANCEL_KEY, None))  # fmt: skip


def _photo_texts() -> None:
    """The file picker's own texts are English ("Upload", "200MB per file"); these rules show
    ours in their place (the limits are in the field's label)."""
    drop, browse = (t("booking.photo_drop").replace('"', "'"),
                    t("booking.photo_browse").replace('"', "'"))  # fmt: skip
    zone = ".st-key-bk-photo [data-testid='stFileUploaderDropzone']"
    hint = f"{zone} [data-testid='stFileUploaderDropzoneInstructions'] > div"
    st.html(
        f'<style>{hint} > * {{display: none;}} {hint}::before {{content: "{drop}";}} '
        f"{zone} button [data-testid='stMarkdownContainer'] {{display: none;}} "
        f'{zone} button > div::after {{content: "{browse}";}}</style>'
    )


def _pick_booking(label_key: str, choices: list[Booking], key: str) -> Booking:
    if len(choices) == 1:
        return choices[0]
    ids = [b.id for b in choices]
    labels = {b.id: occurrence_label(b) for b in choices}
    picked = st.selectbox(t(label_key), ids, key=key, format_func=labels.__getitem__)
    return next(b for b in choices if b.id == picked)


def notes_section(token: str, followed: FollowedRequest) -> None:
    """Check-in / check-out notes on the state of the premises, a photo if useful."""
    confirmed = [b for b in followed.bookings if b.status is BookingStatus.CONFIRMED]
    if not confirmed:
        return
    with st.expander(t("booking.notes_title"), icon=":material/fact_check:"):
        st.caption(t("booking.notes_help"))
        _photo_texts()
        with st.form("bk-note", clear_on_submit=True, enter_to_submit=False):
            booking = _pick_booking("booking.occurrence", confirmed, "bk-note-booking")
            moment = st.radio(t("booking.moment"), MOMENTS, horizontal=True,
                              format_func=labeller("booking.moment_", MOMENTS))  # fmt: skip
            text = st.text_area(t("booking.note"), max_chars=4000, height=90)
            with st.container(key="bk-photo"):
                photo = st.file_uploader(t("booking.photo"), type=PHOTO_TYPES)
            sent = st.form_submit_button(t("booking.note_send"), type="primary", width="stretch")
        if sent:
            try:
                picture = photo.getvalue() if photo else None
                premises.note_premises_by_token(db.uow(), token, booking.id or 0, moment, text,
                                                now(), picture)  # fmt: skip
            except VilcoError as error:
                show_error(error)
            else:
                flash(t("booking.note_saved"))


def evaluation_section(token: str, followed: FollowedRequest) -> None:
    """Once a booking has ended (or its key came back): ease of access, state, usefulness;
    once per booking (the form closes for those already evaluated)."""
    confirmed = [b for b in followed.bookings if b.status is BookingStatus.CONFIRMED]
    if not confirmed:
        return
    moment = now()
    done = premises.evaluated_by_token(db.uow(), token)
    ended = [b for b in confirmed if b.ends_at <= moment or b.returned_at is not None]
    st.markdown(f"#### {t('booking.evaluate_title')}")
    if ended and all(b.id in done for b in ended):
        st.success(t("booking.evaluated_all"), icon=":material/check_circle:")
    ended = [b for b in ended if b.id not in done]
    if not ended:
        later = [b for b in confirmed if b.id not in done]
        if later:
            first = min(later, key=lambda b: b.ends_at)
            st.caption(t("booking.evaluate_later", when=occurrence_label(first)))
        return
    scores = list(SCORE_RANGE)
    with st.form("bk-evaluate", enter_to_submit=False):
        booking = _pick_booking("booking.occurrence", ended, "bk-eval-booking")
        st.caption(t("booking.score_help"))
        given = [
            st.radio(
                t(f"booking.score_{name}"),
                scores,
                index=None,
                horizontal=True,
                key=f"bk-score-{name}",
            )
            for name in ("ease", "state", "usefulness")
        ]
        comment = st.text_area(t("booking.comment"), max_chars=4000, height=90)
        sent = st.form_submit_button(t("booking.evaluate_send"), type="primary", width="stretch")
    if sent:
        ease, state, useful = (int(s) if s is not None else 0 for s in given)
        try:
            premises.evaluate_by_token(db.uow(), token, booking.id or 0, (ease, state, useful),
                                       comment, now())  # fmt: skip
        except VilcoError as error:
            show_error(error)
        else:
            flash(t("booking.evaluated"))
