"""Editing what was created: per-SKU sales targets on a session; a password (argon2) for
the web sign-in.

Revision ID: 0014_catalog_edit
Revises: 0006_ticket_work
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_catalog_edit"
down_revision: str | Sequence[str] | None = "0006_ticket_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sku_targets", sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("password_hash")
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_column("sku_targets")
