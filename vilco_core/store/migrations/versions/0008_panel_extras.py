"""panel extras: the voided member codes (a reissued code's predecessor, by hash) and the
receipt sealing a panel ballot in the audit log when its round closes, and the evaluations'
respondent key (one evaluation per member or per browser session)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 03:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "panel_voided_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["panel_members.id"],
            name=op.f("fk_panel_voided_codes_member_id_panel_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_panel_voided_codes")),
    )
    op.create_index(op.f("ix_panel_voided_codes_member_id"), "panel_voided_codes", ["member_id"])

    op.add_column("panel_ballots", sa.Column("receipt", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_panel_ballots_receipt"), "panel_ballots", ["receipt"], unique=True)

    op.add_column("evaluations", sa.Column("respondent_key", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_evaluations_respondent_key"), "evaluations", ["respondent_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_evaluations_respondent_key"), table_name="evaluations")
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_column("respondent_key")
    op.drop_index(op.f("ix_panel_ballots_receipt"), table_name="panel_ballots")
    with op.batch_alter_table("panel_ballots") as batch:
        batch.drop_column("receipt")
    op.drop_table("panel_voided_codes")
