"""Webhook signatures taken once across server processes (the replay guard's table when
no Redis is configured).

Revision ID: 0015_claims
Revises: 0006_ticket_work
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_claims"
down_revision: str | Sequence[str] | None = "0006_ticket_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_signatures",
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_webhook_signatures")),
    )
    with op.batch_alter_table("webhook_signatures", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_signatures_seen_at", ["seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_signatures", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_signatures_seen_at")
    op.drop_table("webhook_signatures")
