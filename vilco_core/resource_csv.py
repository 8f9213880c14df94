"""Import of shared resources from CSV: parse every row, report every bad row, build nothing
partial (as `project_csv` does for projects).

Required columns: `kind` (`space` or `item`), `commune` (NIS code, e.g. 21013), `name_fr`,
`name_nl`, `hours` (`mon-fri 09:00-22:00; sat 10:00-16:00`). Optional: `name_en`, the
multilingual texts `description_*`, `accessibility_*`, `rules_*`, `access_*` (access
instructions), `conditions_*`; `address`, `lat`, `lon` (required for a space), `capacity`,
`quantity` (an item's stock), `pickup_place`, `instant` (yes/no), `min_minutes`,
`max_minutes`, `buffer_minutes`, `horizon_days`. Row numbers are the file's line numbers.
"""

from __future__ import annotations

from typing import Final

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.i18n import LANGUAGES
from vilco_core.model import LocalText
from vilco_core.project_csv import MAX_ROWS, _float, read_csv
from vilco_core.resource_validation import parse_hours, validate_resource
from vilco_core.resources import Availability, Resource, ResourceKind

REQUIRED: Final = ("kind", "commune", "name_fr", "name_nl", "hours")
TEXTS: Final = {
    "name": "name",
    "description": "description",
    "accessibility": "accessibility",
    "rules": "rules",
    "access": "access_instructions",
    "conditions": "conditions",
}
YES: Final = frozenset({"yes", "y", "1", "true", "oui", "ja", "x"})
NO: Final = frozenset({"no", "n", "0", "false", "non", "nee", ""})
INTEGERS: Final = {  # column: default
    "capacity": 0,
    "quantity": 1,
    "min_minutes": 30,
    "max_minutes": 480,
    "buffer_minutes": 0,
    "horizon_days": 90,
}


def parse_resources_csv(data: bytes) -> list[tuple[int, Resource]]:
    """(line number, resource) for every row, or `ValidationErrors` listing every problem."""
    reader = read_csv(data, REQUIRED)
    parsed: list[tuple[int, Resource]] = []
    problems: list[VilcoError] = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            problems.append(VilcoError("errors.csv_too_many_rows", limit=MAX_ROWS))
            break
        if None in row:
            problems.append(VilcoError("errors.csv_extra_cells", row=number))
            continue
        if all(not (v or "").strip() for v in row.values()):
            continue
        resource, row_problems = _parse_row(row, number)
        problems += row_problems
        if resource is not None:
            parsed.append((number, resource))
    if problems:
        raise ValidationErrors(problems)
    if not parsed:
        raise ValidationErrors([VilcoError("resources.csv_empty")])
    return parsed


def _parse_row(row: dict[str, str], number: int) -> tuple[Resource | None, list[VilcoError]]:
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    problems: list[VilcoError] = []
    kind = get("kind").lower()
    if kind not in {k.value for k in ResourceKind}:
        problems.append(VilcoError("resources.kind_unknown", row=number, kind=kind[:20]))
    hours = parse_hours(get("hours"))
    if hours is None:
        problems.append(VilcoError("resources.bad_hours", row=number))
    instant = get("instant").lower()
    if instant not in YES | NO:
        problems.append(VilcoError("resources.bad_yes_no", row=number, field="instant"))
    numbers: dict[str, int] = {}
    for column, default in INTEGERS.items():
        value = get(column)
        if value and not value.isdigit():
            problems.append(VilcoError("resources.bad_number", row=number, field=column))
        numbers[column] = int(value) if value.isdigit() else default
    lat, lon = _float(get("lat")), _float(get("lon"))
    if (get("lat") and lat is None) or (get("lon") and lon is None):
        problems.append(VilcoError("errors.coordinates_invalid", row=number))
    if problems:
        return None, problems
    resource = Resource(
        id=None,
        kind=ResourceKind(kind),
        commune_code=get("commune"),
        instant=instant in YES,
        quantity=numbers["quantity"],
        capacity=numbers["capacity"],
        address=get("address"),
        lat=lat,
        lon=lon,
        pickup_place=get("pickup_place"),
        availability=Availability(
            hours=hours or (),
            min_minutes=numbers["min_minutes"],
            max_minutes=numbers["max_minutes"],
            buffer_minutes=numbers["buffer_minutes"],
            horizon_days=numbers["horizon_days"],
        ),
        **{  # type: ignore[arg-type]
            field: LocalText({lang: get(f"{column}_{lang}") for lang in LANGUAGES})
            for column, field in TEXTS.items()
        },
    )
    found = validate_resource(resource, row=number)
    return (None, found) if found else (resource, [])
