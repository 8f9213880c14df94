"""The seed's canonical form (`sortition.seeding.canonical_seed`): digits only, spaces and
separators ignored, letters refused; a draw and its replay read the seed through it, and a
draw recorded before it still replays from its stored seed."""

from __future__ import annotations

import pytest

from vilco_core.draws import hashed_seed
from vilco_core.errors import VilcoError
from vilco_core.sortition.seeding import canonical_seed


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("3614255261", "3614255261"),
        ("3 6 1 4 2 5 5 2 6 1", "3614255261"),
        ("  3-6-1 / 4.2,5;5_2\t6\n1 ", "3614255261"),
        ("３６１４", "3614"),  # full-width digits (a Japanese keyboard)
        ("٣٦١٤", "3614"),  # Arabic-Indic digits
        ("0042", "0042"),  # leading zeros are digits too
        ("3\u00a06\u202f1", "361"),  # no-break spaces
    ],
)
def test_seed_canonical_form(typed: str, canonical: str) -> None:
    assert canonical_seed(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "sortition.empty_seed"),
        (" - . ", "sortition.empty_seed"),
        ("36 14 x", "sessioncli.seed_not_digits"),
        ("3+4", "sessioncli.seed_not_digits"),
        ("½", "sessioncli.seed_not_digits"),
    ],
)
def test_seed_canonical_form_refuses(typed: str, code: str) -> None:
    with pytest.raises(VilcoError) as refused:
        canonical_seed(typed)
    assert refused.value.code == code


def test_seed_hashed_as_recorded_when_the_same_seed() -> None:
    assert hashed_seed("3 6 1 4") == "3614"
    assert hashed_seed("3 6 1 4", recorded="3614") == "3614"
    assert hashed_seed("3614", recorded="3 6 1 4") == "3 6 1 4"  # recorded before the form
    assert hashed_seed("3 6 1 5", recorded="3 6 1 4") == "3615"
    assert hashed_seed("witness seed", recorded="witness seed") == "witness seed"
    with pytest.raises(VilcoError):
        hashed_seed("witness seed 2", recorded="witness seed")
