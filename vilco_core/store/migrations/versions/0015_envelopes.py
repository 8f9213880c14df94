"""envelopes: `processes.min_supporters` (the supporters a project needs to be funded; 1 for
every existing process: a resident vote funds no project nobody voted for),
`processes.leftover_to_city` (what a district leaves unspent goes to the city-wide part) and
`sub_budgets.min_supporters` (a district's own threshold, NULL: the process's). Plain ALTER TABLE
ADD COLUMN on both databases (`recreate="never"`: see 0009). A ballot's district is part of its
content (canonical JSON), so the ballots tables do not change.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processes", recreate="never") as batch:
        batch.add_column(
            sa.Column("min_supporters", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(
            sa.Column("leftover_to_city", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("sub_budgets", recreate="never") as batch:
        batch.add_column(sa.Column("min_supporters", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sub_budgets", recreate="never") as batch:
        batch.drop_column("min_supporters")
    with op.batch_alter_table("processes", recreate="never") as batch:
        batch.drop_column("leftover_to_city")
        batch.drop_column("min_supporters")
