"""Migration 0009: the per-language text columns become one JSON column per text, every value
kept, on SQLite and PostgreSQL; the downgrade puts the columns back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from vilco_core.model import LocalText
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_core.store.engine import MIGRATIONS

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
PROCESS = {"name_fr": "Budget « Quartiers » 2027", "name_nl": "Wijken ‘2027’", "name_en": ""}
BUDGET = {"name_fr": "Quartier\nNord", "name_nl": "Noordwijk", "name_en": "North"}
PROJECT = {
    "title_fr": "Bacs potagers — <b>école</b>",
    "title_nl": "Moestuinbakken",
    "title_en": "Vegetable boxes",
    "description_fr": "Six bacs en bois.\nDeuxième ligne : « ok » 'quotes' \\ 😀",
    "description_nl": "Zes houten bakken.",
    "description_en": "",
}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _insert_old_rows(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO communes (code, name_fr, name_nl, postcodes, lat, lon)"
                " VALUES ('21013', 'Saint-Gilles', 'Sint-Gillis', '1060', 50.83, 4.34)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO processes (id, name_fr, name_nl, name_en, kind, year,"
                " envelope_cents, rolling, rule, signature_threshold, created_at) VALUES"
                " (1, :name_fr, :name_nl, :name_en, 'budget', 2027, 100, false, 'greedy', 0, :now)"
            ),
            {**PROCESS, "now": NOW},
        )
        c.execute(
            sa.text(
                "INSERT INTO sub_budgets (id, process_id, key, kind, name_fr, name_nl, name_en,"
                " amount_cents)"
                " VALUES (1, 1, 'north', 'district', :name_fr, :name_nl, :name_en, 50)"
            ),
            BUDGET,
        )
        c.execute(
            sa.text(
                "INSERT INTO projects (id, process_id, ref, title_fr, title_nl, title_en,"
                " description_fr, description_nl, description_en, cost_cents, lat, lon,"
                " district, theme, initiative, status, created_at) VALUES (1, 1, 'P1', :title_fr,"
                " :title_nl, :title_en, :description_fr, :description_nl, :description_en,"
                " 10, 50.8, 4.3, '', '', '', 'eligible', :now)"
            ),
            {**PROJECT, "now": NOW},
        )


def _json(engine: Engine, table: str, column: str) -> object:
    with engine.connect() as c:
        return c.execute(
            sa.select(sa.column(column, sa.JSON())).select_from(sa.table(table))
        ).one()[0]


def _old(engine: Engine, table: str, columns: list[str]) -> dict[str, str]:
    with engine.connect() as c:
        row = c.execute(sa.text(f"SELECT {', '.join(columns)} FROM {table}")).mappings().one()
    return dict(row)


def test_migration_0009_moves_every_text_into_json_and_back(engine: Engine) -> None:
    # "0008" then "heads": correct both on the current branched history (0002, 0003 and 0007
    # branch from 0001) and on the linear 0001→…→0008 one.
    _migrate(engine, "0008")
    _insert_old_rows(engine)
    _migrate(engine, "0009")

    assert _json(engine, "communes", "name") == {"fr": "Saint-Gilles", "nl": "Sint-Gillis"}
    assert _json(engine, "processes", "name") == {
        "fr": PROCESS["name_fr"],
        "nl": PROCESS["name_nl"],
        "en": "",
    }
    assert _json(engine, "sub_budgets", "name") == {"fr": "Quartier\nNord", "nl": "Noordwijk",
                                                   "en": "North"}  # fmt: skip
    assert _json(engine, "projects", "title") == {
        lang: PROJECT[f"title_{lang}"] for lang in ("fr", "nl", "en")
    }
    assert _json(engine, "projects", "description") == {
        lang: PROJECT[f"description_{lang}"] for lang in ("fr", "nl", "en")
    }
    columns = {c["name"] for c in sa.inspect(engine).get_columns("projects")}
    assert {"title", "description"} <= columns and not {"title_fr", "description_en"} & columns

    _migrate(engine, "0008", down=True)
    assert _old(engine, "processes", list(PROCESS)) == PROCESS
    assert _old(engine, "sub_budgets", list(BUDGET)) == BUDGET
    assert _old(engine, "projects", list(PROJECT)) == PROJECT
    assert _old(engine, "communes", ["name_fr", "name_nl"]) == {
        "name_fr": "Saint-Gilles",
        "name_nl": "Sint-Gillis",
    }

    _migrate(engine, "heads")
    with SqlUnitOfWork(engine) as uow:
        process = uow.processes.get(1)
        assert process is not None
        project = uow.projects.list_for_process(1)[0]
    assert process.name == LocalText(fr=PROCESS["name_fr"], nl=PROCESS["name_nl"])
    assert process.sub_budgets[0].name == LocalText(fr="Quartier\nNord", nl="Noordwijk", en="North")
    assert project.title == LocalText(fr="Bacs potagers — <b>école</b>", nl="Moestuinbakken",
                                      en="Vegetable boxes")  # fmt: skip
    assert project.description.get("en") == PROJECT["description_fr"]
    assert project.description.exact("nl") == "Zes houten bakken."
