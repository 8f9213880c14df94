"""local texts: each multilingual text becomes one JSON column `{language: text}` instead of one
column per language (communes.name, processes.name, sub_budgets.name, projects.title and
projects.description), so that adding a language needs no migration; every value is copied.

On SQLite the batches never recreate a table: recreating `processes` drops it, and with
`foreign_keys=ON` (set on every connection, unchangeable inside the migration's transaction)
dropping it deletes every phase, project and ballot through ON DELETE CASCADE. Plain ALTER TABLE
ADD/DROP COLUMN (SQLite 3.35+) is enough here: new columns come NOT NULL with a constant
default, filled at once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# table -> key column -> text -> (language, old column type) of the columns it replaces
TEXTS: dict[str, tuple[str, dict[str, list[tuple[str, sa.types.TypeEngine[str]]]]]] = {
    "communes": ("code", {"name": [("fr", sa.String(80)), ("nl", sa.String(80))]}),
    "processes": ("id", {"name": [(lang, sa.String(200)) for lang in ("fr", "nl", "en")]}),
    "sub_budgets": ("id", {"name": [(lang, sa.String(200)) for lang in ("fr", "nl", "en")]}),
    "projects": (
        "id",
        {
            "title": [(lang, sa.String(200)) for lang in ("fr", "nl", "en")],
            "description": [(lang, sa.Text()) for lang in ("fr", "nl", "en")],
        },
    ),
}


def _old_columns(texts: dict[str, list[tuple[str, sa.types.TypeEngine[str]]]]) -> list[str]:
    return [f"{text}_{lang}" for text, langs in texts.items() for lang, _ in langs]


def upgrade() -> None:
    bind = op.get_bind()
    for table, (key, texts) in TEXTS.items():
        with op.batch_alter_table(table, recreate="never") as batch:
            for text in texts:
                batch.add_column(sa.Column(text, sa.JSON(), nullable=False, server_default="{}"))
        old = sa.table(table, sa.column(key), *(sa.column(c) for c in _old_columns(texts)))
        new = sa.table(table, sa.column(key), *(sa.column(text, sa.JSON()) for text in texts))
        for row in bind.execute(sa.select(old)).mappings().all():
            values = {
                text: {lang: row[f"{text}_{lang}"] for lang, _ in langs}
                for text, langs in texts.items()
            }
            bind.execute(sa.update(new).where(new.c[key] == row[key]).values(**values))
        with op.batch_alter_table(table, recreate="never") as batch:
            for column in _old_columns(texts):
                batch.drop_column(column)


def downgrade() -> None:
    bind = op.get_bind()
    for table, (key, texts) in TEXTS.items():
        with op.batch_alter_table(table, recreate="never") as batch:
            for text, langs in texts.items():
                for lang, type_ in langs:
                    column = sa.Column(f"{text}_{lang}", type_, nullable=False, server_default="")
                    batch.add_column(column)
        new = sa.table(table, sa.column(key), *(sa.column(text, sa.JSON()) for text in texts))
        old = sa.table(table, sa.column(key), *(sa.column(c) for c in _old_columns(texts)))
        for row in bind.execute(sa.select(new)).mappings().all():
            values = {
                f"{text}_{lang}": (row[text] or {}).get(lang, "")
                for text, langs in texts.items()
                for lang, _ in langs
            }
            bind.execute(sa.update(old).where(old.c[key] == row[key]).values(**values))
        with op.batch_alter_table(table, recreate="never") as batch:
            for text in texts:
                batch.drop_column(text)
