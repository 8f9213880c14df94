"""Opening hours as text (the staff form, the resources table): consecutive days with the same
periods read as a range, and the text always parses back to the same hours."""

from __future__ import annotations

import pytest

from vilco_core.resource_validation import hours_text, parse_hours
from vilco_core.resources import WEEKDAYS_9_TO_22


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("mon-fri 09:00-22:00; sat 10:00-16:00", "mon-fri 09:00-22:00; sat 10:00-16:00"),
        ("sat 10:00-16:00; mon,tue,wed,thu,fri 9:00-22:00", "mon-fri 09:00-22:00; sat 10:00-16:00"),
        ("mon-tue 09:00-12:00; mon-tue 14:00-18:00", "mon-tue 09:00-12:00; mon-tue 14:00-18:00"),
        ("mon,wed 09:00-10:00", "mon 09:00-10:00; wed 09:00-10:00"),
        ("mon 09:00-12:00; tue 09:00-13:00", "mon 09:00-12:00; tue 09:00-13:00"),
        ("", ""),
    ],
)
def test_hours_text_groups_days_and_parses_back(typed: str, shown: str) -> None:
    hours = parse_hours(typed)
    assert hours is not None
    assert hours_text(hours) == shown
    assert parse_hours(hours_text(hours)) == hours


def test_hours_text_of_the_demo_library() -> None:
    assert hours_text(WEEKDAYS_9_TO_22.hours) == "mon-fri 09:00-22:00"
