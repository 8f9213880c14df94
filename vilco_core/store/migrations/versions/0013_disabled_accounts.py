"""disabled accounts: `staff_users.disabled_at`, when an administrator disabled the account
(NULL: enabled). A disabled account cannot log in nor go on from a cookie; disabling changes
nothing else (role, communes, password, lockout stay). A plain ALTER TABLE ADD COLUMN on both
databases (`recreate="never"`: see 0009 on why recreating a parent table on SQLite is dangerous).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 10:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users", recreate="never") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_users", recreate="never") as batch:
        batch.drop_column("disabled_at")
