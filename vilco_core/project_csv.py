"""Project import from CSV: parse every row, report every bad row, build nothing partial.

Columns: `id, title_fr, title_nl, description_fr, description_nl, cost, lat, lon` (required) and
`title_en, description_en, district, theme, initiative, status` (optional): one title and
description column per language of `LANGUAGES`, required for French and Dutch. `cost` is in euros
(`12500`, `12500.50` or `12 500,50`). Row numbers in messages are the file's line numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Final

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.i18n import LANGUAGES
from vilco_core.model import REQUIRED_TEXT_LANGUAGES, LocalText, Project, ProjectStatus
from vilco_core.validation import validate_project

TEXTS: Final = ("title", "description")  # one column per text and language: title_fr...


def columns(languages: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The required and the optional columns, texts in the required languages being required."""
    required = [lang for lang in languages if lang in REQUIRED_TEXT_LANGUAGES]
    optional = [lang for lang in languages if lang not in REQUIRED_TEXT_LANGUAGES]
    return (
        ("id", *(f"{text}_{lang}" for text in TEXTS for lang in required), "cost", "lat", "lon"),
        (
            *(f"{text}_{lang}" for text in TEXTS for lang in optional),
            *("district", "theme", "initiative", "status"),
        ),
    )


REQUIRED, OPTIONAL = columns(LANGUAGES)
MAX_BYTES: Final = 5_000_000
MAX_ROWS: Final = 5_000
_EUROS = re.compile(r"^\d{1,10}([.,]\d{1,2})?$")


def parse_euros(text: str) -> int | None:
    """`'12 500,50'` → 1250050 cents; None when it is not a non-negative amount."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("€", "")
    if not _EUROS.match(cleaned):
        return None
    try:
        return int(Decimal(cleaned.replace(",", ".")) * 100)
    except InvalidOperation:
        return None


def read_csv(data: bytes, required: Sequence[str]) -> csv.DictReader[str]:
    """The rows of an uploaded spreadsheet (UTF-8, comma or semicolon, headers trimmed), or
    `ValidationErrors` for a file too large, not UTF-8, or missing a `required` column."""
    if len(data) > MAX_BYTES:
        raise ValidationErrors(
            [VilcoError("errors.csv_too_large", limit_mb=MAX_BYTES // 1_000_000)]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationErrors([VilcoError("errors.csv_encoding")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationErrors(
            [VilcoError("errors.csv_missing_columns", columns=", ".join(missing))]
        )
    reader.fieldnames = header
    return reader


def parse_projects_csv(
    data: bytes, process_id: int, existing_refs: set[str],
    default_status: ProjectStatus = ProjectStatus.PROPOSED,
) -> list[Project]:  # fmt: skip
    """All the rows as projects, or `ValidationErrors` listing every problem in the file; a row
    with no `status` gets `default_status` (staff choose it: "eligible" puts it on the ballot)."""
    reader = read_csv(data, REQUIRED)
    projects, problems = _parse_rows(reader, process_id, existing_refs, default_status)
    if problems:
        raise ValidationErrors(problems)
    if not projects:
        raise ValidationErrors([VilcoError("errors.csv_empty")])
    return projects


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _parse_rows(
    reader: csv.DictReader[str], process_id: int, existing_refs: set[str],
    default_status: ProjectStatus,
) -> tuple[list[Project], list[VilcoError]]:  # fmt: skip
    projects: list[Project] = []
    problems: list[VilcoError] = []
    seen = set(existing_refs)
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            problems.append(VilcoError("errors.csv_too_many_rows", limit=MAX_ROWS))
            break
        if None in row or all(not (v or "").strip() for v in row.values()):
            if None in row:
                problems.append(VilcoError("errors.csv_extra_cells", row=number))
            continue
        project, row_problems = _parse_row(row, number, process_id, default_status)
        if project is not None and project.ref in seen:
            row_problems.append(VilcoError("errors.duplicate_ref", row=number, ref=project.ref))
        problems += row_problems
        if project is not None and not row_problems:
            projects.append(project)
        if project is not None:
            seen.add(project.ref)
    return projects, problems


def _parse_row(
    row: dict[str, str], number: int, process_id: int, default_status: ProjectStatus
) -> tuple[Project | None, list[VilcoError]]:
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    problems: list[VilcoError] = []
    cost = parse_euros(get("cost"))
    if cost is None:
        problems.append(VilcoError("errors.cost_invalid", row=number))
    lat, lon = _float(get("lat")), _float(get("lon"))
    if lat is None or lon is None:
        problems.append(VilcoError("errors.coordinates_invalid", row=number))
    status = get("status") or default_status.value
    if status not in {s.value for s in ProjectStatus}:
        problems.append(VilcoError("errors.status_unknown", row=number, status=status[:40]))
        status = ProjectStatus.PROPOSED.value
    project = Project(
        id=None,
        process_id=process_id,
        ref=get("id"),
        cost_cents=cost if cost is not None else 1,
        title=LocalText({lang: get(f"title_{lang}") for lang in LANGUAGES}),
        description=LocalText({lang: get(f"description_{lang}") for lang in LANGUAGES}),
        lat=lat if lat is not None else 50.85,
        lon=lon if lon is not None else 4.35,
        district=get("district"),
        theme=get("theme"),
        initiative=get("initiative"),
        status=ProjectStatus(status),
    )
    problems += [
        p
        for p in validate_project(project, row=number)
        if not (p.code == "errors.cost_invalid" and cost is None)
        and not (p.code == "errors.outside_brussels" and (lat is None or lon is None))
    ]
    return project, problems


def _float(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
