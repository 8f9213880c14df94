"""draws: published lotteries, then the seed, panel, alternates and witnesses

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draws",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("alternates_count", sa.Integer(), nullable=False),
        sa.Column("pool_csv", sa.Text(), nullable=False),
        sa.Column("quotas_csv", sa.Text(), nullable=False),
        sa.Column("lottery", sa.LargeBinary(), nullable=False),
        sa.Column("lottery_sha256", sa.String(length=64), nullable=False),
        sa.Column("pool_sha256", sa.String(length=64), nullable=False),
        sa.Column("quotas_sha256", sa.String(length=64), nullable=False),
        sa.Column("vilco_version", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=60), nullable=False),
        sa.Column("seed", sa.String(length=200), nullable=True),
        sa.Column("panel", sa.Text(), nullable=False),
        sa.Column("alternates", sa.Text(), nullable=False),
        sa.Column("witnesses", sa.Text(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("drawn_by", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["processes.id"],
            name=op.f("fk_draws_process_id_processes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draws")),
    )
    op.create_index(op.f("ix_draws_process_id"), "draws", ["process_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_draws_process_id"), table_name="draws")
    op.drop_table("draws")
