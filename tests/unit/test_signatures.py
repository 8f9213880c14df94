"""Support signatures: one person per normalised name and postcode; inputs checked."""

from __future__ import annotations

import pytest

from vilco_core.errors import ValidationErrors
from vilco_core.signatures import Signature, SupportCount, checked_signature, normalise_name


@pytest.mark.parametrize(
    "name",
    ["Élise van der Berg", "elise VAN-DER berg", "  Elise  van der  Berg.", "ÉLISE VAN DER BERG"],
)
def test_signatures_names_normalise_to_one_key(name: str) -> None:
    assert normalise_name(name) == "elise van der berg"


def test_signatures_checks_name_postcode_email() -> None:
    with pytest.raises(ValidationErrors) as caught:
        checked_signature(Signature(project_id=1, name="  ", postcode="10600", email="x@"))
    assert [p.code for p in caught.value.problems] == [
        "errors.field_required",
        "errors.postcode_invalid",
        "errors.email_invalid",
    ]
    ok = checked_signature(Signature(project_id=1, name=" Ana  Lopes ", postcode=" 1030 "))
    assert (ok.name, ok.postcode, ok.email) == ("Ana Lopes", "1030", "")


def test_signatures_threshold_arithmetic() -> None:
    assert SupportCount(project_id=1, signatures=3, threshold=5).missing == 2
    assert SupportCount(project_id=1, signatures=5, threshold=5).reached
    assert not SupportCount(project_id=1, signatures=9, threshold=0).reached
