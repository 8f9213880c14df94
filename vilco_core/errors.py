"""Errors with a stable code: the UI and the CLI turn the code into translated text.

A `VilcoError` carries a machine-readable `code` (a key of the `errors.*` catalogue in
`vilco_core.i18n`) and the `params` that fill the message's placeholders. It never carries
user-facing prose, so no traceback or English-only text reaches a resident.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class VilcoError(Exception):
    """A failure the user can act on, identified by a stable `code`."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, Any] = params

    def __repr__(self) -> str:
        return f"VilcoError({self.code!r}, {dict(self.params)!r})"


class ValidationErrors(VilcoError):
    """Several problems found in one input (a CSV import, a form): all are reported at once."""

    def __init__(self, problems: list[VilcoError]) -> None:
        super().__init__("errors.validation", count=len(problems))
        self.problems = problems


def expect_found(value: T | None, code: str, **params: Any) -> T:
    """`value`, or a `VilcoError(code, **params)` when a lookup found nothing."""
    if value is None:
        raise VilcoError(code, **params)
    return value
