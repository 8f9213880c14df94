"""Processes: phases by date, quarterly envelopes of a rolling call, communes and the region."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vilco_core.communes import COMMUNES, in_brussels
from vilco_core.model import (
    LocalText,
    Phase,
    PhaseWindow,
    Process,
    ProcessKind,
    Role,
    StaffUser,
    split_quarters,
)
from vilco_core.services import access
from vilco_core.validation import validate_process


def _process(**changes: object) -> Process:
    values: dict[str, object] = dict(
        id=1,
        name=LocalText(fr="PB", nl="BB"),
        kind=ProcessKind.BUDGET,
        commune_codes=("21013",),
        envelope_cents=100_000_00,
        year=2027,
    )
    values.update(changes)
    return Process(**values)  # type: ignore[arg-type]


def test_model_phase_on_picks_the_running_window() -> None:
    d = dt.date
    process = _process(
        phases=(
            PhaseWindow(phase=Phase.PROPOSALS, starts_on=d(2027, 1, 1), ends_on=d(2027, 1, 31)),
            PhaseWindow(phase=Phase.VOTE, starts_on=d(2027, 2, 1), ends_on=d(2027, 2, 28)),
        )
    )
    assert process.phase_on(d(2027, 1, 15)) is Phase.PROPOSALS
    assert process.phase_on(d(2027, 2, 28)) is Phase.VOTE
    assert process.phase_on(d(2027, 3, 1)) is None


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=2000, max_value=2100))
def test_model_quarters_sum_to_the_envelope_and_cover_the_year(cents: int, year: int) -> None:
    quarters = split_quarters(cents, year)
    assert sum(q.amount_cents for q in quarters) == cents
    assert max(q.amount_cents for q in quarters) - min(q.amount_cents for q in quarters) <= 1
    assert quarters[0].starts_on == dt.date(year, 1, 1) and quarters[-1].ends_on == dt.date(
        year, 12, 31
    )
    for a, b in itertools.pairwise(quarters):
        assert a.ends_on + dt.timedelta(days=1) == b.starts_on


def test_model_rolling_process_has_quarterly_envelopes() -> None:
    assert _process(rolling=True).quarterly_envelopes()[1].amount_cents == 25_000_00
    assert _process(rolling=False).quarterly_envelopes() == ()


def test_model_local_text_falls_back_to_french() -> None:
    assert LocalText(fr="Bonjour", nl="Hallo").get("en") == "Bonjour"
    assert LocalText(fr="Bonjour", nl="Hallo").get("nl") == "Hallo"


def test_model_local_text_is_keyed_by_language() -> None:
    text = LocalText({"fr": "Bonjour", "de": "Hallo"}, nl="Dag", en="")
    assert text == LocalText.of({"nl": "Dag", "de": "Hallo", "fr": "Bonjour", "x": None})
    assert hash(text) == hash(LocalText(fr="Bonjour", nl="Dag", de="Hallo"))
    assert text.as_dict() == {"de": "Hallo", "fr": "Bonjour", "nl": "Dag"}
    assert (text.get("de"), text.get("en"), text.exact("en")) == ("Hallo", "Bonjour", "")


def test_communes_are_the_nineteen_inside_the_region() -> None:
    assert len(COMMUNES) == 19 and len({c.code for c in COMMUNES}) == 19
    assert all(in_brussels(c.lat, c.lon) for c in COMMUNES)
    assert all(c.name.exact("fr") and c.name.exact("nl") and c.postcodes for c in COMMUNES)


def test_communes_places_outside_the_region_are_refused() -> None:
    outside = {
        "Vilvoorde": (50.9281, 4.4292),
        "Zaventem": (50.8836, 4.4728),
        "Halle": (50.7336, 4.2344),
        "Dilbeek": (50.8481, 4.2555),
        "swapped lat/lon": (4.35, 50.85),
        "Paris": (48.8566, 2.3522),
    }
    assert [name for name, (lat, lon) in outside.items() if in_brussels(lat, lon)] == []


def test_staff_facilitator_manages_only_processes_of_their_communes() -> None:
    facilitator = StaffUser(username="f", name="F", role=Role.FACILITATOR, commune_codes=("21013",))
    assert access.may_manage(facilitator, _process(commune_codes=("21013", "21015")))
    assert not access.may_manage(facilitator, _process(commune_codes=("21015",)))
    officer = StaffUser(username="o", name="O", role=Role.POLL_OFFICER, commune_codes=("21013",))
    assert not access.may_manage(officer, _process())


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (dt.date(2027, 2, 1), dt.date(2027, 2, 28), False),
        (dt.date(2000, 1, 1), dt.date(2100, 12, 31), False),
        (dt.date(1999, 12, 31), dt.date(2027, 2, 28), True),
        (dt.date(2027, 2, 1), dt.date(2101, 1, 1), True),
        (dt.date(207, 2, 1), dt.date(207, 2, 28), True),  # 2027 typed as 207
    ],
)
def test_model_phase_dates_outside_2000_2100_are_refused(
    start: dt.date, end: dt.date, refused: bool
) -> None:
    process = _process(phases=(PhaseWindow(phase=Phase.VOTE, starts_on=start, ends_on=end),))
    codes = [e.code for e in validate_process(process)]
    assert ("errors.phase_out_of_range" in codes) is refused
