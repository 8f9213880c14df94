"""Text a person typed, as every value holding it keeps it: without Unicode bidi controls.

An override (U+202A-U+202E) or isolate (U+2066-U+2069) reorders what follows it on screen:
"gnp.exe" with a right-to-left override displays as "exe.png", a project title can show another
amount than the one stored. No field of vilco needs them (French, Dutch and English run left to
right; Arabic or Hebrew names display correctly without explicit controls), so every value built
from typed text drops them when it is constructed: `TypedText` values (processes, projects,
sites, signatures, panel sessions and members, evaluations) and `LocalText`. Building the value
is the one place every input passes: forms, the project CSV import, the CLI, the store.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Final

BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DROP: Final = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi(text: str) -> str:
    """`text` without bidi overrides and isolates (the same text when it has none)."""
    return text.translate(_DROP) if BIDI_CONTROLS.intersection(text) else text


class TypedText:
    """A frozen dataclass whose text fields (and tuples of texts) drop bidi controls."""

    __slots__ = ()

    def __post_init__(self) -> None:
        for found in fields(self):  # type: ignore[arg-type]
            value = getattr(self, found.name)
            if isinstance(value, str):
                cleaned: object = strip_bidi(value)
            elif isinstance(value, tuple) and any(isinstance(v, str) for v in value):
                cleaned = tuple(strip_bidi(v) if isinstance(v, str) else v for v in value)
            else:
                continue
            if cleaned != value:
                object.__setattr__(self, found.name, cleaned)
