"""Pools and quotas: parsing, validation that lists every problem, hashes, households."""

from __future__ import annotations

import pytest

from vilco_core.errors import ValidationErrors
from vilco_core.sortition import load_instance, parse_quotas, pool_sha256
from vilco_core.sortition.pool import parse_pool
from vilco_core.sortition.profiles import group_people

QUOTAS = "feature,value,min,max\ng,f,1,2\ng,m,1,2\na,y,1,2\na,o,1,2\n"
PEOPLE = "id,g,a,email\n1,f,y,x@x\n2,m,o,\n3,f,o,\n4,m,y,\n"


def codes(excinfo: pytest.ExceptionInfo[ValidationErrors]) -> list[str]:
    return [p.code for p in excinfo.value.problems]


def test_pool_ignores_extra_columns_and_sorts_features() -> None:
    instance = load_instance(PEOPLE, QUOTAS, 2)
    assert instance.pool.features == ("a", "g")
    assert [p.id for p in instance.pool.people] == ["1", "2", "3", "4"]
    assert instance.pool.people[0].values == ("y", "f")


def test_pool_lists_every_problem_at_once() -> None:
    people = "id,g,a\n1,f,y\n1,m,o\n3,x,\n,f,y\n"
    with pytest.raises(ValidationErrors) as excinfo:
        load_instance(people, QUOTAS, 2)
    assert sorted(codes(excinfo)) == [
        "sortition.duplicate_id",
        "sortition.empty_id",
        "sortition.missing_value",
    ]


def test_pool_reports_unknown_values_and_quota_problems_together() -> None:
    people = "id,g,a\n1,f,y\n2,m,o\n3,x,o\n"
    quotas = "feature,value,min,max\ng,f,3,2\ng,m,0,9\na,y,5,5\na,o,0,1\n"
    with pytest.raises(ValidationErrors) as excinfo:
        load_instance(people, quotas, 2)
    assert set(codes(excinfo)) >= {"sortition.unknown_value", "sortition.quota_min_above_max"}


def test_quotas_with_mins_above_size_are_reported() -> None:
    quotas = "feature,value,min,max\ng,f,2,2\ng,m,1,2\na,y,3,4\na,o,0,2\n"
    with pytest.raises(ValidationErrors) as excinfo:
        load_instance(PEOPLE, quotas, 2)
    assert "sortition.quota_min_above_size" in codes(excinfo)
    assert "sortition.feature_mins_above_size" in codes(excinfo)


def test_quotas_parse_errors_are_all_listed() -> None:
    with pytest.raises(ValidationErrors) as excinfo:
        parse_quotas("feature,value,min,max\ng,f,x,2\ng,m,1,-1\na,y,1,2\na,y,0,1\n")
    assert sorted(codes(excinfo)) == [
        "sortition.duplicate_quota",
        "sortition.quota_negative",
        "sortition.quota_not_integer",
    ]


def test_quotas_missing_column_is_reported() -> None:
    with pytest.raises(ValidationErrors) as excinfo:
        parse_quotas("feature,value,min\ng,f,1\n")
    assert codes(excinfo) == ["sortition.missing_column"]


def test_infeasible_quotas_name_the_clashing_features() -> None:
    # every f is y and every m is o: 2 f and 0 y cannot both hold
    people = "id,g,a\n1,f,y\n2,f,y\n3,m,o\n4,m,o\n"
    quotas = "feature,value,min,max\ng,f,2,2\ng,m,0,2\na,y,0,0\na,o,0,2\n"
    with pytest.raises(ValidationErrors) as excinfo:
        load_instance(people, quotas, 2)
    assert codes(excinfo) == ["sortition.quotas_infeasible"]
    assert excinfo.value.problems[0].params["features"] == "a, g"


def test_pool_hash_ignores_row_order_columns_and_contacts() -> None:
    shuffled = "email,a,id,g\n,o,2,m\nz@z,y,1,f\n,y,4,m\n,o,3,f\n"
    first = parse_pool(PEOPLE, ["g", "a"])
    second = parse_pool(shuffled.replace("\n", "\r\n"), ["a", "g"])
    assert pool_sha256(first) == pool_sha256(second)


def test_pool_hash_changes_with_a_value() -> None:
    changed = PEOPLE.replace("4,m,y", "4,m,o")
    assert pool_sha256(parse_pool(PEOPLE, ["g", "a"])) != pool_sha256(
        parse_pool(changed, ["g", "a"])
    )


def test_households_split_shared_addresses_into_own_groups() -> None:
    people = "id,g,a,street\n1,f,y,Rue A\n2,f,y,rue a\n3,f,y,Rue B\n4,m,o,Rue C\n"
    pool = parse_pool(people, ["g", "a"], household_columns=["street"])
    groups = group_people(pool, one_per_household=True)
    assert sorted(g.ids for g in groups) == [("1",), ("2",), ("3",), ("4",)]
    assert sorted(g.household for g in groups if g.household is not None) == [0, 0]
    assert len(group_people(pool, one_per_household=False)) == 2
