"""ballot mixing: the pending ballots (cast, not mixed yet), sealed panel ballots without their
member, and the paper-entry log at the granularity of a day

- `pending_ballots`: the columns of `ballots`. A ballot is written there in the transaction
  that spends its code; the mixer moves it into `ballots` later, in a shuffled batch.
- `panel_ballots.member_id` becomes nullable: sealing a round drops the member of each ballot
  (rows of rounds already sealed lose theirs here).
- `paper_entries.entered_at` keeps the day only (midnight UTC): to the microsecond it dated
  each paper ballot typed in.

On SQLite, `panel_ballots` is recreated by the batch (a leaf table: nothing refers to it, so
dropping the old copy cascades nowhere); no other table is recreated.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00.000000
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_ballots",
        sa.Column("receipt", sa.String(length=16), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("cast_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["processes.id"],
            name=op.f("fk_pending_ballots_process_id_processes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_pending_ballots_site_id_sites"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("receipt", name=op.f("pk_pending_ballots")),
    )
    op.create_index(op.f("ix_pending_ballots_process_id"), "pending_ballots", ["process_id"])

    with op.batch_alter_table("panel_ballots") as batch:
        batch.alter_column("member_id", existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE panel_ballots SET member_id = NULL WHERE receipt IS NOT NULL")

    entries = sa.table(
        "paper_entries",
        sa.column("id", sa.Integer()),
        sa.column("entered_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    for row_id, entered_at in connection.execute(sa.select(entries.c.id, entries.c.entered_at)):
        day = dt.datetime.combine(entered_at.date(), dt.time(), tzinfo=dt.UTC)
        connection.execute(entries.update().where(entries.c.id == row_id).values(entered_at=day))


def downgrade() -> None:
    op.execute("DELETE FROM panel_ballots WHERE member_id IS NULL")
    with op.batch_alter_table("panel_ballots") as batch:
        batch.alter_column("member_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index(op.f("ix_pending_ballots_process_id"), table_name="pending_ballots")
    op.drop_table("pending_ballots")
