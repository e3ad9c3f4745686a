"""After-sales tickets can be worked: replies, assignment and a resolution.

Revision ID: 0006_ticket_work
Revises: 0005_trust_and_history
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_ticket_work"
down_revision: str | Sequence[str] | None = "0005_trust_and_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("aftersales_tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolution", sa.Text(), nullable=True))
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["aftersales_tickets.id"],
                                name=op.f("fk_ticket_messages_ticket_id_aftersales_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_messages")),
    )
    with op.batch_alter_table("ticket_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_messages_ticket_id"), ["ticket_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_messages_ticket_id"))
    op.drop_table("ticket_messages")
    with op.batch_alter_table("aftersales_tickets", schema=None) as batch_op:
        batch_op.drop_column("resolution")
