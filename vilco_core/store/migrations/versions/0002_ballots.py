"""ballots: the ballot settings of a process, and the anonymous ballots table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processes") as batch:
        batch.add_column(
            sa.Column(
                "ballot_kind", sa.String(length=16), nullable=False, server_default="approval"
            )
        )
        batch.add_column(
            sa.Column("ballot_min_projects", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("ballot_max_projects", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ballot_budget_cents", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("ballot_min_share", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("ballot_total_points", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ballot_max_points", sa.Integer(), nullable=True))
    # processes created before this migration offered the default ballot: approve 1 to 5
    op.execute("UPDATE processes SET ballot_max_projects = 5")
    op.create_table(
        "ballots",
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
            name=op.f("fk_ballots_process_id_processes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_ballots_site_id_sites"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("receipt", name=op.f("pk_ballots")),
    )
    op.create_index(op.f("ix_ballots_process_id"), "ballots", ["process_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ballots_process_id"), table_name="ballots")
    op.drop_table("ballots")
    with op.batch_alter_table("processes") as batch:
        for column in (
            "ballot_max_points",
            "ballot_total_points",
            "ballot_min_share",
            "ballot_budget_cents",
            "ballot_max_projects",
            "ballot_min_projects",
            "ballot_kind",
        ):
            batch.drop_column(column)
