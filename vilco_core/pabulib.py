"""Read and write Pabulib `.pb` files (pabulib.org format: sections META, PROJECTS, VOTES).

Reading accepts the files as Pabulib publishes them: `;`-separated rows, quoted fields, comma
lists in `vote` and `points`, decimal costs and budgets (with `.` or `,`), a byte-order mark and
CRLF line ends. Money becomes integer minor units (`Instance.unit` = 10 ** decimals used by the
file). Every problem raises `VilcoError("pabulib.*", line=...)` naming the line. Writing produces
a file `pabulib-checker` accepts; reading it back gives the same instance, ballots and winners.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from vilco_core.errors import VilcoError
from vilco_core.rules.instance import VOTE_TYPES, Instance, Profile, Project, VoteType

SECTIONS = ("META", "PROJECTS", "VOTES")


@dataclass(frozen=True, slots=True, kw_only=True)
class PabulibFile:
    """A parsed `.pb` file: the instance, the ballots and the PROJECTS columns kept as text."""

    instance: Instance
    profile: Profile
    project_fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def declared_winners(self) -> tuple[str, ...] | None:
        """The `selected` column (the winners the city declared), if the file has one."""
        rows = self.project_fields
        if not rows or any("selected" not in r for r in rows.values()):
            return None
        return tuple(pid for pid, r in rows.items() if r["selected"].strip() == "1")


def read_pabulib(path: str | Path) -> PabulibFile:
    """Parse a `.pb` file from disk."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise VilcoError("pabulib.unreadable", path=str(path), reason=str(exc)) from exc
    return parse_pabulib(text)


def parse_pabulib(text: str) -> PabulibFile:
    """Parse the text of a `.pb` file."""
    sections = _split_sections(text.lstrip("\ufeff"))
    meta = _read_meta(sections["META"])
    rows = _read_table(sections["PROJECTS"], "project_id")
    unit = _unit(meta, rows)
    instance = _instance(meta, rows, unit)
    profile = _read_votes(sections["VOTES"], instance)
    fields = {pid: dict(r) for pid, (_, r) in rows.items()}
    return PabulibFile(instance=instance, profile=profile, project_fields=fields)


Lines = list[tuple[int, str]]


def _split_sections(text: str) -> dict[str, Lines]:
    sections: dict[str, Lines] = {}
    current: Lines | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        key = line.strip().strip(";").upper()
        if key in SECTIONS and (current is None or key not in sections):
            current = sections.setdefault(key, [])
        elif current is None:
            if line.strip():
                raise VilcoError("pabulib.outside_section", line=number)
        elif line.strip():
            current.append((number, line))
    for name in SECTIONS:
        if name not in sections:
            raise VilcoError("pabulib.missing_section", section=name, line=0)
    return sections


def _rows(lines: Lines) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader((line for _, line in lines), delimiter=";", quotechar='"')
    numbers = iter(lines)
    for row in reader:
        yield next(numbers)[0], [cell.strip() for cell in row]


def _read_meta(lines: Lines) -> dict[str, str]:
    meta: dict[str, str] = {}
    for number, row in _rows(lines[1:]):
        if len(row) < 2:
            raise VilcoError("pabulib.bad_row", line=number, expected=2, found=len(row))
        meta[row[0].lower()] = ";".join(row[1:])
    return meta


def _read_table(lines: Lines, key: str) -> dict[str, tuple[int, dict[str, str]]]:
    if not lines:
        raise VilcoError("pabulib.missing_header", line=0, column=key)
    header_line, header = next(_rows(lines[:1]))
    if key not in header:
        raise VilcoError("pabulib.missing_column", line=header_line, column=key)
    table: dict[str, tuple[int, dict[str, str]]] = {}
    for number, row in _rows(lines[1:]):
        if len(row) != len(header):
            raise VilcoError("pabulib.bad_row", line=number, expected=len(header), found=len(row))
        record = dict(zip(header, row, strict=True))
        if record[key] in table:
            raise VilcoError("pabulib.duplicate_id", line=number, id=record[key])
        table[record[key]] = (number, record)
    return table


def _decimal(text: str, line: int, what: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise VilcoError("pabulib.bad_number", line=line, field=what, value=text)
    return value


def _unit(meta: Mapping[str, str], rows: Mapping[str, tuple[int, dict[str, str]]]) -> int:
    amounts = [(meta.get("budget", "0"), 0)] + [(r.get("cost", "0"), n) for n, r in rows.values()]
    places = 0
    for amount, line in amounts:
        exponent = _decimal(amount, line, "cost").normalize().as_tuple().exponent
        places = max(places, -exponent if isinstance(exponent, int) else 0)
    return int(10**places)


def _minor(text: str, unit: int, line: int, what: str) -> int:
    return int(_decimal(text, line, what) * unit)


def _instance(
    meta: Mapping[str, str], rows: Mapping[str, tuple[int, dict[str, str]]], unit: int
) -> Instance:
    if "budget" not in meta:
        raise VilcoError("pabulib.missing_meta", key="budget", line=0)
    vote_type = meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise VilcoError("pabulib.unknown_vote_type", vote_type=vote_type, line=0)
    projects = []
    for pid, (number, record) in rows.items():
        if "cost" not in record:
            raise VilcoError("pabulib.missing_column", line=number, column="cost")
        cost = _minor(record["cost"], unit, number, "cost")
        excludes = _excludes(record.get(EXCLUDES, ""), rows, pid, number)
        projects.append(
            Project(project_id=pid, cost=cost, name=record.get("name", ""), excludes=excludes)
        )
    threshold = meta.get("min_project_score_threshold")
    max_length = meta.get("max_length")
    return Instance(
        projects=tuple(projects),
        budget=_minor(meta["budget"], unit, 0, "budget"),
        unit=unit,
        vote_type=_vote_type(vote_type),
        min_project_score=int(_decimal(threshold, 0, "threshold")) if threshold else None,
        max_length=int(_decimal(max_length, 0, "max_length")) if max_length else None,
        meta=dict(meta),
    )


# vilco's PROJECTS column for rule `greedy-exclusive`: the ids of the projects a project may not
# be funded with (comma list; Pabulib has no column for it, its files say so in `comment`).
EXCLUDES = "excludes"


def _excludes(
    cell: str, rows: Mapping[str, tuple[int, dict[str, str]]], pid: str, line: int
) -> tuple[str, ...]:
    names = tuple(name.strip() for name in cell.split(",") if name.strip())
    for name in names:
        if name not in rows or name == pid:
            raise VilcoError("rule.excludes_unknown_project", line=line, project=name)
    return names


def _vote_type(name: str) -> VoteType:
    for vote_type in VOTE_TYPES:
        if vote_type == name:
            return vote_type
    raise VilcoError("pabulib.unknown_vote_type", vote_type=name, line=0)


def _read_votes(lines: Lines, instance: Instance) -> Profile:
    if not lines:
        raise VilcoError("pabulib.missing_header", line=0, column="vote")
    header_line, header = next(_rows(lines[:1]))
    for column in ("voter_id", "vote"):
        if column not in header:
            raise VilcoError("pabulib.missing_column", line=header_line, column=column)
    col_id, col_vote = header.index("voter_id"), header.index("vote")
    col_points = header.index("points") if "points" in header else None
    index = instance.index()
    ids: list[str] = []
    flat: list[int] = []
    points: list[int] = []
    lengths: list[int] = []
    for number, row in _rows(lines[1:]):
        if len(row) != len(header):
            raise VilcoError("pabulib.bad_row", line=number, expected=len(header), found=len(row))
        ballot = _ballot(row[col_vote], index, number)
        flat.extend(ballot)
        lengths.append(len(ballot))
        points.extend(_points(row, col_points, len(ballot), number))
        ids.append(row[col_id])
    return _profile(ids, flat, points, lengths)


def _ballot(cell: str, index: Mapping[str, int], line: int) -> list[int]:
    names = [name.strip() for name in cell.split(",")] if cell else []
    try:
        ballot = [index[name] for name in names]
    except KeyError as exc:
        raise VilcoError("pabulib.unknown_project", line=line, project=exc.args[0]) from None
    if len(set(ballot)) != len(ballot):
        raise VilcoError("pabulib.duplicate_project", line=line)
    return ballot


def _points(row: Sequence[str], column: int | None, count: int, line: int) -> list[int]:
    if column is None or not row[column]:
        return [1] * count
    cells = row[column].split(",")
    if len(cells) != count:
        raise VilcoError("pabulib.points_mismatch", line=line, votes=count, points=len(cells))
    try:
        return [int(cell) for cell in cells]
    except ValueError:
        raise VilcoError(
            "pabulib.bad_number", line=line, field="points", value=row[column]
        ) from None


def _profile(ids: list[str], flat: list[int], points: list[int], lengths: list[int]) -> Profile:
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.array(lengths, dtype=np.int64), out=indptr[1:])
    return Profile(
        indptr=indptr,
        projects=np.array(flat, dtype=np.int64),
        points=np.array(points, dtype=np.int64),
        voter_ids=tuple(ids),
    )


def write_pabulib(instance: Instance, profile: Profile, selected: Iterable[str] = ()) -> str:
    """The `.pb` text of an instance and its ballots (`selected`: winners to mark)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    winners = set(selected)
    _write_meta(writer, instance, profile)
    writer.writerow(["PROJECTS"])
    excludes = any(p.excludes for p in instance.projects)  # only then: checker knows no such column
    writer.writerow(["project_id", "cost", "votes", "name", "selected", *[EXCLUDES] * excludes])
    votes = profile.supporters(len(instance.projects))
    for i, p in enumerate(instance.projects):
        cost = _money_text(p.cost, instance.unit)
        row = [p.project_id, cost, int(votes[i]), p.name, int(p.project_id in winners)]
        writer.writerow([*row, *[",".join(p.excludes)] * excludes])
    _write_votes(writer, instance, profile)
    return out.getvalue()


# The Pabulib format's order of META keys (pabulib-checker refuses another order).
META_ORDER: tuple[str, ...] = (
    "description", "country", "unit", "district", "subunit", "instance", "num_projects",
    "num_votes", "budget", "vote_type", "rule", "date_begin", "date_end", "min_length",
    "max_length", "min_sum_cost", "max_sum_cost", "min_points", "max_points", "min_sum_points",
    "max_sum_points", "default_score", "min_project_cost", "max_project_cost",
    "min_project_score_threshold", "neighborhoods", "subdistricts", "categories", "edition",
    "language", "currency", "fully_funded", "experimental", "comment", "acknowledgments",
)  # fmt: skip
_META_RANK = {key: rank for rank, key in enumerate(META_ORDER)}


def _write_meta(writer: Any, instance: Instance, profile: Profile) -> None:
    meta = dict(instance.meta)
    meta.update(
        num_projects=str(len(instance.projects)),
        num_votes=str(profile.num_voters),
        budget=_money_text(instance.budget, instance.unit),
        vote_type=instance.vote_type,
    )
    meta.setdefault("description", "vilco export")
    meta.setdefault("country", "Belgium")
    meta.setdefault("unit", "vilco")
    meta.setdefault("instance", "vilco")
    ordered = sorted(meta.items(), key=lambda kv: _META_RANK.get(kv[0], len(_META_RANK)))
    rows = [["META"], ["key", "value"], *([k, v] for k, v in ordered)]
    for row in rows:
        writer.writerow(row)


def _write_votes(writer: Any, instance: Instance, profile: Profile) -> None:
    with_points = instance.vote_type in ("cumulative", "ordinal")
    header = ["voter_id", "vote", *(["points"] if with_points else [])]
    writer.writerow(["VOTES"])
    writer.writerow(header)
    ids = [p.project_id for p in instance.projects]
    for v in range(profile.num_voters):
        start, end = int(profile.indptr[v]), int(profile.indptr[v + 1])
        voter_id = profile.voter_ids[v] if profile.voter_ids else str(v + 1)
        row = [voter_id, ",".join(ids[int(p)] for p in profile.projects[start:end])]
        if with_points:
            row.append(",".join(str(int(x)) for x in profile.points[start:end]))
        writer.writerow(row)


def _money_text(minor: int, unit: int) -> str:
    if unit == 1:
        return str(minor)
    return str(Decimal(minor) / Decimal(unit))
