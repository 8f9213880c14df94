"""staff sessions: a staff login kept server-side, so that it survives a reload, a second tab
and a server restart, and ends for good at logout, at expiry or when the account is disabled.
The browser holds a random token; the table keeps its keyed digest (HMAC-SHA-256), and the
digest of the one-time grant that sets the cookie (`/staff-session/open`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "username",
            sa.String(60),
            sa.ForeignKey("staff_users.username", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_digest", sa.String(64), nullable=True),
        sa.Column("grant_digest", sa.String(64), nullable=True),
        sa.Column("grant_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_digest", name="uq_staff_sessions_token_digest"),
        sa.UniqueConstraint("grant_digest", name="uq_staff_sessions_grant_digest"),
    )
    op.create_index("ix_staff_sessions_username", "staff_sessions", ["username"])


def downgrade() -> None:
    op.drop_index("ix_staff_sessions_username", table_name="staff_sessions")
    op.drop_table("staff_sessions")
