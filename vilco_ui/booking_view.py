"""Streamlit glue of booking shared resources, for citizen initiatives (public pages, no
account): the map and the cards of the spaces and garage items, the agenda and the request
form of the chosen one, the receipt with its secret follow link (shown once), and the follow
page of a request (`/booking?t=TOKEN`): times, status, access instructions once confirmed, the
booker's calendar file, cancelling, premises notes and the evaluation."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pydeck as pdk
import streamlit as st

from vilco_core.communes import COMMUNES_BY_CODE
from vilco_core.errors import VilcoError
from vilco_core.resources import MAX_WEEKS, BookingRequest, Resource, ResourceKind, SlotConflict
from vilco_core.services import bookings, resources, voting
from vilco_ui import agenda_view, db
from vilco_ui.config import setting
from vilco_ui.i18n import labeller, language, t
from vilco_ui.widgets import deck_of, inert_markdown, points_view, region_layers, show_error

KIND_KEY = "vilco_resource_kind"
CHOSEN_KEY = "vilco_resource_id"
RECEIPT_KEY = "vilco_booking_receipt"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KINDS = [ResourceKind.SPACE.value, ResourceKind.ITEM.value]
INSTANT_COLOUR = (46, 160, 67)  # a brighter green than the region's outline
APPROVAL_COLOUR = (31, 119, 180)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def commune_name(code: str) -> str:
    commune = COMMUNES_BY_CODE.get(code)
    return commune.name.get(language()) if commune else code


def kind_picker() -> ResourceKind:
    """Spaces or garage items; kept for the session."""
    st.session_state.setdefault(KIND_KEY, ResourceKind.SPACE.value)
    chosen = st.radio(t("booking.kind"), KINDS, key=KIND_KEY, horizontal=True,
                      format_func=labeller("booking.kind_", KINDS), on_change=choose,
                      args=(None,), label_visibility="collapsed")  # fmt: skip
    return ResourceKind(chosen)


def choose(resource_id: int | None) -> None:
    """A card's button, a map point or "back to the list"; a new choice forgets the receipt."""
    st.session_state[CHOSEN_KEY] = resource_id
    st.session_state.pop(RECEIPT_KEY, None)


def chosen_resource() -> Resource | None:
    resource_id = st.session_state.get(CHOSEN_KEY)
    if resource_id is None:
        return None
    try:
        return resources.get_resource(db.uow(), resource_id)
    except VilcoError:  # withdrawn meanwhile
        st.session_state[CHOSEN_KEY] = None
        return None


# -- the map and the cards ---------------------------------------------------------------------


def space_map(spaces: list[Resource], height: int = 360) -> None:
    """The spaces on the region's outline (offline rules of the project map); tapping a point
    chooses that space. Tooltip: name, commune, capacity."""
    placed = [s for s in spaces if s.lat is not None and s.lon is not None]
    if not placed:
        return
    lang = language()
    frame = pd.DataFrame(
        [
            {
                "id": s.id,
                "lat": s.lat,
                "lon": s.lon,
                "name": html.escape(s.name.get(lang)),
                "commune": html.escape(commune_name(s.commune_code)),
                "capacity": html.escape(
                    t("booking.capacity", count=agenda_view.number(s.capacity))
                ),
                "colour": list(INSTANT_COLOUR if s.instant else APPROVAL_COLOUR),
            }
            for s in placed
        ]
    )
    layer = pdk.Layer("ScatterplotLayer", frame, id="spaces", get_position=["lon", "lat"],
                      get_radius=90, radius_min_pixels=8, get_fill_color="colour",
                      pickable=True, stroked=True, get_line_color=[255, 255, 255],
                      line_width_min_pixels=2)  # fmt: skip
    view = points_view([(s.lat or 0.0, s.lon or 0.0) for s in placed], height, width=330)
    tooltip = {"html": "<b>{name}</b><br/>{commune}<br/>{capacity}"}
    event = st.pydeck_chart(deck_of([*region_layers(), layer], view, tooltip), height=height,
                            on_select="rerun", selection_mode="single-object",
                            key="spaces-map")  # fmt: skip
    picked = event.selection.get("objects", {}).get("spaces", []) if event else []
    if picked:
        choose(int(picked[0]["id"]))
        st.rerun()
    st.caption(t("booking.map_help"))


def _picture(resource: Resource) -> None:
    for picture in resource.pictures[:1]:
        local = DATA_DIR / picture
        if picture.startswith(("https://", "http://")):
            st.image(picture, width="stretch")
        elif local.is_file() and DATA_DIR in local.resolve().parents:
            st.image(str(local), width="stretch")


def resource_facts(resource: Resource) -> None:
    """What an initiative needs to choose: where, for how many, access, how it is confirmed."""
    lang = language()
    st.markdown(f"#### {inert_markdown(resource.name.get(lang))}")
    place = resource.address if resource.kind is ResourceKind.SPACE else resource.pickup_place
    where = " · ".join(x for x in (commune_name(resource.commune_code), place) if x)
    st.caption(f":material/location_on: {inert_markdown(where)}")
    lines = []
    number = agenda_view.number
    if resource.kind is ResourceKind.SPACE:
        lines.append(f":material/group: {t('booking.capacity', count=number(resource.capacity))}")
    else:
        lines.append(
            f":material/inventory_2: {t('booking.stock', count=number(resource.quantity))}"
        )
    if resource.accessibility.get(lang):
        lines.append(f":material/accessible: {inert_markdown(resource.accessibility.get(lang))}")
    if resource.conditions.get(lang):
        lines.append(f":material/euro: {inert_markdown(resource.conditions.get(lang))}")
    lines.append(
        ":material/bolt: " + t("booking.instant")
        if resource.instant
        else ":material/schedule: " + t("booking.approval")
    )
    st.markdown("  \n".join(lines))


def resource_card(resource: Resource) -> None:
    """A card of the list: picture, facts, "agenda and booking", the public calendar file."""
    with st.container(border=True, key=f"bk-card-{resource.id}"):
        _picture(resource)
        resource_facts(resource)
        st.button(t("booking.choose"), key=f"bk-choose-{resource.id}", type="primary",
                  on_click=choose, args=(resource.id,), width="stretch")  # fmt: skip
        if resource.kind is ResourceKind.SPACE:
            calendar_download(resource)


def calendar_download(resource: Resource) -> None:
    lang = language()
    resource_id = resource.id or 0
    st.download_button(t("booking.ical"), key=f"bk-ical-{resource_id}", on_click="ignore",
                       data=lambda: resources.public_calendar(db.uow(), resource_id, lang),
                       file_name=f"space-{resource_id}.ics", mime="text/calendar",
                       icon=":material/calendar_month:", width="stretch")  # fmt: skip


def resource_cards(found: list[Resource]) -> None:
    """Cards in two columns on wide screens (one under the other on a phone)."""
    if not found:
        st.info(t("booking.none"))
        return
    columns = st.columns(2)
    for i, resource in enumerate(found):
        with columns[i % 2]:
            resource_card(resource)


# -- the agenda and the request ------------------------------------------------------------------


def agenda_and_times(resource: Resource) -> tuple[dt.datetime, dt.datetime] | None:
    """The agenda of the next weeks (day list, and the week table on wide screens) and the
    form's times; None when nothing is open."""
    moment = now()
    today = moment.astimezone(agenda_view.BRUSSELS).date()
    days = agenda_view.by_day(resources.agenda(db.uow(), resource.id or 0, today, 62, moment))
    if not days:
        st.info(t("agenda.nothing_open"))
        return None
    st.markdown(f"##### {t('agenda.title')}")
    left, right = st.columns([2, 3])
    with left:
        day = agenda_view.day_picker(resource, days)
        agenda_view.day_periods(resource, days[day])
    with right:
        agenda_view.week_table(resource, days, day)
    st.markdown(f"##### {t('booking.form_title')}")
    first = next((s for s in days[day] if agenda_view.bookable(resource, s)), None)
    return agenda_view.time_inputs(resource, day, list(days), moment, first)


def request_form(
    resource: Resource, times: tuple[dt.datetime, dt.datetime] | None
) -> BookingRequest | None:
    """Who asks, what for, for how many; the request when sent (the core checks it all)."""
    is_space = resource.kind is ResourceKind.SPACE
    with st.form(f"bk-form-{resource.id}", enter_to_submit=False):
        initiative = st.text_input(t("booking.initiative"), max_chars=200)
        email = st.text_input(t("booking.email"), max_chars=254)
        purpose = st.text_area(t("booking.purpose"), max_chars=1000, height=90)
        count = st.number_input(
            t("booking.attendees" if is_space else "booking.quantity"),
            min_value=0 if is_space else 1,
            value=0 if is_space else 1,
            step=1,
        )
        repeats = {n: t("booking.once") if n == 1 else t("booking.weekly", count=n)
                   for n in range(1, MAX_WEEKS + 1)}  # fmt: skip
        weeks = st.selectbox(t("booking.repeat"), list(repeats), format_func=repeats.__getitem__)
        sent = st.form_submit_button(t("booking.submit"), type="primary", width="stretch")
    if not sent or times is None:
        return None
    return BookingRequest(resource_id=resource.id or 0, starts_at=times[0], ends_at=times[1],
                          initiative=initiative, email=email, purpose=purpose,
                          attendees=int(count) if is_space else 0,
                          quantity=1 if is_space else int(count), weeks=int(weeks))  # fmt: skip


def send_request(resource: Resource, request: BookingRequest) -> None:
    """Store the request; its receipt shows after the rerun. A taken slot offers the next free
    ones as buttons that fill the form."""
    try:
        receipt = bookings.request_booking(db.uow(), request, now())
    except SlotConflict as conflict:
        show_error(conflict)
        if conflict.free:
            st.markdown(f"**{t('booking.next_free')}**")
        for start, end in conflict.free:
            st.button(agenda_view.period_text(start, end), key=f"bk-next-{start.isoformat()}",
                      on_click=agenda_view.pick_period, args=(resource, start, end),
                      icon=":material/event_available:", width="stretch")  # fmt: skip
        return
    except VilcoError as error:
        show_error(error)
        return
    st.session_state[RECEIPT_KEY] = {
        "reference": receipt.reference,
        "token": receipt.token,
        "status": receipt.status.value,
        "resource": resource.name.as_dict(),
        "times": [(b.starts_at, b.ends_at) for b in receipt.bookings],
    }
    st.rerun()


def follow_link(token: str) -> str:
    """`<the app's address>/booking?t=TOKEN&lang=xx` (opened in the booker's language):
    `VILCO_PUBLIC_URL` when set, else the address this browser uses (a reverse proxy's too),
    else the default public URL."""
    base = setting("VILCO_PUBLIC_URL", "").strip().rstrip("/")
    if not base:
        seen = urlsplit(st.context.url or "")
        base = voting.public_url()
        if seen.scheme in ("http", "https") and seen.netloc:
            base = f"{seen.scheme}://{seen.netloc}{seen.path.rsplit('/', 1)[0]}"
    return f"{base}/booking?t={token}&lang={language()}"


def show_receipt() -> bool:
    """The receipt of the request just sent, with its follow link: the only time the link
    exists in clear (only its hash is stored). False when there is none."""
    receipt = st.session_state.get(RECEIPT_KEY)
    if not isinstance(receipt, dict):
        return False
    lang = language()
    confirmed = receipt["status"] == "confirmed"
    (st.success if confirmed else st.info)(
        t("booking.done_confirmed" if confirmed else "booking.done_requested")
    )
    st.markdown(f"### {t('booking.reference', reference=receipt['reference'])}")
    name = receipt["resource"].get(lang) or receipt["resource"].get("fr", "")
    periods = [agenda_view.period_text(s, e) for s, e in receipt["times"]]
    st.markdown(f"**{inert_markdown(name)}**  \n" + "  \n".join(periods))
    link = follow_link(receipt["token"])
    st.warning(t("booking.keep_link"))
    st.code(link, language=None, wrap_lines=True)
    st.link_button(t("booking.open_follow"), link, icon=":material/open_in_new:", width="stretch")
    st.button(t("booking.another"), on_click=choose, args=(None,), width="stretch")
    return True
