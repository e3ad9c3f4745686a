"""Join the branches of the third round's parallel work (live console, plan, warm-up,
comment log, live-ops, members' reach, fulfilment) into one head again.

Revision ID: 0060_merge_heads
Revises: 0020_live_console, 0025_rehearsal_plan, 0030_warmup_tasks, 0035_comment_log,
         0040_cart_interventions, 0047_ugc_invitations, 0051_notification_deliveries
"""
from collections.abc import Sequence

revision: str = "0060_merge_heads"
down_revision: str | Sequence[str] | None = (
    "0020_live_console", "0025_rehearsal_plan", "0030_warmup_tasks", "0035_comment_log",
    "0040_cart_interventions", "0047_ugc_invitations", "0051_notification_deliveries")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
