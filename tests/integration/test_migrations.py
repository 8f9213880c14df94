"""The migrations form one chain (one head, one parent each), and a database migrated under the
old branching graph (up to four heads: 0002, 0003, 0007, 0008) upgrades to the same schema as
a fresh one, on SQLite and PostgreSQL, keeping its rows. The old graph is rebuilt from today's
revision files with their old `down_revision` (`vilco_core.store.history.OLD_PARENTS`): the
migrations themselves did not change."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from vilco_core.store import history, make_engine, upgrade_database
from vilco_core.store.engine import MIGRATIONS


def chain_problems(script_location: Path) -> list[str]:
    """Why these scripts are not one linear chain (empty when they are)."""
    script = ScriptDirectory(str(script_location))
    problems = [f"{len(script.get_heads())} heads: {script.get_heads()}"]
    problems += [f"{len(script.get_bases())} bases"]
    problems = [p for p in problems if not p.startswith("1 ")]
    for revision in script.walk_revisions():
        if isinstance(revision.down_revision, tuple | list):
            problems.append(f"{revision.revision} has parents {revision.down_revision}")
    return problems


def test_migrations_form_one_chain_from_the_foundation() -> None:
    assert chain_problems(MIGRATIONS) == []
    script = ScriptDirectory(str(MIGRATIONS))
    order = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    assert tuple(order[: len(history.CHAIN)]) == history.CHAIN


def _copy_scripts(tmp: Path, parents: dict[str, str | tuple[str, ...]]) -> Path:
    """The migration scripts with some `down_revision` lines rewritten."""
    location = tmp / "migrations"
    shutil.copytree(MIGRATIONS, location, ignore=shutil.ignore_patterns("__pycache__"))
    for path in (location / "versions").glob("*.py"):
        revision = path.name.split("_")[0]
        if revision in parents:
            source = path.read_text(encoding="utf-8")
            rewritten = re.sub(
                r"^down_revision = .*$",
                f"down_revision = {parents[revision]!r}",
                source,
                flags=re.M,
            )
            path.write_text(rewritten, encoding="utf-8")
    return location


@pytest.mark.parametrize(
    "parents", [{"0009": "0008"}, {"0007": "0001"}, {"0008": ("0006", "0007")}], ids=str
)
def test_migrations_chain_check_fails_on_a_branch_or_a_merge(
    tmp_path: Path, parents: dict[str, str | tuple[str, ...]]
) -> None:
    location = _copy_scripts(tmp_path, parents)
    if "0009" in parents:  # a second 0009 beside the chain's next revision, if any
        (location / "versions" / "0009_toy.py").write_text(
            'revision = "0009t"\ndown_revision = "0007"\nbranch_labels = None\n'
            "depends_on = None\n\n\ndef upgrade() -> None:\n    pass\n",
            encoding="utf-8",
        )
    assert chain_problems(location) != []


def _config(location: Path, connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def _old_graph_database(engine: Engine, tmp: Path, targets: tuple[str, ...]) -> None:
    """A database migrated under the old graph to `targets` (alembic upgrades, in turn)."""
    location = _copy_scripts(tmp, dict(history.OLD_PARENTS))
    for later in (location / "versions").glob("*.py"):  # revisions after the old graph
        if later.name.split("_")[0] not in history.CREATES:
            later.unlink()
    with engine.begin() as connection:
        config = _config(location, connection)
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO communes (code, name_fr, name_nl, postcodes, lat, lon)"
                " VALUES ('21013', 'Saint-Gilles', 'Sint-Gillis', '1060', 50.83, 4.34)"
            )
        )
        for target in targets:
            command.upgrade(config, target)


def _recorded(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def _schema(engine: Engine) -> dict[str, object]:
    found = inspect(engine)
    schema: dict[str, object] = {}
    for table in sorted(found.get_table_names()):
        columns = sorted(
            (c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)
        )
        indexes = sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(table))
        uniques = sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table))
        keys = sorted(
            (k["referred_table"], tuple(k["constrained_columns"]))
            for k in found.get_foreign_keys(table)
        )
        schema[table] = (columns, indexes, uniques, keys)
    return schema


# Old-graph states as the alembic upgrades that built them ("0008" alone: 0001, 0004, 0006,
# 0008 applied; "0002", "0008": neither 0003 nor 0007).
OLD_STATES = [
    ("0001",),
    ("0003",),
    ("0008",),
    ("0002", "0003"),
    ("0002", "0008"),
    ("0003", "0007"),
    ("0002", "0003", "0006"),
    ("0002", "0003", "0007", "0008"),
]


@pytest.mark.parametrize("targets", OLD_STATES, ids="+".join)
def test_migrations_an_old_graph_database_upgrades_to_the_fresh_schema(
    database_url: str, tmp_path: Path, targets: tuple[str, ...]
) -> None:
    engine = make_engine(database_url)
    try:
        _old_graph_database(engine, tmp_path, targets)
        upgrade_database(engine)
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        assert _recorded(engine) == {head}
        with engine.connect() as connection:
            names = connection.execute(text("SELECT name FROM communes")).scalars().all()
            assert [json.loads(n) if isinstance(n, str) else n for n in names] == [
                {"fr": "Saint-Gilles", "nl": "Sint-Gillis"}
            ]
            assert connection.execute(text("SELECT count(*) FROM audit_head")).scalar() == 1
        upgraded = _schema(engine)
    finally:
        engine.dispose()
    assert upgraded == _fresh_schema(database_url)


def _fresh_schema(database_url: str) -> dict[str, object]:
    """The schema `upgrade_database` gives an empty database beside `database_url`'s."""
    if database_url.startswith("sqlite"):
        fresh_url, schema = database_url.replace(".sqlite3", "-fresh.sqlite3"), None
    else:  # another schema on the same PostgreSQL server
        schema = f"vilco_fresh_{uuid.uuid4().hex[:12]}"
        fresh_url = re.sub(
            r"search_path%3D\w+|search_path=\w+", f"search_path={schema}", database_url
        )
        assert fresh_url != database_url
    fresh = make_engine(fresh_url)
    try:
        if schema is not None:
            with fresh.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        upgrade_database(fresh)
        return _schema(fresh)
    finally:
        if schema is not None:
            with fresh.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        fresh.dispose()


@pytest.mark.parametrize("recorded", ["0004", "0008"])
def test_migrations_a_chain_database_upgrades_without_the_bridge(
    database_url: str, recorded: str
) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(MIGRATIONS, connection), recorded)
            assert history.linearise(_config(MIGRATIONS, connection), connection) == []
        upgrade_database(engine)
        upgrade_database(engine)  # idempotent
        assert _recorded(engine) == {ScriptDirectory(str(MIGRATIONS)).get_current_head()}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("applied", "plan"),
    [
        ({"0001"}, [("stamp", "0001")]),
        ({"0001", "0002", "0003", "0004", "0006", "0007", "0008"}, [("stamp", "0008")]),
        (
            {"0001", "0002", "0004", "0006", "0008"},
            [
                ("stamp", "0002"),
                ("upgrade", "0003"),
                ("stamp", "0006"),
                ("upgrade", "0007"),
                ("stamp", "0008"),
            ],
        ),
        (
            {"0001", "0007"},
            [("stamp", "0001"), *[("upgrade", r) for r in history.CHAIN[1:5]], ("stamp", "0007")],
        ),
    ],
)
def test_migrations_bridge_stamps_what_was_applied_and_applies_the_rest(
    applied: set[str], plan: list[history.Step]
) -> None:
    assert history.steps(frozenset(applied)) == plan
