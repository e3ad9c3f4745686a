"""Analytics: who sent each tracking event, the event log is append-only; incidents and
A/B experiments.

Revision ID: 0011_analytics
Revises: 0006_ticket_work
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_analytics"
down_revision: str | Sequence[str] | None = "0006_ticket_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 《网络直播营销管理办法》 forbids faked traffic: what viewers did is recorded once and kept as
# it was sent. The database refuses to change or delete it, whatever code asks.
GUARDED = ("UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("opened_by", sa.String(length=80), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_incidents_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index("ix_incidents_session", "incidents", ["session_id", "started_at"])
    op.create_table(
        "experiments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("arms", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiments")),
    )
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sender", sa.String(length=80), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # liveroom_refuse_change() comes from 0005_trust_and_history
        op.execute("CREATE TRIGGER tracking_events_append_only BEFORE UPDATE OR DELETE ON "
                   "tracking_events FOR EACH ROW EXECUTE FUNCTION liveroom_refuse_change()")
        return
    for action in GUARDED:
        op.execute(f"CREATE TRIGGER tracking_events_no_{action.lower()} BEFORE {action} ON "
                   f"tracking_events BEGIN SELECT RAISE(ABORT, 'tracking_events is "
                   f"append-only: {action} refused'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER tracking_events_append_only ON tracking_events")
    else:
        for action in GUARDED:
            op.execute(f"DROP TRIGGER tracking_events_no_{action.lower()}")
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.drop_column("sender")
    op.drop_table("experiments")
    op.drop_index("ix_incidents_session", table_name="incidents")
    op.drop_table("incidents")
