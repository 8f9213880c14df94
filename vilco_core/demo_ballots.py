"""The demo's ballots: a plausible, reproducible vote on the demo budget (data/demo_ballots.csv).

800 approval ballots (1 to 5 projects) from a fixed seed. Saint-Gilles casts a bit more than
half of them and Schaerbeek the rest; most residents approve cheap, popular projects of their own
commune, a loyal base of parents backs the expensive Saint-Gilles playground (SG-11) and one of
cyclists the Schaerbeek bike boxes (SC-05). Greedy then spends most of the envelope on
Saint-Gilles's most-voted projects; Equal Shares gives each commune about its share of the
voters, so the two rules differ visibly. Ballots come mostly by phone at the poster sites, some
on paper at the stands; `cast_day` counts days from the start of the vote phase.

The committed CSV is `demo_ballots_csv()`'s output (a unit test checks it); to regenerate:
`python -c "from vilco_core.demo_ballots import write_demo_ballots; write_demo_ballots()"`.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Final

SEED: Final = 2027
VOTERS: Final = 800
SAINT_GILLES_SHARE: Final = 0.57
PATH: Final = Path(__file__).resolve().parent.parent / "data" / "demo_ballots.csv"

# How readily a resident of each commune approves each project (relative weights).
_SAINT_GILLES: Final = {
    "SG-01": 9, "SG-02": 4, "SG-03": 10, "SG-04": 8, "SG-05": 7, "SG-06": 11, "SG-07": 5,
    "SG-08": 7, "SG-09": 6, "SG-10": 4, "SG-11": 6, "SG-12": 8, "SG-13": 5,
}  # fmt: skip
_SCHAERBEEK: Final = {
    "SC-01": 9, "SC-02": 6, "SC-03": 8, "SC-04": 10, "SC-05": 4, "SC-06": 7, "SC-07": 5,
    "SC-08": 5, "SC-09": 9, "SC-10": 6, "SC-11": 9, "SC-12": 4,
}  # fmt: skip
# Loyal bases: (share of the commune's voters, projects they always approve).
_LOYAL: Final = {
    "saint-gilles": (0.22, ("SG-11", "SG-07")),
    "schaerbeek": (0.25, ("SC-05", "SC-08")),
}
_SITES: Final = {"saint-gilles": ("SG-01", "SG-04"), "schaerbeek": ("SC-01", "SC-05")}
VOTE_DAYS: Final = 7  # ballots cast on days 0..6 of the vote phase


def _weighted_sample(rng: random.Random, weights: dict[str, int], count: int) -> list[str]:
    pool = dict(weights)
    chosen: list[str] = []
    while pool and len(chosen) < count:
        pick = rng.choices(sorted(pool), weights=[pool[k] for k in sorted(pool)])[0]
        chosen.append(pick)
        del pool[pick]
    return chosen


def _ballot(rng: random.Random, commune: str) -> list[str]:
    own, other = (
        (_SAINT_GILLES, _SCHAERBEEK) if commune == "saint-gilles" else (_SCHAERBEEK, _SAINT_GILLES)
    )
    size = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 5, 5])[0]
    share, loyal = _LOYAL[commune]
    picks = list(loyal) if rng.random() < share else []
    rest = {k: w for k, w in own.items() if k not in picks}
    picks += _weighted_sample(rng, rest, max(0, size - len(picks)))
    if len(picks) < 5 and rng.random() < 0.12:  # a few cross the canal
        picks += _weighted_sample(rng, other, 1)
    return sorted(picks[:5])


def demo_ballots_csv(seed: int = SEED, voters: int = VOTERS) -> str:
    """The demo ballots as CSV text: `channel,site,cast_day,projects` (refs space-separated)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["channel", "site", "cast_day", "projects"])
    for _ in range(voters):
        commune = "saint-gilles" if rng.random() < SAINT_GILLES_SHARE else "schaerbeek"
        projects = _ballot(rng, commune)
        channel = "paper" if rng.random() < 0.18 else "phone"
        site = rng.choice(_SITES[commune])
        writer.writerow([channel, site, rng.randrange(VOTE_DAYS), " ".join(projects)])
    return out.getvalue()


def write_demo_ballots(path: Path = PATH) -> None:
    path.write_text(demo_ballots_csv(), encoding="utf-8")


# -- the demo with one envelope per commune (data/demo_district_*.csv) -------------------------

DISTRICT_PROJECTS: Final = PATH.parent / "demo_district_projects.csv"
DISTRICT_BALLOTS: Final = PATH.parent / "demo_district_ballots.csv"
CITY_WIDE: Final = ("SG-02", "SC-04", "SC-11")  # shared by both communes: the city-wide part
_COMMUNE_OF: Final = {"SG": "Saint-Gilles", "SC": "Schaerbeek"}
_POSTER: Final = {"SG": "SG-04", "SC": "SC-01"}  # the one poster site of each commune


def district_projects_csv() -> str:
    """The demo projects, each in its commune's envelope (the `district` column) or city-wide."""
    rows = list(csv.reader(io.StringIO((PATH.parent / "demo_projects.csv").read_text("utf-8"))))
    column = rows[0].index("district")
    for row in rows[1:]:
        row[column] = "" if row[0] in CITY_WIDE else _COMMUNE_OF[row[0][:2]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def district_ballots_csv() -> str:
    """The demo ballots as votes in one commune and city-wide: a resident keeps the projects of
    the commune where the ballot was cast and the city-wide ones (a pick across the canal is
    dropped); the commune's poster site stands for the site. One voter in three of the budget's
    demo votes here: enough for every envelope's outcome, and the demo loads in every test."""
    rows = list(csv.DictReader(io.StringIO(demo_ballots_csv())))[::3]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["channel", "site", "cast_day", "projects"])
    for row in rows:
        commune = row["site"][:2]
        kept = [r for r in row["projects"].split() if r in CITY_WIDE or r[:2] == commune]
        if kept:
            writer.writerow([row["channel"], _POSTER[commune], row["cast_day"], " ".join(kept)])
    return out.getvalue()


def write_district_demo() -> None:
    DISTRICT_PROJECTS.write_text(district_projects_csv(), encoding="utf-8")
    DISTRICT_BALLOTS.write_text(district_ballots_csv(), encoding="utf-8")
