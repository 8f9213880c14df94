"""Staff views of shared resources: the table of managed resources, the CSV template, the
calendar downloads and feed URLs of one resource, and booking lines shared by the desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from vilco_core.communes import COMMUNES_BY_CODE
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.i18n import LANGUAGES
from vilco_core.model import StaffUser
from vilco_core.resource_csv import INTEGERS, REQUIRED, TEXTS
from vilco_core.resource_validation import hours_text, validate_resource
from vilco_core.resources import BRUSSELS, Booking, Resource, ResourceKind
from vilco_core.services import resources
from vilco_ui import db, feeds
from vilco_ui.config import feed_key, setting
from vilco_ui.i18n import language, t
from vilco_ui.resource_form import Edited, forget_form
from vilco_ui.widgets import flash, show_error

OPTIONAL_COLUMNS = (
    *(f"{prefix}_{lang}" for prefix in TEXTS for lang in LANGUAGES if f"{prefix}_{lang}" not in
      REQUIRED),
    "address", "lat", "lon", "pickup_place", "instant", *INTEGERS,
)  # fmt: skip


def resource_name(resource: Resource) -> str:
    return resource.name.get(language())


def resource_table(found: Sequence[Resource]) -> list[dict[str, object]]:
    lang = language()
    return [
        {
            t("space.col_id"): r.id,
            t("space.col_kind"): t(f"space.kind_{r.kind.value}"),
            t("space.col_name"): r.name.get(lang),
            t("space.commune"): COMMUNES_BY_CODE[r.commune_code].name.get(lang)
            if r.commune_code in COMMUNES_BY_CODE
            else r.commune_code,
            t("space.col_size"): r.capacity if r.kind is ResourceKind.SPACE else r.quantity,
            t("space.col_booking"): t("space.instant") if r.instant else t("space.approval"),
            t("space.hours"): hours_text(r.availability.hours),
            t("space.active"): "✓" if r.active else "—",
        }
        for r in found
    ]


def csv_template() -> str:
    return ",".join((*REQUIRED, *OPTIONAL_COLUMNS)) + "\n"


def _base_url() -> str:
    """The app's public address (`VILCO_PUBLIC_URL`) when set, else the one this browser used
    (scheme, host, port): feed URLs must be absolute to be subscribed to."""
    public = setting("VILCO_PUBLIC_URL").strip().rstrip("/")
    if public:
        return public
    url = st.context.url or ""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}" if scheme and host else ""


def calendar_section(resource: Resource, user: StaffUser) -> None:
    """The staff .ics download of `resource` and the URLs to subscribe to (public, staff)."""
    user_lang = language()
    ics = resources.staff_calendar(db.uow(), user, resource.id or 0, user_lang)
    st.download_button(
        t("space.staff_ics"),
        ics,
        f"space-{resource.id}-staff.ics",
        "text/calendar",
        key=f"space-ics-{resource.id}",
    )
    base = _base_url()
    st.caption(t("space.public_feed"))
    st.code(f"{base}{feeds.public_path(resource.id or 0)}?lang={user_lang}", language=None)
    key = feed_key()
    if not key:
        st.info(t("space.staff_feed_off"))
        return
    signature = resources.staff_feed_signature(db.uow(), user, resource.id or 0, key)
    st.caption(t("space.staff_feed"))
    st.code(f"{base}{feeds.staff_path(resource.id or 0, signature)}?lang={user_lang}",
            language=None)  # fmt: skip


def when(booking: Booking) -> str:
    """`Tue 03/12 17:30–19:30` (Brussels), the end's date too when the loan spans days."""
    start = booking.starts_at.astimezone(BRUSSELS)
    end = booking.ends_at.astimezone(BRUSSELS)
    day = t(f"space.day_{start.weekday()}")
    text = f"{day} {start:%d/%m} {start:%H:%M}–"
    if end.date() != start.date():
        text += f"{t(f'space.day_{end.weekday()}')} {end:%d/%m} "
    return text + f"{end:%H:%M}"


def brussels_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BRUSSELS).date()


def save_edited(edited: Edited | None, user: StaffUser) -> None:
    """Save what the resource form gave back, or show every problem (nothing saved)."""
    if edited is None:
        return
    try:
        if edited.problems:  # with the core's other findings, all shown at once
            found = validate_resource(edited.resource)
            others = [
                p for p in found if p.code not in ("resources.bad_hours", "resources.bad_closure")
            ]
            raise ValidationErrors([*edited.problems, *others])
        resources.save_resource(db.uow(), user, edited.resource)
    except VilcoError as error:
        show_error(error)
    else:
        forget_form()
        flash(t("space.saved", name=edited.resource.name.get(language())))


def import_csv(data: bytes, user: StaffUser) -> None:
    try:
        ids = resources.import_resources_csv(db.uow(), user, data)
    except VilcoError as error:
        show_error(error)
    else:
        flash(t("space.imported", count=len(ids)))
