"""The demo: two Brussels communes, a participatory budget with 25 projects inspired by the
VILCO catalogue, a rolling call for projects, the same budget split into one envelope per commune
plus a city-wide part (`demo_ballots.district_ballots_csv`: district results, leftovers flowing to
the city), poster sites, four staff accounts and the shared resources of
`vilco_core.demo_resources` (spaces and the garage).

`load_demo` is idempotent: it loads nothing when the database already holds processes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

from vilco_core import codes
from vilco_core.ballots import Ballot, BallotRules
from vilco_core.communes import COMMUNES
from vilco_core.demo_resources import load_demo_resources
from vilco_core.model import (
    DEFAULT_BALLOT,
    DEFAULT_MIN_SUPPORTERS,
    BudgetKind,
    LocalText,
    Phase,
    PhaseWindow,
    Process,
    ProcessKind,
    Role,
    Site,
    StaffUser,
    SubBudget,
    parse_channel,
)
from vilco_core.project_csv import parse_projects_csv
from vilco_core.services import audit, ballots, staff
from vilco_core.signatures import parse_mode
from vilco_core.unit_of_work import UnitOfWork

DEMO_DIR: Final = Path(__file__).resolve().parent.parent / "data"
DEMO_PASSWORD: Final = staff.DEMO_PASSWORD  # a demo fixture, printed by `make run`


def _text(values: dict[str, str]) -> LocalText:
    return LocalText.of(values)


def _process(spec: dict[str, Any], today: dt.date) -> Process:
    return Process(
        id=None,
        name=_text(spec["name"]),
        kind=ProcessKind(spec["kind"]),
        commune_codes=tuple(spec["communes"]),
        envelope_cents=spec["envelope_euros"] * 100,
        year=today.year + 1,
        rule=spec["rule"],
        rolling=spec["rolling"],
        signature_threshold=spec["signature_threshold"],
        signature_mode=parse_mode(spec.get("signature_mode", "code")),
        ballot=_ballot_rules(spec.get("ballot")),
        min_supporters=spec.get("min_supporters", DEFAULT_MIN_SUPPORTERS),
        leftover_to_city=spec.get("leftover_to_city", False),
        sub_budgets=tuple(
            SubBudget(
                key=b["key"],
                kind=BudgetKind(b["kind"]),
                name=_text(b["name"]),
                amount_cents=b["amount_euros"] * 100,
            )
            for b in spec["sub_budgets"]
        ),
        phases=tuple(
            PhaseWindow(
                phase=Phase(name),
                starts_on=today + dt.timedelta(days=start),
                ends_on=today + dt.timedelta(days=end),
            )
            for name, start, end in spec["phases"]
        ),
    )


def _ballot_rules(spec: dict[str, Any] | None) -> BallotRules:
    if spec is None:
        return DEFAULT_BALLOT
    return BallotRules(
        kind=spec["kind"],
        min_projects=spec.get("min_projects", 1),
        max_projects=spec.get("max_projects"),
        budget=spec["budget_euros"] * 100 if spec.get("budget_euros") else None,
        min_share=Fraction(spec["min_share"]) if spec.get("min_share") else None,
        total_points=spec.get("total_points"),
        max_points_per_project=spec.get("max_points_per_project"),
    )


def load_demo(uow: UnitOfWork, today: dt.date, data_dir: Path = DEMO_DIR) -> bool:
    """Load the demo into an empty database; False (and nothing written) when not empty."""
    spec = json.loads((data_dir / "demo.json").read_text(encoding="utf-8"))
    with uow:
        uow.communes.add_missing(COMMUNES)
        loaded = not uow.processes.list()
        uow.commit()
    if not loaded:
        load_demo_resources(uow, today, data_dir)  # a demo database from before the resources
        return False
    with uow:
        for item in spec["processes"]:
            _load_process(uow, item, today, data_dir)
        uow.commit()
    for person in spec["staff"]:
        if staff.get_staff_user(uow, person["username"]) is None:
            user = StaffUser(
                username=person["username"],
                name=person["name"],
                role=Role(person["role"]),
                commune_codes=tuple(person["communes"]),
            )
            staff.add_staff_user(uow, user, DEMO_PASSWORD)
    load_demo_resources(uow, today, data_dir)
    return True


def _load_process(uow: UnitOfWork, item: dict[str, Any], today: dt.date, data_dir: Path) -> None:
    process_id = uow.processes.add(_process(item, today))
    refs: dict[str, int] = {}
    if item["projects_csv"]:
        data = (data_dir / item["projects_csv"]).read_bytes()
        for project in parse_projects_csv(data, process_id, set()):
            refs[project.ref] = uow.projects.add(replace(project, process_id=process_id))
    projects = {p.ref: p for p in uow.projects.list_for_process(process_id)}
    for site in item["sites"]:
        project = projects[site["project"]]
        uow.sites.add(
            Site(
                id=None,
                process_id=process_id,
                project_id=refs[site["project"]],
                name=site["name"],
                address=site["address"],
                lat=project.lat,
                lon=project.lon,
            )
        )
    if item.get("ballots_csv"):
        _load_ballots(uow, process_id, (data_dir / item["ballots_csv"]).read_text("utf-8"), today)


def _load_ballots(uow: UnitOfWork, process_id: int, text: str, today: dt.date) -> None:
    """The demo's ballots (`vilco_core.demo_ballots`), dated from the start of the vote phase."""
    process = uow.processes.get(process_id)
    assert process is not None  # loaded just before
    start = next(w.starts_on for w in process.phases if w.phase is Phase.VOTE)
    site_of = {s.project_id: s.id for s in uow.sites.list_for_process(process_id)}
    project_id = {p.ref: p.id for p in uow.projects.list_for_process(process_id)}
    entries = [
        ballots.BallotEntry(
            ballot=Ballot(kind=process.ballot.kind, project_ids=tuple(row["projects"].split())),
            channel=parse_channel(row["channel"]),
            site_id=site_of[project_id[row["site"]]] if row["site"] else None,
            cast_on=min(today, start + dt.timedelta(days=int(row["cast_day"]))),
        )
        for row in csv.DictReader(io.StringIO(text))
    ]
    _spend_demo_codes(uow, process_id, sum(e.channel in ("phone", "paper") for e in entries), start)
    ballots.store_ballots(uow, process_id, entries)
    # mixed at once, in the same transaction (one batch): the demo has no voter to protect
    audit.mix_pending(uow, process_id, 1, random.SystemRandom())


def _spend_demo_codes(uow: UnitOfWork, process_id: int, count: int, day: dt.date) -> None:
    """A batch of one-time codes, all spent: as many as the demo's phone and paper ballots, as
    if residents had cast them (`audit verify` compares the two). No code is kept in clear."""
    hashes: set[str] = set()
    while len(hashes) < count:
        hashes.add(codes.hash_code(codes.generate_code().replace("-", "")))
    uow.codes.add_batch(process_id, "demo", day, "demo", hashes)
    for code_hash in hashes:
        uow.codes.spend(code_hash, process_id)
