"""Forms for staff pages: widgets in, a domain value out (validation stays in the core)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from vilco_core.ballots import BALLOT_KINDS, BallotRules, process_kinds
from vilco_core.communes import COMMUNES, COMMUNES_BY_CODE
from vilco_core.i18n import LANGUAGES
from vilco_core.model import (
    DEFAULT_BALLOT,
    REQUIRED_TEXT_LANGUAGES,
    BudgetKind,
    LocalText,
    Phase,
    PhaseWindow,
    Process,
    ProcessKind,
    Project,
    ProjectStatus,
    StaffUser,
    SubBudget,
)
from vilco_core.project_csv import parse_euros
from vilco_core.rules import RULES
from vilco_core.signatures import SIGNATURE_MODES, parse_mode
from vilco_ui import mail
from vilco_ui.i18n import label, labeller, language, t


def _labelled_select(
    column: Any, label_key: str, prefix: str, values: list[str], current: str | None
) -> Any:
    """A select box over `values`, each shown as its `prefix.value` text; on `current` when it
    is one of them, else on the first."""
    return column.selectbox(
        t(label_key),
        values,
        index=values.index(current) if current in values else 0,
        format_func=labeller(prefix, values),
    )


BAD_AMOUNT = -1  # an unparseable amount becomes an invalid value the core reports


def _cents(text: object) -> int:
    value = parse_euros(str(text if text is not None else ""))
    return BAD_AMOUNT if value is None else value


def process_form(process: Process | None, user: StaffUser) -> Process | None:
    """The create/edit form; returns the edited value when submitted."""
    lang = language()
    allowed = [
        c.code for c in COMMUNES if user.role.value == "admin" or c.code in user.commune_codes
    ]
    with st.form("process-form"):
        name = {
            lang: column.text_input(
                label(f"name_{lang}"), process.name.exact(lang) if process else "", max_chars=200
            )
            for lang, column in zip(LANGUAGES, st.columns(len(LANGUAGES)), strict=True)
        }
        c1, c2, c3 = st.columns(3)
        kinds = [k.value for k in ProcessKind]
        kind = _labelled_select(
            c1, "field.kind", "kind.", kinds, process.kind.value if process else None
        )
        year = c2.number_input(
            t("field.year"), 2000, 2100, process.year if process else dt.date.today().year
        )
        envelope = c3.text_input(
            t("field.envelope"), str(process.envelope_cents / 100) if process else ""
        )
        communes = st.multiselect(
            t("field.communes"),
            allowed,
            default=[c for c in (process.commune_codes if process else ()) if c in allowed],
            format_func=lambda code: COMMUNES_BY_CODE[code].name.get(lang),
        )
        c1, c2, c3 = st.columns(3)
        rules = list(RULES)  # the registry: a process may announce any rule
        labels = {name: t(r.label) for name, r in RULES.items()}
        rule = c1.selectbox(
            t("field.rule"),
            rules,
            index=rules.index(process.rule) if process else 0,
            format_func=lambda name: labels.get(str(name), str(name)),
        )
        threshold = c2.number_input(
            t("field.signature_threshold"),
            0,
            100_000,
            process.signature_threshold if process else 0,
        )
        rolling = c3.checkbox(
            t("field.rolling"), process.rolling if process else False, help=t("help.rolling")
        )
        signature_mode = _labelled_select(
            st, "field.signature_mode", "signatures.mode_", list(SIGNATURE_MODES),
            process.signature_mode if process else "code",
        )  # fmt: skip
        ballot = _ballot_inputs(process.ballot if process else DEFAULT_BALLOT)
        st.markdown(f"**{t('processes.phases')}**")
        phases = st.data_editor(
            _phase_frame(process),
            key="phase-editor",
            hide_index=True,
            width="stretch",
            column_config=_phase_columns(),
        )
        st.markdown(f"**{t('processes.sub_budgets')}**")
        budgets = st.data_editor(
            _budget_frame(process),
            key="budget-editor",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config=_budget_columns(),
        )
        if not st.form_submit_button(t("action.save"), type="primary"):
            return None
    if signature_mode == "email" and mail.settings() is None:
        st.error(t("processes.email_needs_smtp"))
        return None
    return Process(
        id=process.id if process else None,
        name=LocalText(name),
        kind=ProcessKind(kind),
        commune_codes=tuple(communes),
        envelope_cents=_cents(envelope),
        year=int(year),
        rule=rule,
        signature_threshold=int(threshold),
        signature_mode=parse_mode(signature_mode),
        rolling=rolling,
        ballot=ballot,
        phases=_phases(phases),
        sub_budgets=_budgets(budgets),
    )


def _ballot_inputs(current: BallotRules) -> BallotRules:
    """The ballot settings; limits left at 0 (or empty) do not apply."""
    st.markdown(f"**{t('processes.ballot')}**")
    kinds = list(process_kinds())
    c1, c2, c3 = st.columns(3)
    kind = _labelled_select(c1, "field.ballot_kind", "ballot_kind.", kinds, current.kind)
    low = c2.number_input(t("field.ballot_min_projects"), 0, 200, current.min_projects)
    high = c3.number_input(t("field.ballot_max_projects"), 0, 200, current.max_projects or 0)
    c1, c2, c3, c4 = st.columns(4)
    budget = c1.text_input(
        t("field.ballot_budget"), "" if current.budget is None else str(current.budget / 100)
    )
    share = c2.number_input(
        t("field.ballot_min_share"), 0, 100, int((current.min_share or 0) * 100)
    )
    total = c3.number_input(t("field.ballot_total_points"), 0, 10_000, current.total_points or 10)
    cap = c4.number_input(
        t("field.ballot_max_points"), 0, 10_000, current.max_points_per_project or 0
    )
    reads = BALLOT_KINDS[kind].settings  # the points are kept for the kinds that read them
    return BallotRules(
        kind=kind,
        min_projects=int(low),
        max_projects=int(high) or None,
        budget=_cents(budget) if str(budget).strip() else None,
        min_share=Fraction(int(share), 100) if share else None,
        total_points=int(total) if "total_points" in reads else None,
        max_points_per_project=(int(cap) or None) if "max_points_per_project" in reads else None,
    )


def _phase_frame(process: Process | None) -> pd.DataFrame:
    known = {w.phase: w for w in process.phases} if process else {}
    return pd.DataFrame(
        [
            {
                "phase": t(f"phase.{p.value}"),
                "key": p.value,
                "starts_on": known[p].starts_on if p in known else None,
                "ends_on": known[p].ends_on if p in known else None,
            }
            for p in Phase
        ]
    )


def _phase_columns() -> dict[str, object]:
    return {
        "phase": st.column_config.TextColumn(t("field.phase"), disabled=True),
        "key": None,
        "starts_on": st.column_config.DateColumn(t("field.starts_on")),
        "ends_on": st.column_config.DateColumn(t("field.ends_on")),
    }


def _phases(frame: pd.DataFrame) -> tuple[PhaseWindow, ...]:
    windows = []
    for row in frame.to_dict("records"):
        start, end = row.get("starts_on"), row.get("ends_on")
        if pd.notna(start) and pd.notna(end):
            windows.append(
                PhaseWindow(
                    phase=Phase(row["key"]),
                    starts_on=pd.Timestamp(start).date(),
                    ends_on=pd.Timestamp(end).date(),
                )
            )
    return tuple(windows)


def _budget_frame(process: Process | None) -> pd.DataFrame:
    rows = [
        {
            "key": b.key,
            "kind": b.kind.value,
            **{f"name_{lang}": b.name.exact(lang) for lang in LANGUAGES},
            "amount": f"{b.amount_cents / 100:.2f}",
        }
        for b in (process.sub_budgets if process else ())
    ]
    return pd.DataFrame(
        rows, columns=["key", "kind", *(f"name_{lang}" for lang in LANGUAGES), "amount"]
    ).astype(str)


def _budget_columns() -> dict[str, object]:
    return {
        "key": st.column_config.TextColumn(t("field.key"), required=True),
        "kind": st.column_config.SelectboxColumn(
            t("field.kind"), options=[k.value for k in BudgetKind], required=True
        ),
        **{
            f"name_{lang}": st.column_config.TextColumn(label(f"name_{lang}")) for lang in LANGUAGES
        },
        "amount": st.column_config.TextColumn(t("field.amount")),
    }


def _budgets(frame: pd.DataFrame) -> tuple[SubBudget, ...]:
    budgets = []
    for row in frame.fillna("").to_dict("records"):
        if not str(row.get("key", "")).strip():
            continue
        kind = (
            row.get("kind")
            if row.get("kind") in {k.value for k in BudgetKind}
            else BudgetKind.DISTRICT.value
        )
        budgets.append(
            SubBudget(
                key=str(row["key"]).strip(),
                kind=BudgetKind(kind),
                amount_cents=_cents(row.get("amount")),
                name=LocalText({lang: str(row.get(f"name_{lang}", "")) for lang in LANGUAGES}),
            )
        )
    return tuple(budgets)


def project_form(process_id: int, project: Project | None) -> Project | None:
    """The create/edit form for one project; returns the edited value when submitted."""
    key = f"project-form-{project.id if project else 'new'}"
    with st.form(key, clear_on_submit=project is None):
        c1, c2, c3 = st.columns(3)
        ref = c1.text_input(t("field.ref"), project.ref if project else "", max_chars=40)
        cost = c2.text_input(t("field.cost"), f"{project.cost_cents / 100:.2f}" if project else "")
        statuses = [s.value for s in ProjectStatus]
        status = _labelled_select(
            c3, "field.status", "status.", statuses, project.status.value if project else None
        )
        # the form edits the required languages; a project's other texts (from CSV) are kept
        columns = st.columns(len(REQUIRED_TEXT_LANGUAGES))
        title = {
            lang: column.text_input(
                label(f"title_{lang}"), project.title.exact(lang) if project else ""
            )
            for lang, column in zip(REQUIRED_TEXT_LANGUAGES, columns, strict=True)
        }
        description = {
            lang: column.text_area(
                label(f"description_{lang}"), project.description.exact(lang) if project else ""
            )
            for lang, column in zip(REQUIRED_TEXT_LANGUAGES, columns, strict=True)
        }
        c1, c2, c3, c4, c5 = st.columns(5)
        lat = c1.number_input(
            t("field.lat"), -90.0, 90.0, project.lat if project else 50.8467, format="%.5f"
        )
        lon = c2.number_input(
            t("field.lon"), -180.0, 180.0, project.lon if project else 4.3525, format="%.5f"
        )
        district = c3.text_input(t("field.district"), project.district if project else "")
        theme = c4.text_input(t("field.theme"), project.theme if project else "")
        initiative = c5.text_input(t("field.initiative"), project.initiative if project else "")
        if not st.form_submit_button(t("action.save"), type="primary"):
            return None
    return Project(
        id=project.id if project else None,
        process_id=process_id,
        ref=ref.strip(),
        cost_cents=_cents(cost),
        title=_edited(project.title if project else None, title),
        description=_edited(project.description if project else None, description),
        lat=float(lat),
        lon=float(lon),
        district=district.strip(),
        theme=theme.strip(),
        initiative=initiative.strip(),
        status=ProjectStatus(status),
    )


def _edited(old: LocalText | None, edited: dict[str, str]) -> LocalText:
    """The edited languages' texts (trimmed) over the ones the form does not show."""
    kept = old.as_dict() if old else {}
    return LocalText({**kept, **{lang: text.strip() for lang, text in edited.items()}})
