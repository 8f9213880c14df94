"""What the audit log holds of a citizen panel round, and its check.

When a round closes, each member's last ballot is sealed with a random receipt (a SHA-256 that
names no member and no code) and appended to the chain as a `panel.ballot` entry, in receipt
order (so the order says nothing of who voted when); then a `panel.result` entry publishes the
round's count and winners with what is needed to recompute them: the rule, the ballot kind, the
budget and the cost of each project asked. `panel_problems` checks, for `audit verify`, that the
sealed ballots stored and the ballot entries are the same, and recounts and reruns every
published round from the ballots entered before it (projects nobody supported are not eligible,
as in `panels.tally_round`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, Final

from vilco_core.audit import reconcile_entries
from vilco_core.ballots import Ballot, supported
from vilco_core.model import AuditEntry, StoredBallot
from vilco_core.results import profile_of, run_rule
from vilco_core.rules import Instance
from vilco_core.rules import Project as RuleProject
from vilco_core.tally import tally_ballots

PANEL_BALLOT: Final = "panel.ballot"
PANEL_RESULT: Final = "panel.result"


def new_receipt() -> str:
    """A receipt-like hash for a sealed panel ballot: random, so it links to nobody."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def ballot_payload(receipt: str, round_id: int, kind: str, content: str) -> dict[str, Any]:
    """The payload of a panel ballot's entry: the sealed ballot row, without its member."""
    return {"receipt": receipt, "round_id": round_id, "kind": kind, "content": content}


def parse_ballot(payload: Mapping[str, Any]) -> Ballot:
    content = json.loads(payload["content"])
    return Ballot(
        kind=payload["kind"],
        project_ids=tuple(str(p) for p in content["projects"]),
        points=tuple(int(x) for x in content.get("points", ())),
    )


def round_selected(
    rule: str, kind: str, budget_cents: int, costs: Mapping[str, int], ballots: Sequence[Ballot]
) -> tuple[str, ...]:
    """The winners of a round from its published figures alone: only the supported projects
    are eligible; the rule runs with the parameters a process announcing it uses."""
    backed = supported(ballots)
    refs = sorted(r for r in costs if r in backed)
    instance = Instance(
        projects=tuple(RuleProject(project_id=r, cost=costs[r]) for r in refs),
        budget=budget_cents,
        unit=100,
        vote_type="cumulative" if kind == "cumulative" else "approval",
    )
    profile, _dropped = profile_of(instance, ballots)
    return run_rule(instance, profile, rule).selected


def count(ballots: Sequence[Ballot]) -> tuple[int, dict[str, int]]:
    """Ballots and per-project count (points on a cumulative ballot), as `tally_ballots`."""
    stored = [
        StoredBallot(
            receipt="", process_id=0, ballot=b, channel="panel", site_id=None, cast_on=dt.date.min
        )
        for b in ballots
    ]
    tally = tally_ballots(stored)
    return tally.ballots, dict(tally.per_project)


def panel_problems(
    entries: Sequence[AuditEntry], raw: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Sealed panel ballots vs their entries (same set, same content), then every published
    round result recounted and rerun from the sealed ballots entered before it."""
    problems, logged = reconcile_entries(entries, raw, PANEL_BALLOT, "panel ballot", shown=12)
    for e in entries:
        if e.kind != PANEL_RESULT:
            continue
        published = json.loads(e.payload)
        ballots = [
            parse_ballot(raw[r])
            for r, (seq, p) in sorted(logged.items())
            if seq < e.seq and p["round_id"] == published["round_id"] and r in raw
        ]
        recount = count(ballots)
        rerun = round_selected(published["rule"], published["kind"], published["budget_cents"],
                               published["costs"], ballots)  # fmt: skip
        if recount != (published["ballots"], published["per_project"]) or list(rerun) != list(
            published["selected"]
        ):
            problems.append(
                f"panel result {e.seq} (round {published['round_id']}): recount differs"
            )
    return problems
