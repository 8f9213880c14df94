"""Pools of volunteers and their quotas: CSV parsing, validation and canonical hashes.

A pool is a table of people (an id column, one column per feature, optional household/address
and contact columns that never enter the draw); quotas are `feature,value,min,max` rows, the
format of the Sortition Foundation's tools. Parsing and validation collect *every* problem and
raise them together as `ValidationErrors`, so a panel organiser fixes the file in one pass.
Features are kept in sorted order and people sorted by id: that canonical order makes the hashes
(`pool_sha256`, `quotas_sha256`) independent of column order, row order and line endings.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vilco_core.errors import ValidationErrors, VilcoError

QUOTA_COLUMNS = ("feature", "value", "min", "max")


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One volunteer: `values[i]` is their value for `Pool.features[i]`."""

    id: str
    values: tuple[str, ...]
    household: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Pool:
    """The people who may be drawn, sorted by id, with the features the quotas use (sorted)."""

    features: tuple[str, ...]
    people: tuple[Person, ...]
    household_columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Quota:
    """At least `min` and at most `max` panel members have `value` for `feature`."""

    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Instance:
    """A validated draw problem: pool, quotas (sorted by feature then value) and panel size."""

    pool: Pool
    quotas: tuple[Quota, ...]
    size: int
    one_per_household: bool = False


def _clean(text: object) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def read_table(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV text (comma or semicolon, optional BOM), cells stripped."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [[_clean(cell) for cell in row] for row in reader]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ValidationErrors([VilcoError("sortition.csv_empty")])
    header = rows[0]
    return header, [dict(zip(header, row, strict=False)) for row in rows[1:]]


def _parse_bound(
    row: Mapping[str, str], column: str, line: int
) -> tuple[int | None, VilcoError | None]:
    text = row.get(column, "")
    try:
        number = int(text)
    except ValueError:
        return None, VilcoError("sortition.quota_not_integer", line=line, column=column, text=text)
    if number < 0:
        return None, VilcoError("sortition.quota_negative", line=line, column=column, text=text)
    return number, None


def _parse_quota(row: Mapping[str, str], line: int, problems: list[VilcoError]) -> Quota | None:
    low, low_problem = _parse_bound(row, "min", line)
    high, high_problem = _parse_bound(row, "max", line)
    problems.extend(p for p in (low_problem, high_problem) if p is not None)
    if not row.get("feature") or not row.get("value"):
        problems.append(VilcoError("sortition.quota_blank", line=line))
        return None
    if low is None or high is None:
        return None
    quota = Quota(feature=row["feature"], value=row["value"], min=low, max=high)
    if low > high:
        problems.append(
            VilcoError(
                "sortition.quota_min_above_max",
                feature=quota.feature,
                value=quota.value,
                min=low,
                max=high,
            )
        )
    return quota


def parse_quotas(text: str) -> tuple[Quota, ...]:
    """Quotas from `feature,value,min,max` CSV text, sorted; every problem raised together."""
    header, rows = read_table(text)
    missing = [c for c in QUOTA_COLUMNS if c not in header]
    if missing:
        raise ValidationErrors([VilcoError("sortition.missing_column", column=c) for c in missing])
    problems: list[VilcoError] = []
    quotas = [q for line, row in enumerate(rows, 2) if (q := _parse_quota(row, line, problems))]
    counts = Counter((q.feature, q.value) for q in quotas)
    problems += [
        VilcoError("sortition.duplicate_quota", feature=f, value=v)
        for (f, v), n in counts.items()
        if n > 1
    ]
    if problems:
        raise ValidationErrors(problems)
    return tuple(sorted(quotas, key=lambda q: (q.feature, q.value)))


def _person(
    row: Mapping[str, str],
    id_column: str,
    features: Sequence[str],
    household_columns: Sequence[str],
) -> Person:
    household = None
    if household_columns:
        parts = [row.get(c, "").casefold() for c in household_columns]
        household = "\x1f".join(parts) if any(parts) else None
    return Person(
        id=row.get(id_column, ""),
        values=tuple(row.get(f, "") for f in features),
        household=household,
    )


def _people_problems(people: Sequence[Person], features: Sequence[str]) -> list[VilcoError]:
    problems: list[VilcoError] = []
    for line, person in enumerate(people, 2):
        if not person.id:
            problems.append(VilcoError("sortition.empty_id", line=line))
        problems += [
            VilcoError("sortition.missing_value", id=person.id, line=line, feature=feature)
            for feature, value in zip(features, person.values, strict=True)
            if not value
        ]
    counts = Counter(p.id for p in people if p.id)
    problems += [
        VilcoError("sortition.duplicate_id", id=i, count=n) for i, n in counts.items() if n > 1
    ]
    return problems


def parse_pool(
    text: str,
    features: Iterable[str],
    *,
    id_column: str = "id",
    household_columns: Sequence[str] = (),
) -> Pool:
    """The pool in a people CSV, keeping only `id_column`, `features` and household columns.

    Other columns (names, contacts) are ignored: they never enter the draw or its hashes.
    """
    header, rows = read_table(text)
    wanted = sorted(set(features))
    missing = [c for c in (id_column, *wanted, *household_columns) if c not in header]
    if missing:
        raise ValidationErrors([VilcoError("sortition.missing_column", column=c) for c in missing])
    people = [_person(row, id_column, wanted, household_columns) for row in rows]
    problems = _people_problems(people, wanted)
    if problems:
        raise ValidationErrors(problems)
    return Pool(
        features=tuple(wanted),
        people=tuple(sorted(people, key=lambda p: p.id)),
        household_columns=tuple(household_columns),
    )


def parse_register(text: str, *, id_column: str = "id") -> Pool:
    """A plain register (one person a row, no features) for a uniform draw."""
    return parse_pool(text, (), id_column=id_column)


def _canonical_sha256(payload: object) -> str:
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def pool_sha256(pool: Pool) -> str:
    """SHA-256 of the pool as the draw sees it: ids, feature values and household keys."""
    people = [[p.id, list(p.values), p.household] for p in pool.people]
    return _canonical_sha256({"features": list(pool.features), "people": people})


def quotas_sha256(quotas: Sequence[Quota], size: int) -> str:
    """SHA-256 of the quotas (sorted) together with the panel size."""
    rows = [
        [q.feature, q.value, q.min, q.max]
        for q in sorted(quotas, key=lambda q: (q.feature, q.value))
    ]
    return _canonical_sha256({"quotas": rows, "size": size})


def project_pool(pool: Pool, features: Sequence[str], *, households: bool) -> Pool:
    """The same people seen through a subset of the features (and without households if asked)."""
    index = [pool.features.index(f) for f in sorted(features)]
    people = tuple(
        Person(
            id=p.id,
            values=tuple(p.values[i] for i in index),
            household=p.household if households else None,
        )
        for p in pool.people
    )
    columns = pool.household_columns if households else ()
    return Pool(features=tuple(sorted(features)), people=people, household_columns=columns)
