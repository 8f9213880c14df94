from __future__ import annotations

import pytest

from vilco_core.errors import VilcoError, expect_found


def test_errors_expect_found_returns_what_was_found() -> None:
    assert expect_found(0, "errors.process_not_found", id=1) == 0


def test_errors_expect_found_raises_the_code_with_its_params() -> None:
    with pytest.raises(VilcoError) as caught:
        expect_found(None, "draws.not_found", id=7)
    assert (caught.value.code, dict(caught.value.params)) == ("draws.not_found", {"id": 7})
