"""Use cases of ballots: validate and store them (each with its audit entry, in the same
transaction), count them, tally them and compute a process's results.

Ballots are anonymous: `record_ballot` stores what was voted, the channel, the site and the day
(a date), and returns a random receipt; nothing it stores names the voter or a voting code.
A caller spending a one-time code does it in the same `with uow:` transaction, before commit.
A ballot is stored *pending*; its audit entry comes when `mixing` moves it, in a shuffled batch
(see `vilco_core.services.mixing`). Counts, tallies and results include pending ballots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from vilco_core.ballots import Ballot
from vilco_core.envelopes import (
    EnvelopeResults,
    check_envelope_ballot,
    site_district,
    tally_envelopes,
)
from vilco_core.errors import VilcoError, expect_found
from vilco_core.locking import LISTED
from vilco_core.model import (
    CHANNELS,
    Channel,
    Phase,
    Process,
    Project,
    ProjectStatus,
    Site,
    StoredBallot,
    stored_id,
)
from vilco_core.results import ProcessResults, ballot_projects, tally_results
from vilco_core.services import mixing
from vilco_core.services.audit import ensure_locked
from vilco_core.tally import Tally, tally_ballots
from vilco_core.unit_of_work import UnitOfWork

LIVE_CHANNELS: Final = ("phone", "panel")  # cast by residents themselves: only while the vote runs


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotEntry:
    """A ballot with how and when it was cast, for bulk recording (imports, the demo)."""

    ballot: Ballot
    channel: Channel
    site_id: int | None
    cast_on: dt.date


def _check_entry(
    process: Process, entry: BallotEntry, listed: Sequence[Project], sites: dict[int, Site]
) -> BallotEntry:
    """The entry, its ballot's district filled in (`envelopes.check_envelope_ballot`)."""
    if entry.channel not in CHANNELS:
        raise VilcoError("ballot.unknown_channel", channel=entry.channel)
    if entry.site_id is not None and entry.site_id not in sites:
        raise VilcoError("ballot.unknown_site", site=entry.site_id)
    votes = [w for w in process.phases if w.phase is Phase.VOTE]
    running = any(w.starts_on <= entry.cast_on <= w.ends_on for w in votes)
    if entry.channel in LIVE_CHANNELS and not running:
        raise VilcoError("ballot.vote_closed")
    site = sites.get(entry.site_id) if entry.site_id is not None else None
    fixed = site_district(process, listed, site.project_id) if site is not None else ""
    return replace(entry, ballot=check_envelope_ballot(process, listed, entry.ballot, fixed))


def store_ballots(uow: UnitOfWork, process_id: int, entries: Sequence[BallotEntry]) -> list[str]:
    """Validate and store ballots as pending inside the caller's open `with uow:` (no commit):
    every one or a `VilcoError` for the first bad one. Returns the receipts, in the order
    given. Their audit entries come with their mixing batch (`mixing.mix_due`)."""
    process = expect_found(uow.processes.get(process_id), "errors.process_not_found", id=process_id)
    # a project withdrawn during the vote may still be named (a paper ballot filled before):
    # the ballot is stored whole, and the tally drops that entry as it drops any off the ballot
    listed = [p for p in uow.projects.list_for_process(process_id) if p.status in LISTED]
    sites = {stored_id(s): s for s in uow.sites.list_for_process(process_id)}
    entries = [_check_entry(process, entry, listed, sites) for entry in entries]
    if entries:
        ensure_locked(uow, process)  # a first ballot opens the vote, whatever the date
    receipts = []
    for e in entries:
        receipt: str = uow.ballots.add(process_id, e.ballot, e.channel, e.site_id, e.cast_on)
        receipts.append(receipt)
    return receipts


def record_ballot(
    uow: UnitOfWork,
    process_id: int,
    ballot: Ballot,
    channel: Channel,
    site_id: int | None,
    today: dt.date,
) -> str:
    """Validate one ballot against the process's ballot settings and store it; its receipt.

    Raises `VilcoError` (`ballot.*`, `errors.process_not_found`) and stores nothing when the
    ballot, channel or site is not acceptable; phone and panel ballots only during the vote."""
    entry = BallotEntry(ballot=ballot, channel=channel, site_id=site_id, cast_on=today)
    with uow:
        receipts = store_ballots(uow, process_id, [entry])
        uow.commit()
    mixing.mix_due(uow, process_id)
    return receipts[0]


def record_ballots(uow: UnitOfWork, process_id: int, entries: Sequence[BallotEntry]) -> list[str]:
    """Store many ballots at once (an import): all of them or none; mixed once k are pending."""
    with uow:
        receipts = store_ballots(uow, process_id, entries)
        uow.commit()
    mixing.mix_due(uow, process_id)
    return receipts


def count_ballots(uow: UnitOfWork, process_id: int) -> int:
    with uow:
        return int(uow.ballots.count(process_id))


def results_version(uow: UnitOfWork, process_id: int) -> tuple[int, int]:
    """What the results of a locked vote depend on besides the day: how many ballots, and how
    many projects were withdrawn (the only change of the ballot list once the vote opened)."""
    with uow:
        withdrawn = sum(
            p.status is ProjectStatus.WITHDRAWN for p in uow.projects.list_for_process(process_id)
        )
        return int(uow.ballots.count(process_id)), withdrawn


def count_ballots_by_channel_site(
    uow: UnitOfWork, process_id: int
) -> dict[tuple[Channel, int | None], int]:
    with uow:
        counts: dict[tuple[Channel, int | None], int] = uow.ballots.count_by_channel_site(
            process_id
        )
    return counts


HEAVY_TALLY_PROJECTS: Final = 1_000  # above this many projects on the ballot: a worker tallies


@dataclass(frozen=True, slots=True, kw_only=True)
class TallyInputs:
    """Everything a process's results are computed from (picklable: a worker can tally it)."""

    process: Process
    projects: tuple[Project, ...]
    ballots: tuple[StoredBallot, ...]
    provisional: bool

    @property
    def heavy(self) -> bool:
        """A tally to run in a worker process: Equal Shares over more than
        `HEAVY_TALLY_PROJECTS` projects takes seconds to minutes (5,001 projects: 18 s)."""
        return len(ballot_projects(self.projects)) > HEAVY_TALLY_PROJECTS


def tally_inputs(uow: UnitOfWork, process_id: int, today: dt.date) -> TallyInputs:
    """The process, its projects and ballots, and whether its results are still provisional
    (its vote phase has not ended on `today`)."""
    with uow:
        process = expect_found(
            uow.processes.get(process_id), "errors.process_not_found", id=process_id
        )
        projects = uow.projects.list_for_process(process_id)
        ballots = uow.ballots.list_for_process(process_id)
    return TallyInputs(process=process, projects=tuple(projects), ballots=tuple(ballots),
                       provisional=not process.vote_ended(today))  # fmt: skip


def tally_of(inputs: TallyInputs) -> ProcessResults:
    """The results of these inputs as one envelope (pure: here, or as a worker's task); the
    process's minimum number of supporters applies."""
    return tally_results(inputs.process, inputs.projects, inputs.ballots,
                         provisional=inputs.provisional,
                         min_supporters=inputs.process.min_supporters)  # fmt: skip


def envelopes_of(inputs: TallyInputs) -> tuple[EnvelopeResults, ...]:
    """The results of these inputs, one per envelope (`envelopes.tally_envelopes`; pure: here,
    or as a worker's task)."""
    return tally_envelopes(inputs.process, inputs.projects, inputs.ballots,
                           provisional=inputs.provisional)  # fmt: skip


def compute_envelopes(
    uow: UnitOfWork, process_id: int, today: dt.date
) -> tuple[EnvelopeResults, ...]:
    """The outcome of each envelope of a process (its sub-budgets, then the city-wide part;
    a rolling call's quarters; one for a process without envelopes); provisional until its
    vote phase has ended on `today`."""
    return envelopes_of(tally_inputs(uow, process_id, today))


def compute_results(uow: UnitOfWork, process_id: int, today: dt.date) -> ProcessResults:
    """The outcome of a process's stored ballots under its announced rule, beside greedy and
    Equal Shares; provisional until its vote phase has ended on `today`."""
    return tally_of(tally_inputs(uow, process_id, today))


def live_tally(uow: UnitOfWork, process_id: int) -> Tally:
    """Counts per project, per site and per channel of every stored ballot, each once."""
    with uow:
        ballots = uow.ballots.list_for_process(process_id)
    return tally_ballots(ballots)


def list_ballot_projects(uow: UnitOfWork, process_id: int) -> list[Project]:
    """The projects on a process's ballot (paper entry, a panel round's choices)."""
    with uow:
        return ballot_projects(uow.projects.list_for_process(process_id))
