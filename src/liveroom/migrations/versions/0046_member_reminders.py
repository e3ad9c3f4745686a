"""Member reminders: consent per channel, the reminder queue (one per buyer, kind and ref)
and the one-message-per-buyer-per-day key.

Revision ID: 0046_member_reminders
Revises: 0045_member_priority
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046_member_reminders"
down_revision: str | Sequence[str] | None = "0045_member_priority"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "contact_consents",
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("buyer_id", "channel", name=op.f("pk_contact_consents")),
    )
    op.create_table(
        "member_reminders",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_reminders")),
        sa.UniqueConstraint("buyer_id", "kind", "ref", name="uq_member_reminders_once"),
    )
    op.create_index("ix_member_reminders_status_due", "member_reminders",
                    ["status", "due_at"])
    op.create_table(
        "member_message_days",
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reminder_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("buyer_id", "day", name=op.f("pk_member_message_days")),
    )


def downgrade() -> None:
    op.drop_table("member_message_days")
    op.drop_index("ix_member_reminders_status_due", table_name="member_reminders")
    op.drop_table("member_reminders")
    op.drop_table("contact_consents")
