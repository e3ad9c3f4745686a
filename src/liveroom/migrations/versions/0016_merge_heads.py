"""Join the branches that the second round's parallel work opened from 0006 into one head,
so that `make migration` (autogenerate) has a single parent again.

Revision ID: 0016_merge_heads
Revises: 0007_price_guard, 0008_dead_letters, 0010_integrity, 0011_analytics,
         0012_aftersales, 0013_members, 0014_catalog_edit, 0015_claims
"""
from collections.abc import Sequence

revision: str = "0016_merge_heads"
down_revision: str | Sequence[str] | None = (
    "0007_price_guard", "0008_dead_letters", "0010_integrity", "0011_analytics",
    "0012_aftersales", "0013_members", "0014_catalog_edit", "0015_claims")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
