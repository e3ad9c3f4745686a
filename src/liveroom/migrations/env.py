"""Alembic environment. Each domain's tables live on one metadata; migrations may branch
per domain and are applied with `upgrade heads`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from liveroom.adapters.sql.schema_all import metadata

config = context.config


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
