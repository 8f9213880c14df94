"""panels: citizen panel sessions, members (label + code hash), rounds, the members' latest
ballot per round, and the anonymous evaluations

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-22 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"  # the code machinery's tables come first (the members' codes)
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "panel_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("final_round_id", sa.Integer(), nullable=True),
        sa.Column("final_rule", sa.String(length=16), nullable=True),
        sa.Column("final_projects", sa.Text(), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_by", sa.String(length=60), nullable=True),
        _fk("panel_sessions", "process_id", "processes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_sessions")),
    )
    op.create_index(op.f("ix_panel_sessions_process_id"), "panel_sessions", ["process_id"])
    op.create_table(
        "panel_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        _fk("panel_members", "session_id", "panel_sessions", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_members")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_panel_members_code_hash")),
    )
    op.create_index(op.f("ix_panel_members_session_id"), "panel_members", ["session_id"])
    op.create_table(
        "panel_rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("projects", sa.Text(), nullable=False),
        sa.Column("budget_cents", sa.BigInteger(), nullable=False),
        sa.Column("max_projects", sa.Integer(), nullable=True),
        sa.Column("total_points", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        _fk("panel_rounds", "session_id", "panel_sessions", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_rounds")),
        sa.UniqueConstraint("session_id", "number", name=op.f("uq_panel_rounds_session_id")),
    )
    op.create_index(op.f("ix_panel_rounds_session_id"), "panel_rounds", ["session_id"])
    op.create_table(
        "panel_ballots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("panel_ballots", "round_id", "panel_rounds", "CASCADE"),
        _fk("panel_ballots", "member_id", "panel_members", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_ballots")),
        sa.UniqueConstraint("round_id", "member_id", name=op.f("uq_panel_ballots_round_id")),
    )
    op.create_index(op.f("ix_panel_ballots_round_id"), "panel_ballots", ["round_id"])
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("respondent", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("q1", sa.SmallInteger(), nullable=True),
        sa.Column("q2", sa.SmallInteger(), nullable=True),
        sa.Column("q3", sa.SmallInteger(), nullable=True),
        sa.Column("q4", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        _fk("evaluations", "process_id", "processes", "CASCADE"),
        _fk("evaluations", "session_id", "panel_sessions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    op.create_index(op.f("ix_evaluations_process_id"), "evaluations", ["process_id"])


def downgrade() -> None:
    for table in ("evaluations", "panel_ballots", "panel_rounds", "panel_members"):
        op.drop_table(table)
    op.drop_table("panel_sessions")
