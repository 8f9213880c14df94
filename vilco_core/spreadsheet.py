"""What every CSV export writes: rows of cells a spreadsheet opens as text, never as formulas.

A resident's name, a project's title or a panel member's label starting with `=`, `+`, `-`, `@`,
a tab or a carriage return would run in the spreadsheet of whoever opens the export
(`=HYPERLINK(...)`); such a text cell gets a leading apostrophe (the OWASP "CSV injection"
advice). Numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text a spreadsheet shows as text; numbers and other values unchanged."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The CSV of an export: the header, then every row with each cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
