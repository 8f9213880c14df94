"""CSV import of projects: every bad row reported, nothing built from a file with a bad row."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vilco_core.errors import ValidationErrors
from vilco_core.project_csv import parse_euros, parse_projects_csv

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id,title_fr,title_nl,description_fr,description_nl,cost,lat,lon,theme\n"
GOOD = "P1,Bacs potagers,Moestuinbakken,Des bacs,Bakken,4800,50.829,4.343,alimentation\n"


def _codes(data: str, refs: set[str] | None = None) -> list[tuple[str, object]]:
    with pytest.raises(ValidationErrors) as caught:
        parse_projects_csv(data.encode(), 1, refs or set())
    return [(p.code, p.params.get("row")) for p in caught.value.problems]


def test_project_csv_demo_file_parses() -> None:
    projects = parse_projects_csv((ROOT / "data" / "demo_projects.csv").read_bytes(), 7, set())
    assert len(projects) == 25 and all(p.process_id == 7 for p in projects)
    assert projects[0].cost_cents == 4800_00


def test_project_csv_reports_every_bad_row() -> None:
    rows = [
        GOOD,
        "P2,Titre,Titel,D,B,-5,50.83,4.35,x\n",  # negative cost
        "P3,Titre,Titel,D,B,beaucoup,50.83,4.35,x\n",  # non-numeric cost
        "P4,Titre,Titel,D,B,100,48.85,2.35,x\n",  # Paris
        "P1,Titre,Titel,D,B,100,50.83,4.35,x\n",  # duplicate id
        f"P6,{'T' * 151},Titel,D,B,100,50.83,4.35,x\n",  # over-long title
        "P7,,Titel,D,B,100,50.83,4.35,x\n",  # missing French title
        "P8,Titre,Titel,D,B,100,abc,4.35,x\n",  # bad coordinates
    ]
    assert _codes(HEADER + "".join(rows)) == [
        ("errors.cost_invalid", 3),
        ("errors.cost_invalid", 4),
        ("errors.outside_brussels", 5),
        ("errors.duplicate_ref", 6),
        ("errors.field_too_long", 7),
        ("errors.field_required", 8),
        ("errors.coordinates_invalid", 9),
    ]


def test_project_csv_missing_column_and_existing_ref() -> None:
    assert _codes("id,title_fr\nP1,x\n") == [("errors.csv_missing_columns", None)]
    assert _codes(HEADER + GOOD, refs={"P1"}) == [("errors.duplicate_ref", 2)]


def test_project_csv_semicolons_comma_decimals_and_bom() -> None:
    data = "\ufeff" + HEADER.replace(",", ";") + "P1;A;B;C;D;12 500,50;50,829;4,343;x\n"
    (project,) = parse_projects_csv(data.encode(), 1, set())
    assert project.cost_cents == 1_250_050


def test_project_csv_not_utf8_and_empty() -> None:
    with pytest.raises(ValidationErrors) as caught:
        parse_projects_csv((HEADER + GOOD).encode("utf-16"), 1, set())
    assert caught.value.problems[0].code in ("errors.csv_encoding", "errors.csv_missing_columns")
    assert _codes(HEADER) == [("errors.csv_empty", None)]


def test_project_csv_script_title_is_kept_as_text() -> None:
    data = HEADER + "P1,<script>alert(1)</script>,Titel,D,B,100,50.83,4.35,x\n"
    (project,) = parse_projects_csv(data.encode(), 1, set())
    assert project.title.exact("fr") == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("1 000,05", 100005),
        ("-1", None),
        ("1e3", None),
        ("", None),
        ("0.001", None),
    ],
)
def test_project_csv_parse_euros(text: str, cents: int | None) -> None:
    assert parse_euros(text) == cents


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda s: (HEADER + s).encode()))
def test_project_csv_junk_gives_validation_errors_only(data: bytes) -> None:
    try:
        projects = parse_projects_csv(data, 1, set())
    except ValidationErrors as errors:
        assert errors.problems
    else:
        assert projects
