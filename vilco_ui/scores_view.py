"""The evaluation charts of shared resources (staff): per space, the average scores the
initiatives and the agents gave (ease of access, state, usefulness, 1–5), numbers written the
way the reader's language writes them."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st
from babel.numbers import format_decimal

from vilco_core.services.premises import ResourceScores
from vilco_ui.i18n import language, t

CRITERIA = ("ease_of_access", "state", "usefulness")
SIDES = ("initiative", "agent")
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}


def number(value: float, digits: int = 1) -> str:
    """`4,5` in French and Dutch, `4.5` in English."""
    return format_decimal(
        round(value, digits), format="#,##0.0", locale=LOCALES.get(language(), "fr_BE")
    )


def score_frame(scores: Sequence[ResourceScores]) -> pd.DataFrame:
    """One row per resource, side and criterion: the average and its text."""
    lang = language()
    rows = [
        {
            "resource": s.resource.name.get(lang),
            "side": t(f"space.by_{s.by}"),
            "criterion": t(f"space.score_{c}"),
            "score": getattr(s, c),
            "text": number(getattr(s, c)),
            "count": s.count,
        }
        for s in scores
        for c in CRITERIA
    ]
    return pd.DataFrame(rows, columns=["resource", "side", "criterion", "score", "text", "count"])


def score_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars: a criterion per group, a side per bar, the scale 0–5 fixed."""
    sides = [t(f"space.by_{s}") for s in SIDES]
    criteria = [t(f"space.score_{c}") for c in CRITERIA]
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("criterion:N", title=None, sort=criteria, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("side:N", sort=sides, scale=alt.Scale(domain=sides)),
        y=alt.Y("score:Q", title=t("space.average"), scale=alt.Scale(domain=[0, 5])),
        color=alt.Color("side:N", title=None, sort=sides,
                        scale=alt.Scale(domain=sides, range=["#0b6e4f", "#d08c1a"])),
        tooltip=[alt.Tooltip("side:N", title=t("space.side")),
                 alt.Tooltip("criterion:N", title=t("space.criterion")),
                 alt.Tooltip("text:N", title=t("space.average")),
                 alt.Tooltip("count:Q", title=t("space.count"))],
    )  # fmt: skip
    labels = bars.mark_text(dy=-6).encode(text="text:N")
    return (bars + labels).properties(height=260)


def score_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The same numbers as text, a row per side and a column per criterion."""
    if frame.empty:
        return frame
    table = frame.pivot_table(index=["side", "count"], columns="criterion", values="text",
                              aggfunc="first").reset_index()  # fmt: skip
    order = ["side", "count", *(t(f"space.score_{c}") for c in CRITERIA)]
    table = table[[c for c in order if c in table.columns]]
    return table.rename(columns={"side": t("space.side"), "count": t("space.count")})


def resource_scores(scores: Sequence[ResourceScores]) -> None:
    """A chart and a table per resource that has evaluations."""
    frame = score_frame(scores)
    for name, part in frame.groupby("resource", sort=False):
        with st.container(border=True):
            st.subheader(str(name))
            st.altair_chart(score_chart(part), width="stretch")
            st.dataframe(score_table(part), hide_index=True)
