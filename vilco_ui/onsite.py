"""Streamlit glue of voting on site: URL parameters kept in the session, downloads of codes,
cards and posters, the support form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import streamlit as st

from vilco_core import envelopes, qr
from vilco_core.ballots import Ballot, BallotRules
from vilco_core.errors import VilcoError
from vilco_core.i18n import LANGUAGES
from vilco_core.model import Project, Site
from vilco_core.services import processes, voting
from vilco_core.tally import Tally
from vilco_ui import db
from vilco_ui.ballot_widgets import BallotForm, ballot_widget
from vilco_ui.i18n import LABELS, LANG_KEY, language, t
from vilco_ui.widgets import inert_markdown, one_time_code

_PARAMS_KEY = "_vilco_params"


def url_params(keys: Iterable[str]) -> dict[str, str]:
    """The page's first URL parameters, copied into the session on the first load: Streamlit
    drops them from the address on a page change, the session keeps them. Values are kept
    as text, at most 10 kB each (junk is refused later with one message, never run)."""
    if _PARAMS_KEY not in st.session_state:
        st.session_state[_PARAMS_KEY] = {}
    kept: dict[str, str] = st.session_state[_PARAMS_KEY]
    for key in keys:
        if key not in kept and key in st.query_params:
            kept[key] = str(st.query_params.get(key, ""))[:10_240]
    return {key: kept[key] for key in keys if key in kept}


def forget_params(*keys: str) -> None:
    kept = st.session_state.get(_PARAMS_KEY, {})
    for key in keys:
        kept.pop(key, None)


def today() -> dt.date:
    return dt.date.today()


def local_address_warning() -> None:
    """Says so when the QR codes printed from this page would lead to this machine (no
    `VILCO_PUBLIC_URL`): fine for a try-out, useless on a street poster."""
    if qr.is_local(base := voting.public_url()):
        st.warning(t("codes.local_url", url=base), icon=":material/wifi_off:")


def issued_downloads(batch: voting.IssuedBatch) -> None:
    """The CSV and the cards of a batch just issued: offered once, in this session only."""
    base = voting.public_url()
    st.warning(t("codes.issued", count=len(batch.codes), batch=batch.batch_id))
    local_address_warning()
    st.download_button(t("codes.download_csv"), voting.codes_csv(batch, base),
                       f"codes-batch{batch.batch_id}.csv", "text/csv")  # fmt: skip
    process = processes.get_process(db.uow(), batch.process_id)
    urls = [batch.url(base, code) for code in batch.codes]
    for paper in qr.PAPERS:
        st.download_button(
            t("codes.download_cards", paper=paper),
            qr.cards_pdf(
                list(batch.codes),
                urls,
                process,
                paper,  # type: ignore[arg-type]
                purpose=batch.purpose,
            ),
            f"cards-batch{batch.batch_id}-{paper}.pdf",
            "application/pdf",
            key=f"cards-{paper}",
        )


# -- the phone vote ----------------------------------------------------------------------------

CODE_KEY = "vilco_vote_code"
PENDING_KEY = "vilco_vote_pending"
RECEIPTS_KEY = "vilco_vote_receipts"
CAST_ERROR_KEY = "vilco_vote_cast_error"
_INLINE_LANG = "vilco_vote_language"


def inline_language_picker() -> None:
    """FR/NL/EN on the page itself: on a phone the sidebar is folded away."""

    def pick() -> None:
        st.session_state[LANG_KEY] = st.session_state[_INLINE_LANG]

    st.session_state[_INLINE_LANG] = language()
    st.radio("🌐", LANGUAGES, key=_INLINE_LANG, format_func=LABELS.__getitem__,
             horizontal=True, on_change=pick, label_visibility="collapsed")  # fmt: skip


def poster_site(params: dict[str, str]) -> tuple[Site | None, bool]:
    """The poster's site (`site=`), and whether the link was junk."""
    if "site" not in params:
        return None, False
    try:
        return processes.find_site(db.reading(), params["site"]), False
    except VilcoError:
        return None, True


def voter_code(params: dict[str, str], bad_link: bool) -> str | None:
    """The code of this session: from `c=` once, else typed in (the poster's way)."""
    return one_time_code(
        CODE_KEY, params, form="vote-code", prompt="vote.enter_code", bad_link=bad_link
    )


def forget_code() -> None:
    st.session_state.pop(CODE_KEY, None)
    st.session_state.pop(PENDING_KEY, None)


def ballot_widgets(sheet: voting.VoteSheet, frozen: bool) -> Ballot:
    """The ballot of the process's kind, the poster's project first; `frozen` while the voter
    confirms. With district envelopes: the district (chosen, or the poster site's), then one
    widget per envelope (that district, the themes, the city-wide part) with its own limits."""
    here = sheet.site.project_id if sheet.site else None
    projects = sorted(sheet.projects, key=lambda p: p.id != here)
    process = sheet.process
    district = _district(sheet, frozen)
    sections = envelopes.vote_sections(process, projects, district)
    parts = []
    for section in sections:
        if len(sections) > 1 or process.sub_budgets:
            st.subheader(inert_markdown(section.label.get(language())))
        form = BallotForm(rules=section.rules, projects=section.projects,
                          key=lambda ref: f"vote-{ref}", frozen=frozen)  # fmt: skip
        parts.append(ballot_widget(form))
    return envelopes.merged_ballot(parts, sheet.rules.kind, district)


def _district(sheet: voting.VoteSheet, frozen: bool) -> str:
    """The district the resident votes in: fixed by the poster site, else chosen ("" for a
    process without district envelopes)."""
    choices = envelopes.districts(sheet.process)
    if not choices:
        return ""
    here = sheet.site.project_id if sheet.site else None
    fixed = envelopes.site_district(sheet.process, sheet.projects, here)
    names = {b.key: b.name.get(language()) for b in choices}
    if fixed:
        st.info(t("envelope.district_fixed", district=names[fixed]), icon=":material/place:")
        return fixed
    keys = [b.key for b in choices]
    picked = st.selectbox(
        t("envelope.choose_district"),
        keys,
        index=None,
        key="vote-district",
        format_func=names.__getitem__,
        disabled=frozen,
        placeholder=t("envelope.no_district"),
        help=t("envelope.district_help"),
    )
    return str(picked or "")


def paper_ballot(rules: BallotRules, projects: list[Project]) -> Ballot:
    """The officer's copy of one paper ballot, inside the entry form: the kind's widget, without
    a running total (a form sends its values on submit)."""
    form = BallotForm(rules=rules, projects=projects, key=lambda ref: f"paper-{ref}", live=False,
                      heading=t("tallies.projects"))  # fmt: skip
    return ballot_widget(form)


def cast_pending(code: str, site_id: int | None) -> None:
    """The "Confirm" button's callback: the ballot waiting for confirmation is cast before the
    page runs, so a tap costs one run; a second tap finds nothing pending and stores nothing."""
    pending = st.session_state.pop(PENDING_KEY, None)
    receipts: dict[str, str] = st.session_state.setdefault(RECEIPTS_KEY, {})
    if not isinstance(pending, Ballot) or code in receipts:
        return
    try:
        receipts[code] = voting.cast_ballot(db.uow(), code, pending, "phone", site_id, today())
    except VilcoError as error:
        st.session_state[PENDING_KEY] = pending  # still shown, to confirm again or change
        st.session_state[CAST_ERROR_KEY] = error


def cast_error() -> VilcoError | None:
    """The error of the last "Confirm" tap, once."""
    found = st.session_state.pop(CAST_ERROR_KEY, None)
    return found if isinstance(found, VilcoError) else None


def show_receipt(receipt: str) -> None:
    st.success(t("vote.thanks"))
    st.markdown(f"### {t('vote.receipt', receipt=receipt)}")
    st.caption(t("vote.receipt_help"))


# -- the poll officer's stand ------------------------------------------------------------------


def reconciliation_rows(rows: list[voting.SiteReconciliation]) -> list[dict[str, object]]:
    """One row per site; a non-zero difference between box and stored is flagged."""
    return [
        {
            t("codes.site"): r.site.name,
            t("tallies.col_phone"): r.phone,
            t("tallies.col_paper"): r.paper,
            t("tallies.col_typed"): r.typed,
            t("tallies.col_recount"): "—" if r.recount is None else r.recount,
            t("tallies.col_gap"): "—"
            if r.discrepancy is None
            else ("⚠ " if r.discrepancy else "✓ ") + f"{r.discrepancy:+d}",
        }
        for r in rows
    ]


def log_rows(rows: list[voting.SiteReconciliation]) -> list[dict[str, object]]:
    return [
        {
            t("tallies.col_when"): e.entered_at.strftime("%Y-%m-%d"),
            t("codes.site"): r.site.name,
            t("tallies.col_officer"): e.officer,
            t("tallies.col_kind"): t(f"tallies.kind_{e.kind}"),
            t("tallies.col_ballots"): e.ballots,
            t("tallies.col_refused"): e.refused,
            t("tallies.note"): e.note,
        }
        for r in rows
        for e in r.log
    ]


def tally_tables(process_id: int, tally: Tally) -> None:
    lang = language()
    projects = {p.ref: p for p in processes.list_projects(db.uow(), process_id)}
    sites = {s.id: s.name for s in processes.list_sites(db.uow(), process_id)}
    cols = st.columns(max(1, len(tally.per_channel)) + 1)
    cols[0].metric(t("tallies.total"), tally.ballots)
    for col, (channel, n) in zip(cols[1:], sorted(tally.per_channel.items()), strict=False):
        col.metric(t(f"tallies.channel_{channel}"), n)
    ranked = sorted(tally.per_project.items(), key=lambda kv: (-kv[1], kv[0]))
    st.dataframe(
        [{t("field.ref"): ref, t("field.title"): projects[ref].title.get(lang)
          if ref in projects else ref, t("tallies.col_votes"): n} for ref, n in ranked],
        hide_index=True, width="stretch",
    )  # fmt: skip
    st.dataframe(
        [{t("codes.site"): sites.get(site, t("tallies.no_site")) if site else t("tallies.no_site"),
          t("tallies.col_channel"): t(f"tallies.channel_{channel}"), t("tallies.col_ballots"): n}
         for (site, channel), n in sorted(tally.per_site_channel.items(), key=str)],
        hide_index=True, width="stretch",
    )  # fmt: skip
