"""locked settings: the hash of what decides a process's result, recorded when its vote opens
(`processes.locked_hash`; the settings themselves are in the audit log), and the reason a
project was withdrawn during the vote (`projects.withdrawn_reason`).

Batches that never recreate a table (plain ALTER TABLE ADD/DROP COLUMN): on SQLite recreating
`processes` or `projects` would cascade to their rows (see 0009).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processes", recreate="never") as batch:
        batch.add_column(sa.Column("locked_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("projects", recreate="never") as batch:
        batch.add_column(
            sa.Column("withdrawn_reason", sa.String(length=500), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("projects", recreate="never") as batch:
        batch.drop_column("withdrawn_reason")
    with op.batch_alter_table("processes", recreate="never") as batch:
        batch.drop_column("locked_hash")
