"""The results of a process with envelopes (districts, themes, the city-wide part, a rolling
call's quarters): one tab per envelope drawing the single-result view (`results_view`), each
headed by its money and its threshold, and the `.pb` files of every envelope in one zip."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager

import streamlit as st

from vilco_core.envelopes import EnvelopeResults, envelopes_zip
from vilco_core.i18n.formats import format_cents
from vilco_ui.i18n import language, t
from vilco_ui.widgets import inert_markdown


def tabs(
    envelopes: Sequence[EnvelopeResults],
) -> Iterator[tuple[EnvelopeResults, AbstractContextManager[object]]]:
    """Each envelope with where to draw it: a tab per envelope, or the page for a single one."""
    if len(envelopes) == 1:
        yield envelopes[0], st.container()
        return
    lang = language()
    labels = [inert_markdown(e.label.get(lang)) for e in envelopes]
    yield from zip(envelopes, st.tabs(labels), strict=True)


def header(envelope: EnvelopeResults, count: int) -> None:
    """What the envelope holds: its own money, what flowed in, and the supporters required."""
    if count > 1:
        st.subheader(inert_markdown(envelope.label.get(language())))
        lang = language()
        own = format_cents(envelope.own_cents, lang)
        if envelope.carried_in_cents:
            key = "envelope.quarter_money" if envelope.kind == "quarter" else "envelope.city_money"
            carried = format_cents(envelope.carried_in_cents, lang)
            total = format_cents(envelope.budget_cents, lang)
            st.markdown(t(key, own=own, carried=carried, total=total))
        else:
            st.markdown(t("envelope.money", own=own))
    if envelope.min_supporters > 1:
        st.caption(t("minsup.stated", minimum=envelope.min_supporters))
    elif envelope.min_supporters == 1:
        st.caption(t("minsup.one"))


def flow_note(envelopes: Sequence[EnvelopeResults]) -> None:
    """Say whether what a district leaves unspent goes to the city-wide part."""
    if len(envelopes) < 2 or envelopes[0].kind == "quarter" or envelopes[0].kind == "whole":
        if len(envelopes) > 1 and envelopes[0].kind == "quarter":
            st.caption(t("envelope.quarters_note"))
        return
    process = envelopes[0].results.process
    flows = any(e.kind == "city" and e.carried_in_cents for e in envelopes)
    if process.leftover_to_city or flows:
        st.caption(t("envelope.flow_on"))
    else:
        st.caption(t("envelope.flow_off"))


def zip_download(envelopes: Sequence[EnvelopeResults]) -> None:
    """Every envelope's `.pb` file in one zip (one Pabulib file per district)."""
    if len(envelopes) < 2:
        return
    process = envelopes[0].results.process
    st.download_button(
        t("envelope.download_zip"),
        envelopes_zip(process, envelopes),
        file_name=f"vilco-{process.id}-envelopes.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        help=t("envelope.download_zip_help"),
    )
