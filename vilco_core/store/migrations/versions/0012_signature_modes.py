"""signature modes: how a call confirms a signature (processes.signature_mode: code, email or
unverified), the purpose of a code batch (vote or support), a signature's mode, state, source
key (one card or e-mail address signs a project once), e-mail token hash and strike reason, and
`rate_attempts`, the attempts counted by the rate limits of the support form.

Existing processes take `code` (the safe mode: a script cannot sign without cards); existing
signatures were never verified, so they become `unverified` and `valid`: shown, not counted
(a project already eligible stays eligible). Columns come by plain ALTER TABLE ADD COLUMN; only
`signatures`, which no table refers to, is recreated on SQLite (see 0009 on why recreating a
parent table there is dangerous), to turn its unique person key into a partial index.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

NOT_PENDING = "state != 'pending'"
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processes", recreate="never") as batch:
        batch.add_column(
            sa.Column("signature_mode", sa.String(12), nullable=False, server_default="code")
        )
    with op.batch_alter_table("code_batches", recreate="never") as batch:
        batch.add_column(sa.Column("purpose", sa.String(8), nullable=False, server_default="vote"))
    with op.batch_alter_table("signatures", recreate="never") as batch:
        batch.add_column(
            sa.Column("mode", sa.String(12), nullable=False, server_default="unverified")
        )
        batch.add_column(sa.Column("state", sa.String(8), nullable=False, server_default="valid"))
        batch.add_column(sa.Column("source_key", sa.String(80), nullable=True))
        batch.add_column(sa.Column("token_hash", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("struck_reason", sa.String(200), nullable=False, server_default="")
        )
    # one person per project among signatures that are not pending: the unique constraint of
    # 0004 becomes a partial unique index (SQLite recreates `signatures`, a table no other
    # table refers to, so nothing cascades)
    with op.batch_alter_table("signatures") as batch:
        batch.drop_constraint("uq_signatures_project_id", type_="unique")
    op.create_index("uq_signatures_person", "signatures", ["project_id", "name_key", "postcode"],
                    unique=True, sqlite_where=sa.text(NOT_PENDING),
                    postgresql_where=sa.text(NOT_PENDING))  # fmt: skip
    op.create_index("ix_signatures_source", "signatures", ["project_id", "source_key"], unique=True)
    op.create_index("ix_signatures_token", "signatures", ["token_hash"], unique=True)
    op.create_table(
        "rate_attempts",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("period", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "period", name=op.f("pk_rate_attempts")),
    )


def downgrade() -> None:
    # before 0012 every stored signature counts: requests never confirmed and struck signatures
    # must not come back as support
    op.execute("DELETE FROM signatures WHERE state IN ('pending', 'struck')")
    op.drop_table("rate_attempts")
    op.drop_index("ix_signatures_token", table_name="signatures")
    op.drop_index("ix_signatures_source", table_name="signatures")
    op.drop_index("uq_signatures_person", table_name="signatures")
    with op.batch_alter_table("signatures") as batch:
        batch.create_unique_constraint(
            "uq_signatures_project_id", ["project_id", "name_key", "postcode"]
        )
    with op.batch_alter_table("signatures", recreate="never") as batch:
        for column in ("struck_reason", "token_hash", "source_key", "state", "mode"):
            batch.drop_column(column)
    with op.batch_alter_table("code_batches", recreate="never") as batch:
        batch.drop_column("purpose")
    with op.batch_alter_table("processes", recreate="never") as batch:
        batch.drop_column("signature_mode")
