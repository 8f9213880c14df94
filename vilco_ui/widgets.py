"""Reusable pieces: translated errors, money, the project map (pydeck)."""

from __future__ import annotations

import html
import math
import re
import zlib
from collections.abc import Mapping, Sequence

import pandas as pd
import pydeck as pdk
import streamlit as st

from vilco_core import codes as code_rules
from vilco_core.communes import BRUSSELS_OUTLINE, COMMUNES
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.i18n import translate_error
from vilco_core.model import Project, ProjectStatus
from vilco_ui.config import setting
from vilco_ui.i18n import language, t

STATUS_COLOURS = {
    ProjectStatus.PROPOSED: (120, 120, 120),
    ProjectStatus.ELIGIBLE: (31, 119, 180),
    ProjectStatus.SELECTED: (11, 110, 79),
    ProjectStatus.REJECTED: (200, 60, 40),
    ProjectStatus.COMPLETED: (150, 80, 170),
    ProjectStatus.WITHDRAWN: (214, 140, 0),
}


def show_error(error: VilcoError) -> None:
    """Every problem as translated text; never a traceback."""
    problems = error.problems if isinstance(error, ValidationErrors) else [error]
    lines = [translate_error(p.code, p.params, language()) for p in problems]
    st.error("\n".join(f"- {line}" for line in lines) if len(lines) > 1 else lines[0])


def euros(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", "\u202f")
    return f"{text},{rest:02d} €" if rest else f"{text} €"


def _theme_colour(theme: str) -> tuple[int, int, int]:
    h = zlib.crc32(theme.encode())
    return (60 + h % 160, 60 + (h >> 8) % 160, 60 + (h >> 16) % 160)


def project_frame(projects: Sequence[Project], colour_by: str = "status") -> pd.DataFrame:
    """One row per project, texts HTML-escaped (pydeck tooltips interpolate them as HTML)."""
    lang = language()
    rows = [
        {
            "lat": p.lat,
            "lon": p.lon,
            "title": html.escape(p.title.get(lang)),
            "cost": html.escape(euros(p.cost_cents)),
            "status": html.escape(t(f"status.{p.status.value}")),
            "theme": html.escape(p.theme or "—"),
            "radius": max(30.0, (p.cost_cents / 100) ** 0.5 * 1.2),
            "colour": list(
                STATUS_COLOURS[p.status] if colour_by == "status" else _theme_colour(p.theme)
            ),
        }
        for p in projects
    ]
    return pd.DataFrame(
        rows, columns=["lat", "lon", "title", "cost", "status", "theme", "radius", "colour"]
    )


def _view_of(projects: Sequence[Project], height: int = 520) -> pdk.ViewState:
    return points_view([(p.lat, p.lon) for p in projects], height)


def points_view(
    points: Sequence[tuple[float, float]], height: int = 520, width: int = 700
) -> pdk.ViewState:
    """Centred on the (lat, lon) points, zoomed to hold them all (the whole region when none).

    deck.gl's zoom 0 spans 360° of longitude in 512 px, and Mercator stretches a degree of
    latitude by 1/cos(latitude); the points must fit in 3/4 of the height and of the width
    (~700 px; a phone's 330)."""
    if not points:
        return pdk.ViewState(latitude=50.845, longitude=4.36, zoom=11.3)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    lat, lon = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2
    per_degree = 512 / 360
    fit_lat = 0.75 * height * math.cos(math.radians(lat)) / per_degree
    fit_lon = 0.75 * width / per_degree
    zoom = min(
        math.log2(fit_lat / max(max(lats) - min(lats), 0.002)),
        math.log2(fit_lon / max(max(lons) - min(lons), 0.002)),
    )
    return pdk.ViewState(latitude=lat, longitude=lon, zoom=min(16.0, max(10.5, zoom)))


def project_map(projects: Sequence[Project], colour_by: str = "status", height: int = 520) -> None:
    """Projects as points sized by cost; the region's outline and commune centroids drawn too,
    so the map reads even without basemap tiles (no internet, or `VILCO_BASEMAP=none`)."""
    frame = project_frame(projects, colour_by)
    layers = [
        *region_layers(),
        pdk.Layer(
            "ScatterplotLayer",
            frame,
            id="projects",
            get_position=["lon", "lat"],
            get_radius="radius",
            get_fill_color="colour",
            opacity=0.8,
            pickable=True,
            stroked=True,
            get_line_color=[255, 255, 255],
            line_width_min_pixels=1,
        ),
    ]
    tooltip = {"html": "<b>{title}</b><br/>{cost}<br/>{status} · {theme}"}
    st.pydeck_chart(deck_of(layers, _view_of(projects, height), tooltip), height=height)


def outline_layer() -> pdk.Layer:
    """The Brussels region's outline, drawn under every map."""
    return pdk.Layer(
        "PolygonLayer",
        [{"polygon": [list(v) for v in BRUSSELS_OUTLINE]}],
        get_polygon="polygon",
        filled=True,
        get_fill_color=[235, 242, 238, 120],
        stroked=True,
        get_line_color=[11, 110, 79],
        line_width_min_pixels=2,
    )


def region_layers() -> list[pdk.Layer]:
    """The region's outline and the communes' names: a map that reads without basemap tiles."""
    lang = language()
    communes = pd.DataFrame(
        [{"lat": c.lat, "lon": c.lon, "name": html.escape(c.name.get(lang))} for c in COMMUNES]
    )
    return [
        outline_layer(),
        pdk.Layer(
            "ScatterplotLayer",
            communes,
            get_position=["lon", "lat"],
            get_radius=60,
            get_fill_color=[90, 90, 90, 160],
        ),
        pdk.Layer(
            "TextLayer",
            communes,
            get_position=["lon", "lat"],
            get_text="name",
            get_size=12,
            get_color=[60, 60, 60],
            get_pixel_offset=[0, 14],
        ),
    ]


def deck_of(layers: list[pdk.Layer], view: pdk.ViewState, tooltip: dict[str, str]) -> pdk.Deck:
    """A deck over the outline only (offline, the default), or over Carto's basemap tiles when
    `VILCO_BASEMAP=carto`: a stand without internet shows a clean map and no failing request."""
    if setting("VILCO_BASEMAP", "none") != "carto":
        return pdk.Deck(layers=layers, initial_view_state=view, tooltip=tooltip, map_provider=None)
    return pdk.Deck(layers=layers, initial_view_state=view, tooltip=tooltip, map_style="light")


def pick_process(processes: Sequence[object], key: str) -> int | None:
    """A process selector remembering the choice in the session; None when there is none."""
    from vilco_core.model import Process

    items = [p for p in processes if isinstance(p, Process) and p.id is not None]
    if not items:
        st.info(t("processes.none"))
        return None
    ids = [p.id for p in items]
    names = {p.id: p.name.get(language()) for p in items}
    remembered = st.session_state.get("vilco_process_id")
    index = ids.index(remembered) if remembered in ids else 0
    chosen = st.selectbox(
        t("field.process"), ids, index=index, format_func=names.__getitem__, key=key
    )
    st.session_state["vilco_process_id"] = chosen
    return chosen


def project_table(projects: Sequence[Project]) -> list[dict[str, object]]:
    """Rows for `st.dataframe` (which shows text as text: no HTML is interpreted)."""
    lang = language()
    return [
        {
            t("field.ref"): p.ref,
            t("field.title"): p.title.get(lang),
            t("field.cost"): euros(p.cost_cents),
            t("field.status"): t(f"status.{p.status.value}"),
            t("field.district"): p.district,
            t("field.theme"): p.theme,
        }
        for p in projects
    ]


_FLASH_KEY = "vilco_flash"


def flash(message: str) -> None:
    """Show `message` after the rerun that refreshes the page's data."""
    st.session_state[_FLASH_KEY] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(message)


def one_time_code(
    state_key: str, params: Mapping[str, str], *, form: str, prompt: str, bad_link: bool = False
) -> str | None:
    """A one-time code for this browser session, kept under `state_key`: from the link's `c=`
    once, else typed into the `form` (asking with the `prompt` key). `bad_link`: the rest of
    the link was already junk."""
    if state_key not in st.session_state and "c" in params:
        symbols = code_rules.normalise_code(params["c"])
        bad_link = bad_link or symbols is None
        if symbols is not None:
            st.session_state[state_key] = code_rules.format_code(symbols)
    if bad_link:
        st.error(t("vote.bad_link"))
    code: str | None = st.session_state.get(state_key)
    if code is not None:
        return code
    with st.form(form):
        typed = st.text_input(t(prompt), max_chars=64, placeholder="XXXX-XXXX-XXXX-XXXX")
        go = st.form_submit_button(t("vote.use_code"), type="primary", use_container_width=True)
    if go:
        symbols = code_rules.normalise_code(typed)
        if symbols is None:
            st.error(t("vote.code_invalid"))
        else:
            st.session_state[state_key] = code_rules.format_code(symbols)
            st.rerun()
    return None


# What can load or run something: images and links (`![`, `[`), HTML and autolinks (`<`),
# LaTeX (`$`), code spans, and the backslash itself. Emphasis and punctuation stay readable.
_MARKDOWN_SYNTAX = re.compile(r"([\\`\[\]<>!$])")


def inert_markdown(text: str) -> str:
    """A person's text (a project's description or title) for `st.markdown`, `st.write`, a
    widget's label or its `help` tooltip: every Markdown and HTML sign escaped, so it shows as
    typed and loads nothing — an image `![](https://...)` in a description used to be fetched
    from outside when a voter hovered its help icon; no links, HTML or LaTeX either."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)
