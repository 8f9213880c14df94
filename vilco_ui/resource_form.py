"""The staff form of a shared resource (a space or a garage item): widgets in, a `Resource` out.

Every field of `Resource` is edited here; the opening hours as text (`mon-fri 09:00-22:00`,
`vilco_core.resource_validation.parse_hours`), the closures one per line
(`2026-12-24..2027-01-01 holidays`), the pictures one URL per line. Text the form cannot parse
becomes a translated problem and nothing is saved; everything else is validated by the core.
Plain widgets (no `st.form`) so the map preview follows the coordinates as they are typed; the
widget keys carry a counter that a save bumps, which empties the creation form.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import pydeck as pdk
import streamlit as st

from vilco_core.communes import COMMUNES, COMMUNES_BY_CODE
from vilco_core.errors import VilcoError
from vilco_core.i18n import LANGUAGES
from vilco_core.model import LocalText, Role, StaffUser
from vilco_core.resource_validation import hours_text, parse_hours
from vilco_core.resources import Availability, Closure, Resource, ResourceKind
from vilco_ui.i18n import label, language, t
from vilco_ui.widgets import deck_of, outline_layer

_CLOSURE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?\s*(.*)$")
_NONCE = "space-form-nonce"


@dataclass(frozen=True, slots=True)
class Edited:
    """What the form gives back when its save button is pressed."""

    resource: Resource
    problems: tuple[VilcoError, ...]  # what the form itself could not read


def managed_communes(user: StaffUser) -> list[str]:
    """The communes `user` may put a resource in: every one for an admin, else their own."""
    if user.role is Role.ADMIN:
        return [c.code for c in COMMUNES]
    return [c.code for c in COMMUNES if c.code in user.commune_codes]


def closures_text(closures: tuple[Closure, ...]) -> str:
    lines = []
    for c in closures:
        span = c.starts_on.isoformat()
        if c.ends_on != c.starts_on:
            span += f"..{c.ends_on.isoformat()}"
        lines.append(f"{span} {c.reason}".strip())
    return "\n".join(lines)


def parse_closures(text: str) -> tuple[Closure, ...] | None:
    """One closure a line, `YYYY-MM-DD[..YYYY-MM-DD] reason`; None when a line does not read."""
    closures = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        found = _CLOSURE.match(line)
        if found is None:
            return None
        try:
            first = dt.date.fromisoformat(found.group(1))
            last = dt.date.fromisoformat(found.group(2) or found.group(1))
        except ValueError:
            return None
        closures.append(Closure(starts_on=first, ends_on=last, reason=found.group(3).strip()))
    return tuple(closures)


def _texts(field: str, old: LocalText | None, key: str, area: bool = False) -> LocalText:
    """One input per language for a `LocalText` field (`name` → `name_fr`, `name_nl`…)."""
    columns = st.columns(len(LANGUAGES))
    typed = {}
    for lang, column in zip(LANGUAGES, columns, strict=True):
        widget = column.text_area if area else column.text_input
        value = old.exact(lang) if old else ""
        typed[lang] = widget(label(f"{field}_{lang}"), value, key=f"{key}-{field}-{lang}")
    return LocalText({lang: text.strip() for lang, text in typed.items()})


def resource_form(resource: Resource | None, kind: ResourceKind, user: StaffUser) -> Edited | None:
    """The create (`resource=None`) or edit form; an `Edited` when saved, else None."""
    nonce = st.session_state.setdefault(_NONCE, 0)
    key = f"space-form-{resource.id if resource else 'new-' + kind.value}-{nonce}"
    old = resource
    availability = old.availability if old else Availability()
    communes = managed_communes(user)
    if old and old.commune_code not in communes:  # cannot happen: only managed ones are listed
        communes = [old.commune_code, *communes]
    lang = language()
    names = {c.code: c.name.get(lang) for c in COMMUNES}
    c1, c2, c3 = st.columns([2, 1, 1])
    commune = c1.selectbox(
        t("space.commune"),
        communes,
        index=communes.index(old.commune_code) if old else 0,
        format_func=lambda code: names.get(code, code),
        key=f"{key}-commune",
    )
    instant = c2.toggle(t("space.instant"), old.instant if old else False, key=f"{key}-instant",
                        help=t("space.instant_help"))  # fmt: skip
    active = c3.toggle(t("space.active"), old.active if old else True, key=f"{key}-active")
    name = _texts("name", old.name if old else None, key)
    description = _texts("description", old.description if old else None, key, area=True)
    lat: float | None = None
    lon: float | None = None
    capacity = 0
    quantity = 1
    pickup_place = ""
    conditions = LocalText()
    if kind is ResourceKind.SPACE:
        st.markdown(f"**{t('space.where')}**")
        centre = COMMUNES_BY_CODE.get(commune)
        c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
        address = c1.text_input(label("address"), old.address if old else "", key=f"{key}-addr")
        lat = c2.number_input(
            t("field.lat"), 50.0, 51.5, (old.lat if old and old.lat else centre.lat if centre else
                                         50.8467), format="%.5f", key=f"{key}-lat"
        )  # fmt: skip
        lon = c3.number_input(
            t("field.lon"), 3.5, 5.5, (old.lon if old and old.lon else centre.lon if centre else
                                       4.3525), format="%.5f", key=f"{key}-lon"
        )  # fmt: skip
        capacity = int(c4.number_input(t("space.capacity"), 0, 100_000, old.capacity if old else 0,
                                       key=f"{key}-capacity"))  # fmt: skip
        point_preview(float(lat), float(lon))
        accessibility = _texts("accessibility", old.accessibility if old else None, key, True)
    else:
        st.markdown(f"**{t('garage.stock')}**")
        c1, c2 = st.columns([1, 3])
        quantity = int(c1.number_input(t("garage.quantity"), 1, 100_000, old.quantity if old else 1,
                                       key=f"{key}-quantity"))  # fmt: skip
        pickup_place = c2.text_input(label("pickup_place"), old.pickup_place if old else "",
                                     key=f"{key}-pickup")  # fmt: skip
        address = pickup_place
        conditions = _texts("conditions", old.conditions if old else None, key, area=True)
        accessibility = old.accessibility if old else LocalText()
    rules = _texts("rules", old.rules if old else None, key, area=True)
    access_instructions = _texts(
        "access_instructions", old.access_instructions if old else None, key, area=True
    )
    st.caption(t("space.access_instructions_help"))
    st.markdown(f"**{t('space.availability')}**")
    hours_typed = st.text_input(t("space.hours"), hours_text(availability.hours),
                                help=t("space.hours_help"), key=f"{key}-hours")  # fmt: skip
    closures_typed = st.text_area(t("space.closures"), closures_text(availability.closures),
                                  help=t("space.closures_help"), key=f"{key}-closures",
                                  height=80)  # fmt: skip
    c1, c2, c3, c4 = st.columns(4)
    minimum = c1.number_input(t("space.min_minutes"), 0, 100_000, availability.min_minutes,
                              step=30, key=f"{key}-min")  # fmt: skip
    maximum = c2.number_input(t("space.max_minutes"), 0, 100_000, availability.max_minutes,
                              step=30, key=f"{key}-max")  # fmt: skip
    buffer = c3.number_input(t("space.buffer_minutes"), 0, 10_000, availability.buffer_minutes,
                             step=15, key=f"{key}-buffer")  # fmt: skip
    horizon = c4.number_input(t("space.horizon_days"), 0, 3650, availability.horizon_days,
                              key=f"{key}-horizon")  # fmt: skip
    pictures_typed = st.text_area(t("space.pictures"), "\n".join(old.pictures) if old else "",
                                  help=t("space.pictures_help"), key=f"{key}-pictures",
                                  height=68)  # fmt: skip
    if not st.button(t("action.save"), type="primary", key=f"{key}-save"):
        return None
    problems: list[VilcoError] = []
    hours = parse_hours(hours_typed)
    if hours is None:
        problems.append(VilcoError("space.bad_hours_text", text=hours_typed))
    closures = parse_closures(closures_typed)
    if closures is None:
        problems.append(VilcoError("space.bad_closures_text"))
    edited = Resource(
        id=old.id if old else None,
        kind=kind,
        commune_code=commune,
        name=name,
        description=description,
        instant=bool(instant),
        availability=Availability(
            hours=hours or (),
            closures=closures or (),
            min_minutes=int(minimum),
            max_minutes=int(maximum),
            buffer_minutes=int(buffer),
            horizon_days=int(horizon),
        ),
        quantity=quantity,
        address=address.strip(),
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        capacity=capacity,
        accessibility=accessibility,
        rules=rules,
        access_instructions=access_instructions,
        pickup_place=pickup_place.strip(),
        conditions=conditions,
        pictures=tuple(p.strip() for p in pictures_typed.splitlines() if p.strip()),
        active=bool(active),
    )
    return Edited(edited, tuple(problems))


def forget_form() -> None:
    """After a save: the next run draws fresh, empty widgets."""
    st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1


def point_preview(lat: float, lon: float, height: int = 240) -> None:
    """A small map of the point over the region's outline (offline like the project map:
    no basemap when `VILCO_BASEMAP=none`)."""
    layers = [
        outline_layer(),
        pdk.Layer(
            "ScatterplotLayer",
            [{"lat": lat, "lon": lon, "label": html.escape(f"{lat:.5f}, {lon:.5f}")}],
            get_position=["lon", "lat"],
            get_radius=60,
            radius_min_pixels=6,
            get_fill_color=[200, 60, 40],
            stroked=True,
            get_line_color=[255, 255, 255],
            line_width_min_pixels=2,
            pickable=True,
        ),
    ]
    view = pdk.ViewState(latitude=lat, longitude=lon, zoom=13)
    st.pydeck_chart(deck_of(layers, view, {"html": "{label}"}), height=height)
