"""Tracking events lose the (session_id, buyer_id) index: every ingested event inserted one
entry at a random place in it, one rewritten page per event once the log outgrew the page
cache (at 1M events ingest fell from ~50k to ~4k events/s on SQLite; docs/benchmarks.md).
One viewer's path is found through the compacted log segments instead
(metrics.views.viewer_path).

Revision ID: 0070_tracking_no_buyer_index
Revises: 0061_product_merchant
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0070_tracking_no_buyer_index"
down_revision: str | Sequence[str] | None = "0061_product_merchant"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_tracking_session_buyer", table_name="tracking_events")


def downgrade() -> None:
    op.create_index("ix_tracking_session_buyer", "tracking_events", ["session_id", "buyer_id"])
