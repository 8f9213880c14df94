"""The migrations' old branching history, and the bridge from it to the one chain of today.

Until issue #10 every feature's migration branched from the foundation "0001" (0006 followed
0004, 0008 followed 0006), so a database recorded up to four heads: 0002, 0003, 0007, 0008.
The history is now one chain, 0001 → 0002 → 0003 → 0004 → 0006 → 0007 → 0008 → …, and
`upgrade_database` upgrades to its one head. A database migrated under the old graph may have
applied any set of revisions closed under the old parents — say 0002 and 0008 but neither
0003 nor 0007 — so stamping its furthest revision would skip migrations it never ran.
`linearise` reads what it applied and walks the old revisions in chain order, recording those
it applied and applying those it did not; afterwards it sits on one revision of the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

CHAIN: Final[tuple[str, ...]] = ("0001", "0002", "0003", "0004", "0006", "0007", "0008")
OLD_PARENTS: Final[dict[str, str]] = {
    "0002": "0001",
    "0003": "0001",
    "0004": "0001",
    "0006": "0004",
    "0007": "0001",
    "0008": "0006",
}
# A table each old revision creates. With one version recorded, the tables tell the old graph
# (0008 alone: only 0001, 0004, 0006 and 0008 applied) from the chain (0008: all seven).
CREATES: Final[dict[str, str]] = {
    "0001": "communes",
    "0002": "ballots",
    "0003": "draws",
    "0004": "code_batches",
    "0006": "panel_sessions",
    "0007": "audit_log",
    "0008": "panel_voided_codes",
}
Step = tuple[Literal["stamp", "upgrade"], str]


def applied_revisions(
    recorded: Sequence[str], has_table: Callable[[str], bool]
) -> frozenset[str] | None:
    """The old revisions a database applied, read from the versions it records; None when it
    needs no bridge: empty, on the chain already, or past the old revisions."""
    if not recorded or any(revision not in CREATES for revision in recorded):
        return None
    if len(recorded) == 1:
        start = CHAIN[: CHAIN.index(recorded[0]) + 1]
        if all(has_table(CREATES[revision]) for revision in start):
            return None
    applied: set[str] = set()
    for head in recorded:
        revision: str | None = head
        while revision is not None:
            applied.add(revision)
            revision = OLD_PARENTS.get(revision)
    return frozenset(applied)


def steps(applied: frozenset[str]) -> list[Step]:
    """The chain up to the furthest revision `applied`: stamp the end of each run of applied
    revisions, upgrade to each revision not applied. The first step is a stamp (0001)."""
    last = max(CHAIN.index(revision) for revision in applied)
    plan: list[Step] = []
    for position, revision in enumerate(CHAIN[: last + 1]):
        if revision not in applied:
            plan.append(("upgrade", revision))
        elif position == last or CHAIN[position + 1] not in applied:
            plan.append(("stamp", revision))
    return plan


def linearise(config: Config, connection: Connection) -> list[Step]:
    """Bring a database migrated under the old graph onto the chain (nothing otherwise), on
    `connection`, which `config` passes to the migrations' environment. Returns the steps."""
    recorded = MigrationContext.configure(connection).get_current_heads()
    applied = applied_revisions(recorded, inspect(connection).has_table)
    if applied is None:
        return []
    plan = steps(applied)
    for number, (action, revision) in enumerate(plan):
        if action == "stamp":
            command.stamp(config, revision, purge=number == 0)  # purge: the several heads
        else:
            command.upgrade(config, revision)
    return plan
