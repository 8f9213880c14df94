"""resources: spaces and garage items lent to citizen initiatives, their bookings, premises notes
and evaluations; the database refuses double bookings.

A booking holds `[starts_at, blocks_until)` (its end plus the resource's buffer).
- PostgreSQL: `EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, blocks_until) WITH
  &&) WHERE (status = 'confirmed' AND exclusive)` (btree_gist, installed in `public` so that
  every schema sees it); a BEFORE trigger locks the resource row (`FOR UPDATE`), sets
  `exclusive` from the resource's kind (a space) and, for an item, refuses a confirmed booking
  that would take the stock below zero at any instant. Concurrent allocations of one item wait
  on the row lock, and each trigger statement sees what committed before it (READ COMMITTED).
- SQLite: BEFORE INSERT/UPDATE triggers do both checks; writers are serialised by the
  `BEGIN IMMEDIATE` write lock, so a check and its insert are atomic.
The peak held quantity over an interval is reached at its start or at the start of a booking
inside it, so the checks compare the stock at those instants only.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _tables() -> None:
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("commune_code", sa.String(8), sa.ForeignKey("communes.code"), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("instant", sa.Boolean(), nullable=False),
        sa.Column("availability", sa.JSON(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("accessibility", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("access_instructions", sa.JSON(), nullable=False),
        sa.Column("pickup_place", sa.String(300), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("pictures", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        sa.CheckConstraint("kind IN ('space', 'item')", name="kind_known"),
    )
    op.create_index("ix_resources_commune_code", "resources", ["commune_code"])
    owner = {"ondelete": "CASCADE"}
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "resource_id", sa.Integer(), sa.ForeignKey("resources.id", **owner), nullable=False
        ),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("exclusive", sa.Boolean(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocks_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("initiative", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(60), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_by", sa.String(60), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_by", sa.String(60), nullable=True),
        sa.CheckConstraint("starts_at < ends_at AND ends_at <= blocks_until", name="times"),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
    )
    for column in ("resource_id", "reference", "token_hash"):
        op.create_index(f"ix_bookings_{column}", "bookings", [column])
    op.create_table(
        "premises_notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "booking_id", sa.Integer(), sa.ForeignKey("bookings.id", **owner), nullable=False
        ),
        sa.Column("moment", sa.String(10), nullable=False),
        sa.Column("author", sa.String(60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_premises_notes_booking_id", "premises_notes", ["booking_id"])
    op.create_table(
        "booking_evaluations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "booking_id", sa.Integer(), sa.ForeignKey("bookings.id", **owner), nullable=False
        ),
        sa.Column("by", sa.String(12), nullable=False),
        sa.Column("author", sa.String(60), nullable=False),
        sa.Column("ease_of_access", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("usefulness", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("booking_id", "by", name="uq_booking_evaluations_booking_id"),
    )


# The peak of confirmed quantities over NEW's held range, NEW included ({other}: the other rows).
_PEAK = """
    SELECT NEW.quantity + (
        SELECT COALESCE(SUM(b.quantity), 0) FROM bookings b
        WHERE b.resource_id = NEW.resource_id AND b.status = 'confirmed' {other}
          AND b.starts_at <= p.t AND p.t < b.blocks_until) AS held
    FROM (SELECT NEW.starts_at AS t
          UNION SELECT b.starts_at FROM bookings b
          WHERE b.resource_id = NEW.resource_id AND b.status = 'confirmed' {other}
            AND b.starts_at > NEW.starts_at AND b.starts_at < NEW.blocks_until) p
"""

_PG_FUNCTION = f"""
CREATE FUNCTION bookings_hold() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    resource_kind text;
    stock integer;
    peak integer;
BEGIN
    SELECT r.kind, r.quantity INTO resource_kind, stock
    FROM resources r WHERE r.id = NEW.resource_id FOR UPDATE;
    NEW.exclusive := (resource_kind = 'space');
    IF NEW.status = 'confirmed' AND resource_kind = 'item' THEN
        SELECT max(held) INTO peak FROM ({_PEAK.format(other="AND b.id <> NEW.id")}) peaks;
        IF peak > stock THEN
            RAISE EXCEPTION 'booking % exceeds the stock of resource %', NEW.id, NEW.resource_id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$
"""


def _sqlite_triggers() -> list[str]:
    triggers = []
    for event, other in (("INSERT", ""), ("UPDATE", "AND b.id <> NEW.id")):
        on = f"BEFORE {event} ON bookings WHEN NEW.status = 'confirmed'"
        kind = "(SELECT kind FROM resources WHERE id = NEW.resource_id)"
        triggers.append(f"""
CREATE TRIGGER bookings_no_overlap_{event.lower()} {on}
BEGIN
    SELECT RAISE(ABORT, 'booking overlaps a confirmed booking of this space')
    WHERE {kind} = 'space' AND EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.resource_id = NEW.resource_id AND b.status = 'confirmed' {other}
          AND b.starts_at < NEW.blocks_until AND NEW.starts_at < b.blocks_until);
END""")
        triggers.append(f"""
CREATE TRIGGER bookings_stock_{event.lower()} {on}
BEGIN
    SELECT RAISE(ABORT, 'booking exceeds the stock of this item')
    WHERE {kind} = 'item' AND (SELECT max(held) FROM ({_PEAK.format(other=other)}))
        > (SELECT quantity FROM resources WHERE id = NEW.resource_id);
END""")
    return triggers


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public")
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist "
            "(resource_id WITH =, tstzrange(starts_at, blocks_until) WITH &&) "
            "WHERE (status = 'confirmed' AND exclusive)"
        )
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER bookings_hold BEFORE INSERT OR UPDATE ON bookings "
            "FOR EACH ROW EXECUTE FUNCTION bookings_hold()"
        )
    else:
        for trigger in _sqlite_triggers():
            op.execute(trigger)


def downgrade() -> None:
    op.drop_table("booking_evaluations")
    op.drop_table("premises_notes")
    op.drop_table("bookings")  # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS bookings_hold()")
    op.drop_table("resources")
