"""Forms for staff pages: widgets in, a domain value out (validation stays in the core)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from vilco_core.ballots import BALLOT_KINDS, BallotRules, process_kinds
from vilco_core.communes import COMMUNES, COMMUNES_BY_CODE
from vilco_core.i18n import LANGUAGES
from vilco_core.locking import LISTED, ON_LIST
from vilco_core.model import (
    DEFAULT_BALLOT,
    DEFAULT_MIN_SUPPORTERS,
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
from vilco_core.validation import FIRST_DAY, LAST_DAY
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


def process_form(process: Process | None, user: StaffUser, locked: bool = False) -> Process | None:
    """The create/edit form; returns the edited value when submitted. A facilitator is offered
    only the communes they manage, the process's other communes shown as fixed; once the vote
    opened (`locked`), what decides the result shows disabled, with the reason."""
    lang = language()
    allowed = [
        c.code for c in COMMUNES if user.role.value == "admin" or c.code in user.commune_codes
    ]
    fixed = [c for c in (process.commune_codes if process else ()) if c not in allowed]
    held = {"disabled": locked, "help": t("lock.field_help") if locked else None}
    if locked:
        st.info(t("lock.notice"), icon=":material/lock:")
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
            t("field.envelope"), str(process.envelope_cents / 100) if process else "", **held
        )
        communes = st.multiselect(
            t("field.communes"),
            allowed,
            default=[c for c in (process.commune_codes if process else ()) if c in allowed],
            format_func=lambda code: COMMUNES_BY_CODE[code].name.get(lang),
        )
        if fixed:
            names = ", ".join(COMMUNES_BY_CODE[c].name.get(lang) for c in fixed)
            st.caption(t("processes.communes_fixed", names=names))
        c1, c2, c3 = st.columns(3)
        rules = list(RULES)  # the registry: a process may announce any rule
        labels = {name: t(r.label) for name, r in RULES.items()}
        rule = c1.selectbox(
            t("field.rule"),
            rules,
            index=rules.index(process.rule) if process else 0,
            format_func=lambda name: labels.get(str(name), str(name)),
            **held,
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
        ballot = _ballot_inputs(process.ballot if process else DEFAULT_BALLOT, locked)
        m1, m2 = st.columns(2)
        min_supporters = m1.number_input(
            t("minsup.field"), 0, 10_000_000,
            process.min_supporters if process else DEFAULT_MIN_SUPPORTERS,
            disabled=locked, help=t("lock.field_help") if locked else t("minsup.help"),
        )  # fmt: skip
        leftover_to_city = m2.checkbox(
            t("envelope.flow_field"), process.leftover_to_city if process else False,
            disabled=locked, help=t("lock.field_help") if locked else t("envelope.flow_help"),
        )  # fmt: skip
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
            num_rows="fixed" if locked else "dynamic",
            hide_index=True,
            width="stretch",
            column_config=_budget_columns(),
            disabled=locked,
        )
        if not st.form_submit_button(t("action.save"), type="primary"):
            return None
    if signature_mode == "email" and mail.settings() is None:
        st.error(t("processes.email_needs_smtp"))
        return None
    if half := _half_dated(phases):
        st.error(t("errors.phase_half_dated", phase=half))
        return None
    edited = Process(
        id=process.id if process else None,
        name=LocalText(name),
        kind=ProcessKind(kind),
        commune_codes=tuple(sorted({*communes, *fixed})),
        envelope_cents=_cents(envelope),
        year=int(year),
        rule=rule,
        signature_threshold=int(threshold),
        signature_mode=parse_mode(signature_mode),
        rolling=rolling,
        ballot=ballot,
        phases=_phases(phases),
        sub_budgets=_budgets(budgets),
        min_supporters=int(min_supporters),
        leftover_to_city=bool(leftover_to_city),
    )
    if locked and process is not None:  # the disabled fields, exactly as stored
        keep = ("envelope_cents", "rule", "ballot", "sub_budgets", "min_supporters",
                "leftover_to_city")  # fmt: skip
        return replace(edited, **{f: getattr(process, f) for f in keep})
    return edited


def _ballot_inputs(current: BallotRules, locked: bool = False) -> BallotRules:
    """The ballot settings; limits left at 0 (or empty) do not apply. Disabled once locked."""
    st.markdown(f"**{t('processes.ballot')}**")
    kinds = list(process_kinds())
    held: dict[str, Any] = {"disabled": locked, "help": t("lock.field_help") if locked else None}
    c1, c2, c3 = st.columns(3)
    kind = c1.selectbox(
        t("field.ballot_kind"),
        kinds,
        index=kinds.index(current.kind) if current.kind in kinds else 0,
        format_func=labeller("ballot_kind.", kinds),
        **held,
    )
    low = c2.number_input(t("field.ballot_min_projects"), 0, 200, current.min_projects, **held)
    high = c3.number_input(
        t("field.ballot_max_projects"), 0, 200, current.max_projects or 0, **held
    )
    c1, c2, c3, c4 = st.columns(4)
    budget = c1.text_input(
        t("field.ballot_budget"),
        "" if current.budget is None else str(current.budget / 100),
        **held,
    )
    share = c2.number_input(
        t("field.ballot_min_share"), 0, 100, int((current.min_share or 0) * 100), **held
    )
    total = c3.number_input(
        t("field.ballot_total_points"), 0, 10_000, current.total_points or 10, **held
    )
    cap = c4.number_input(
        t("field.ballot_max_points"), 0, 10_000, current.max_points_per_project or 0, **held
    )
    if locked:  # as stored, exactly (a share of 1/3 shows as 33 %)
        return current
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
        "starts_on": st.column_config.DateColumn(
            t("field.starts_on"), min_value=FIRST_DAY, max_value=LAST_DAY
        ),
        "ends_on": st.column_config.DateColumn(
            t("field.ends_on"), min_value=FIRST_DAY, max_value=LAST_DAY
        ),
    }


def _half_dated(frame: pd.DataFrame) -> str:
    """The name of the first phase given only one of its two dates ("" when none is): saving
    it would drop the phase, so the form refuses."""
    for row in frame.to_dict("records"):
        if pd.notna(row.get("starts_on")) != pd.notna(row.get("ends_on")):
            return str(row["phase"])
    return ""


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
            "min_supporters": "" if b.min_supporters is None else str(b.min_supporters),
        }
        for b in (process.sub_budgets if process else ())
    ]
    columns = ["key", "kind", *(f"name_{lang}" for lang in LANGUAGES), "amount", "min_supporters"]
    return pd.DataFrame(rows, columns=columns).astype(str)


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
        "min_supporters": st.column_config.TextColumn(
            t("minsup.column"), help=t("minsup.column_help")
        ),
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
                min_supporters=_threshold(row.get("min_supporters")),
            )
        )
    return tuple(budgets)


def _threshold(value: object) -> int | None:
    """A sub-budget's own minimum of supporters: empty for the process's; junk reads as -1,
    which validation refuses with its message."""
    text = str(value or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() else -1


def _statuses(project: Project | None, locked: bool) -> list[str]:
    """The statuses a project may take here: never `withdrawn` (a separate action); once the
    vote opened, only those keeping it on the ballot, or off it, as it is."""
    if project is not None and project.status is ProjectStatus.WITHDRAWN:
        return [project.status.value]
    listed = project is not None and project.status in ON_LIST
    return [
        s.value
        for s in ProjectStatus
        if s is not ProjectStatus.WITHDRAWN and (not locked or (s in ON_LIST) == listed)
    ]


def project_form(process_id: int, project: Project | None, locked: bool = False) -> Project | None:
    """The create/edit form for one project; returns the edited value when submitted. Once the
    vote opened (`locked`), a project on the ballot keeps its ref, cost and place on it (shown
    disabled with the reason), and no project joins the ballot."""
    key = f"project-form-{project.id if project else 'new'}"
    held_list = locked and project is not None and project.status in LISTED
    held = {"disabled": held_list, "help": t("lock.field_help") if held_list else None}
    with st.form(key, clear_on_submit=project is None):
        if held_list:
            st.caption(t("lock.project_notice"))
        c1, c2, c3 = st.columns(3)
        ref = c1.text_input(t("field.ref"), project.ref if project else "", max_chars=40, **held)
        cost = c2.text_input(
            t("field.cost"), f"{project.cost_cents / 100:.2f}" if project else "", **held
        )
        statuses = _statuses(project, locked)
        status = c3.selectbox(
            t("field.status"),
            statuses,
            index=statuses.index(project.status.value)
            if project and project.status.value in statuses
            else 0,
            format_func=labeller("status.", statuses),
            disabled=project is not None and project.status is ProjectStatus.WITHDRAWN,
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
        withdrawn_reason=project.withdrawn_reason if project else "",
    )


def withdrawal_form(projects: list[Project]) -> tuple[int, str] | None:
    """Withdraw a project from the ballot during the vote: which one, and why (required; the
    core checks its length). Returns (project id, reason) when submitted."""
    listed = {p.id: p for p in projects if p.id is not None and p.status in ON_LIST}
    with st.form("withdraw-form"):
        st.caption(t("projects.withdraw_help"))
        chosen = st.selectbox(
            t("projects.withdraw_which"),
            list(listed),
            format_func=lambda i: f"{listed[i].ref} — {listed[i].title.get(language())}",
        )
        reason = st.text_area(t("projects.withdraw_reason"), max_chars=500)
        if not st.form_submit_button(t("projects.withdraw_button")) or chosen is None:
            return None
    return chosen, reason


def _edited(old: LocalText | None, edited: dict[str, str]) -> LocalText:
    """The edited languages' texts (trimmed) over the ones the form does not show."""
    kept = old.as_dict() if old else {}
    return LocalText({**kept, **{lang: text.strip() for lang, text in edited.items()}})
