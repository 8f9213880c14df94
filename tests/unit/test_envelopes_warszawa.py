"""Warsaw 2026 as one process with envelopes: the city-wide file and three district files
(shared data, voters matched by `voter_id`) become one process with a city-wide part and three
district sub-budgets, each with its own threshold (META `min_project_score_threshold`). Under
the announced `greedy-threshold`, each envelope's winners are the files' declared `selected`.

Grochów's file has two ballots naming a project twice (voters 294139 and 310592); a ballot
approves a project once, so the second mention is dropped here, as vilco's validation would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vilco_core.ballots import Ballot
from vilco_core.envelopes import CITY, EnvelopeResults, tally_envelopes
from vilco_core.model import (
    BudgetKind,
    LocalText,
    Process,
    ProcessKind,
    Project,
    ProjectStatus,
    StoredBallot,
    SubBudget,
)

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"
CITY_FILE = PABULIB / "Poland_Warszawa_2026.pb"
DISTRICTS = {
    "bemowo": "Poland_Warszawa_2026_Bemowo.pb",
    "grochow": "Poland_Warszawa_2026_Grochow.pb",
    "mokotow": "Poland_Warszawa_2026_Mokotow.pb",
}

Section = tuple[dict[str, str], list[dict[str, str]], dict[str, list[str]]]


def _read(path: Path) -> Section:
    """META, PROJECTS rows and the votes by voter id (a project named twice counted once)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    at = {name: lines.index(name) for name in ("META", "PROJECTS", "VOTES")}
    meta = dict(line.split(";", 1) for line in lines[at["META"] + 2 : at["PROJECTS"]])
    header = lines[at["PROJECTS"] + 1].split(";")
    projects = [dict(zip(header, line.split(";"), strict=False))
                for line in lines[at["PROJECTS"] + 2 : at["VOTES"]]]  # fmt: skip
    votes = {}
    for line in lines[at["VOTES"] + 2 :]:
        voter, vote = line.split(";")[:2]
        votes[voter] = list(dict.fromkeys(vote.split(",")))
    return meta, projects, votes


def _projects(rows: list[dict[str, str]], district: str) -> list[Project]:
    return [
        Project(
            id=None,
            process_id=1,
            ref=row["project_id"],
            title=LocalText(fr=row["name"], nl=row["name"]),
            description=LocalText(),
            cost_cents=int(row["cost"]) * 100,
            lat=0.0,
            lon=0.0,
            district=district,
            status=ProjectStatus.ELIGIBLE,
        )
        for row in rows
    ]


@pytest.fixture(scope="module")
def warsaw() -> tuple[dict[str, EnvelopeResults], dict[str, set[str]]]:
    if not CITY_FILE.exists():
        pytest.skip("the shared Pabulib files are not beside the repository")
    city_meta, city_rows, city_votes = _read(CITY_FILE)
    projects = _projects(city_rows, "")
    declared = {CITY: {r["project_id"] for r in city_rows if r["selected"] == "1"}}
    budgets, ballots = [], {v: (list(refs), "") for v, refs in city_votes.items()}
    for key, file_name in DISTRICTS.items():
        meta, rows, votes = _read(PABULIB / "warszawa_2026_districts" / file_name)
        projects += _projects(rows, key)
        declared[key] = {r["project_id"] for r in rows if r["selected"] == "1"}
        name = LocalText(fr=meta["subunit"], nl=meta["subunit"])
        threshold = int(meta["min_project_score_threshold"])
        budgets.append(SubBudget(key=key, kind=BudgetKind.DISTRICT, name=name,
                                 amount_cents=int(meta["budget"]) * 100,
                                 min_supporters=threshold))  # fmt: skip
        for voter, refs in votes.items():  # one district per voter, plus the city-wide vote
            city_refs, _ = ballots.get(voter, ([], ""))
            ballots[voter] = (city_refs + refs, key)
    process = Process(
        id=1, name=LocalText(fr="Warszawa 2026", nl="Warschau 2026"), kind=ProcessKind.BUDGET,
        commune_codes=("21013",), year=2026, rule="greedy-threshold",
        envelope_cents=int(city_meta["budget"]) * 100 + sum(b.amount_cents for b in budgets),
        min_supporters=int(city_meta["min_project_score_threshold"]), sub_budgets=tuple(budgets),
    )  # fmt: skip
    stored = [
        StoredBallot(receipt=voter, process_id=1, channel="import", site_id=None,
                     cast_on=dt.date(2025, 6, 10),
                     ballot=Ballot(kind="approval", project_ids=tuple(refs), district=district))
        for voter, (refs, district) in ballots.items()
    ]  # fmt: skip
    found = tally_envelopes(process, projects, stored, provisional=False)
    return {e.key: e for e in found}, declared


@pytest.mark.parametrize("key", [*DISTRICTS, CITY])
def test_envelopes_warszawa_2026_each_envelope_selects_what_the_city_declared(
    warsaw: tuple[dict[str, EnvelopeResults], dict[str, set[str]]], key: str
) -> None:
    found, declared = warsaw
    envelope = found[key]
    assert set(envelope.results.announced.selected) == declared[key]
    assert envelope.results.announced.rule == "greedy-threshold"


def test_envelopes_warszawa_2026_districts_keep_their_own_voters_and_money(
    warsaw: tuple[dict[str, EnvelopeResults], dict[str, set[str]]],
) -> None:
    found, _declared = warsaw
    assert list(found) == [*DISTRICTS, CITY]
    assert found["bemowo"].results.ballot_count == 4714
    assert found["grochow"].results.ballot_count == 2106
    assert found["mokotow"].results.ballot_count == 6902
    assert found[CITY].results.ballot_count == 61668
    assert found["bemowo"].budget_cents == 2_539_616_00
    assert found[CITY].budget_cents == 24_186_815_00  # leftovers stay in the districts
    assert found["mokotow"].min_supporters == 150
    assert found["grochow"].min_supporters == 30
