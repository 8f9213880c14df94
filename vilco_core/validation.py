"""Validation of processes and projects: every problem found, each as a `VilcoError` code.

Validators return a list (empty when the value is acceptable) so forms and CSV imports can show
all problems at once; services raise `ValidationErrors` with that list and write nothing. The
announced rule and the ballot kind are checked against their registries (`vilco_core.rules.RULES`,
`vilco_core.ballots.BALLOT_KINDS`), each kind's settings by its own spec.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from vilco_core.ballots import BALLOT_KINDS, MAX_COST_CENTS, process_kinds
from vilco_core.communes import COMMUNES_BY_CODE, in_brussels
from vilco_core.errors import VilcoError
from vilco_core.i18n import LANGUAGES
from vilco_core.model import REQUIRED_TEXT_LANGUAGES, LocalText, Process, Project
from vilco_core.rules import RULES

MAX_TITLE: Final = 150
MAX_DESCRIPTION: Final = 2000
MAX_REF: Final = 40
MAX_SHORT: Final = 80
MAX_INITIATIVE: Final = 200
ANNOUNCED_RULES: Final = RULES  # a process may announce any registered rule
MAX_BALLOT_PROJECTS: Final = 200
FIRST_DAY: Final = dt.date(2000, 1, 1)  # phase dates outside these are typing errors
LAST_DAY: Final = dt.date(2100, 12, 31)
MAX_SUPPORTERS: Final = 10_000_000  # a minimum number of supporters above is a typo


def _text(
    value: str, field: str, limit: int, *, required: bool, **where: object
) -> list[VilcoError]:
    if required and not value.strip():
        return [VilcoError("errors.field_required", field=field, **where)]
    if len(value) > limit:
        return [VilcoError("errors.field_too_long", field=field, limit=limit, **where)]
    return []


def _local_text(text: LocalText, field: str, limit: int, **where: object) -> list[VilcoError]:
    """Each language's text as the field `<field>_<language>`, in the order of LANGUAGES."""
    return [
        problem
        for lang in LANGUAGES
        for problem in _text(
            text.exact(lang),
            f"{field}_{lang}",
            limit,
            required=lang in REQUIRED_TEXT_LANGUAGES,
            **where,
        )
    ]


def validate_process(p: Process) -> list[VilcoError]:
    problems = _local_text(p.name, "name", 200)
    if not p.commune_codes:
        problems.append(VilcoError("errors.process_no_commune"))
    problems += [
        VilcoError("errors.unknown_commune", commune=c)
        for c in p.commune_codes
        if c not in COMMUNES_BY_CODE
    ]
    if not 0 < p.envelope_cents <= MAX_COST_CENTS:
        problems.append(VilcoError("errors.envelope_invalid"))
    if not 2000 <= p.year <= 2100:
        problems.append(VilcoError("errors.year_invalid", year=p.year))
    if p.rule not in ANNOUNCED_RULES:
        problems.append(VilcoError("errors.rule_unknown", rule=p.rule))
    if p.signature_threshold < 0:
        problems.append(VilcoError("errors.threshold_negative"))
    return problems + _sub_budget_problems(p) + _phase_problems(p) + _ballot_problems(p)


def _sub_budget_problems(p: Process) -> list[VilcoError]:
    problems: list[VilcoError] = []
    keys = [b.key for b in p.sub_budgets]
    problems += [
        VilcoError("errors.sub_budget_duplicate", key=k)
        for k in sorted(set(keys))
        if keys.count(k) > 1
    ]
    for b in p.sub_budgets:
        problems += _text(b.name.exact("fr"), "sub_budget_name", 200, required=True)
        if b.amount_cents < 0:
            problems.append(VilcoError("errors.sub_budget_negative", key=b.key))
        if b.key.strip().casefold() == "city":  # the city-wide part's key (`envelopes.CITY`)
            problems.append(VilcoError("envelope.reserved_key", key=b.key))
        if b.min_supporters is not None and not 0 <= b.min_supporters <= MAX_SUPPORTERS:
            problems.append(VilcoError("minsup.invalid", maximum=MAX_SUPPORTERS))
    if not 0 <= p.min_supporters <= MAX_SUPPORTERS:
        problems.append(VilcoError("minsup.invalid", maximum=MAX_SUPPORTERS))
    if p.envelope_cents > 0 and sum(b.amount_cents for b in p.sub_budgets) > p.envelope_cents:
        problems.append(VilcoError("errors.sub_budgets_exceed_envelope"))
    return problems


def _phase_problems(p: Process) -> list[VilcoError]:
    problems = [
        VilcoError("errors.phase_dates", phase=w.phase.value)
        for w in p.phases
        if w.ends_on < w.starts_on
    ]
    problems += [
        VilcoError(
            "errors.phase_out_of_range",
            phase=w.phase.value,
            first=FIRST_DAY.year,
            last=LAST_DAY.year,
        )
        for w in p.phases
        if not (FIRST_DAY <= w.starts_on <= LAST_DAY and FIRST_DAY <= w.ends_on <= LAST_DAY)
    ]
    names = [w.phase for w in p.phases]
    if len(set(names)) != len(names):
        problems.append(VilcoError("errors.phase_duplicate"))
    return problems


def _ballot_problems(p: Process) -> list[VilcoError]:
    b = p.ballot
    if b.kind not in process_kinds():
        return [VilcoError("errors.ballot_kind_unknown", kind=b.kind)]
    problems = []
    top = b.max_projects if b.max_projects is not None else MAX_BALLOT_PROJECTS
    if not 1 <= b.min_projects <= top <= MAX_BALLOT_PROJECTS:
        problems.append(VilcoError("errors.ballot_projects_range", maximum=MAX_BALLOT_PROJECTS))
    return problems + BALLOT_KINDS[b.kind].settings_problems(b)


def validate_project(p: Project, **where: object) -> list[VilcoError]:
    problems = [
        *_text(p.ref, "ref", MAX_REF, required=True, **where),
        *_local_text(p.title, "title", MAX_TITLE, **where),
        *_local_text(p.description, "description", MAX_DESCRIPTION, **where),
        *_text(p.district, "district", MAX_SHORT, required=False, **where),
        *_text(p.theme, "theme", MAX_SHORT, required=False, **where),
        *_text(p.initiative, "initiative", MAX_INITIATIVE, required=False, **where),
    ]
    if not 0 < p.cost_cents <= MAX_COST_CENTS:
        problems.append(VilcoError("errors.cost_invalid", **where))
    if not in_brussels(p.lat, p.lon):
        problems.append(VilcoError("errors.outside_brussels", lat=p.lat, lon=p.lon, **where))
    return problems
