"""Progress reports and cancellation for long draws: the UI passes callables, the core calls them.

The core never sleeps, prints or reads a clock for this: it reports after each solver step and
asks `cancelled()` whether to stop, raising `VilcoError("sortition.cancelled")` if so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vilco_core.errors import VilcoError


@dataclass(frozen=True, slots=True, kw_only=True)
class Progress:
    """Where a computation stands: `done` of `total` groups settled, `panels` generated so far."""

    stage: str
    done: int
    total: int
    panels: int
    level: float | None = None


ProgressCallback = Callable[[Progress], None]
CancelCheck = Callable[[], bool]


def report(
    progress: ProgressCallback | None, cancelled: CancelCheck | None, state: Progress
) -> None:
    """Tell the caller where we are, then stop if the caller asked to."""
    if progress is not None:
        progress(state)
    if cancelled is not None and cancelled():
        raise VilcoError("sortition.cancelled")
