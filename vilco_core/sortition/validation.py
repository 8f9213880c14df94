"""Checks that a pool and its quotas can yield a panel, listing every problem at once.

Cheap per-quota and per-feature checks come first (unknown values, mins above the panel size,
sums of mins or maxes that miss the size, too few volunteers). Only when those pass does a MIP
decide feasibility; if the quotas still clash, single features then pairs of features are tried
so the message names the features that clash.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.sortition.pool import (
    Instance,
    Pool,
    Quota,
    parse_pool,
    parse_quotas,
    read_table,
)
from vilco_core.sortition.profiles import group_people, panel_space
from vilco_core.sortition.solver import find_panel


def _unknown_values(pool: Pool, quotas: Sequence[Quota]) -> list[VilcoError]:
    known = {(q.feature, q.value) for q in quotas}
    return [
        VilcoError("sortition.unknown_value", id=p.id, feature=f, value=v)
        for p in pool.people
        for f, v in zip(pool.features, p.values, strict=True)
        if (f, v) not in known
    ]


def _quota_problems(pool: Pool, quotas: Sequence[Quota], size: int) -> list[VilcoError]:
    column = {f: i for i, f in enumerate(pool.features)}
    available = Counter((f, p.values[i]) for f, i in column.items() for p in pool.people)
    problems: list[VilcoError] = []
    for q in quotas:
        quota = {"feature": q.feature, "value": q.value, "min": q.min}
        people = available[(q.feature, q.value)]
        if q.min > size:
            problems.append(VilcoError("sortition.quota_min_above_size", **quota, size=size))
        elif q.min > people:
            problems.append(VilcoError("sortition.not_enough_people", **quota, available=people))
    return problems


def _feature_problems(quotas: Sequence[Quota], size: int) -> list[VilcoError]:
    problems: list[VilcoError] = []
    for feature in sorted({q.feature for q in quotas}):
        mins = sum(q.min for q in quotas if q.feature == feature)
        maxes = sum(q.max for q in quotas if q.feature == feature)
        if mins > size:
            problems.append(
                VilcoError(
                    "sortition.feature_mins_above_size", feature=feature, total=mins, size=size
                )
            )
        if maxes < size:
            problems.append(
                VilcoError(
                    "sortition.feature_maxes_below_size", feature=feature, total=maxes, size=size
                )
            )
    return problems


def _feasible(
    pool: Pool, quotas: Sequence[Quota], features: Sequence[str], size: int, one_per_household: bool
) -> bool:
    chosen = [q for q in quotas if q.feature in features]
    groups = group_people(pool, one_per_household=one_per_household)
    space = panel_space(groups, pool.features, chosen, size)
    return find_panel(space) is not None


def _clash(pool: Pool, quotas: Sequence[Quota], size: int, one_per_household: bool) -> VilcoError:
    features = list(pool.features)
    for width in (1, 2):
        for subset in combinations(features, width):
            if not _feasible(pool, quotas, subset, size, one_per_household):
                return VilcoError("sortition.quotas_infeasible", features=", ".join(subset))
    return VilcoError("sortition.quotas_infeasible", features=", ".join(features))


def validate_instance(
    pool: Pool, quotas: Sequence[Quota], size: int, *, one_per_household: bool = False
) -> Instance:
    """The draw problem, or `ValidationErrors` listing every reason no panel can be drawn."""
    problems: list[VilcoError] = []
    if size <= 0:
        problems.append(VilcoError("sortition.size_not_positive", size=size))
    elif size > len(pool.people):
        problems.append(VilcoError("sortition.pool_too_small", people=len(pool.people), size=size))
    problems += _unknown_values(pool, quotas)
    problems += _quota_problems(pool, quotas, size) + _feature_problems(quotas, size)
    if problems:
        raise ValidationErrors(problems)
    if not _feasible(pool, quotas, pool.features, size, one_per_household):
        raise ValidationErrors([_clash(pool, quotas, size, one_per_household)])
    return Instance(pool=pool, quotas=tuple(quotas), size=size, one_per_household=one_per_household)


def _quota_features(quotas_csv: str) -> set[str]:
    header, rows = read_table(quotas_csv)
    return {row["feature"] for row in rows if row.get("feature")} if "feature" in header else set()


def load_instance(
    people_csv: str,
    quotas_csv: str,
    size: int,
    *,
    id_column: str = "id",
    household_columns: Sequence[str] = (),
) -> Instance:
    """Parse and validate a pool and its quotas; `household_columns` turns on one per household.

    Problems in the quotas file and in the pool file are reported together.
    """
    problems: list[VilcoError] = []
    quotas: tuple[Quota, ...] = ()
    try:
        quotas = parse_quotas(quotas_csv)
    except ValidationErrors as errors:
        problems += errors.problems
    try:
        pool = parse_pool(
            people_csv,
            _quota_features(quotas_csv),
            id_column=id_column,
            household_columns=household_columns,
        )
    except ValidationErrors as errors:
        raise ValidationErrors(problems + errors.problems) from None
    if problems:
        raise ValidationErrors(problems + _unknown_values(pool, quotas))
    return validate_instance(pool, quotas, size, one_per_household=bool(household_columns))
