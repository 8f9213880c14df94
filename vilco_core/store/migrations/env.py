"""Alembic environment: runs on the connection that `upgrade_database` passes in."""

from alembic import context

from vilco_core.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("use vilco_core.store.upgrade_database(engine) to run migrations")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
