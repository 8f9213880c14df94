"""The unit of work every use case takes first: the repositories and one transaction.

`with uow: ...; uow.commit()` — leaving the block without `commit` rolls everything back. The
store's `SqlUnitOfWork` is the implementation; tests may pass any object with these attributes.
The repositories are typed `Any` for now (provisional: the typed Protocol per repository
replaces this file).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol


class UnitOfWork(Protocol):
    communes: Any
    processes: Any
    projects: Any
    sites: Any
    staff: Any
    draws: Any
    ballots: Any
    audit: Any
    codes: Any
    signatures: Any
    paper_entries: Any
    panels: Any

    def __enter__(self) -> Any: ...
    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
