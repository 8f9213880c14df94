"""Live counts of stored ballots: per project, per site, per channel — each ballot once.

A ballot adds one to its channel and to its site (or to "no site"), and to each project it
names (its points for a cumulative ballot). So the channel counts and the site counts each sum
to the number of ballots: nothing is counted twice, nothing is lost. The outcome under the
announced rule is `vilco_core.results`' job; this is what the projector and the stands show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from vilco_core.model import StoredBallot


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    ballots: int
    per_project: Mapping[str, int] = field(default_factory=dict)  # project ref -> votes/points
    per_site: Mapping[int | None, int] = field(default_factory=dict)  # None: no site (online)
    per_channel: Mapping[str, int] = field(default_factory=dict)
    per_site_channel: Mapping[tuple[int | None, str], int] = field(default_factory=dict)


def tally_ballots(ballots: Sequence[StoredBallot]) -> Tally:
    projects: Counter[str] = Counter()
    sites: Counter[int | None] = Counter()
    channels: Counter[str] = Counter()
    both: Counter[tuple[int | None, str]] = Counter()
    for stored in ballots:
        ballot = stored.ballot
        for ref, weight in zip(ballot.project_ids, ballot.weights, strict=True):
            projects[ref] += weight
        sites[stored.site_id] += 1
        channels[stored.channel] += 1
        both[(stored.site_id, stored.channel)] += 1
    return Tally(ballots=len(ballots), per_project=dict(projects), per_site=dict(sites),
                 per_channel=dict(channels), per_site_channel=dict(both))  # fmt: skip
