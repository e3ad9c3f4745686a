"""Every table module, imported so the metadata is complete (for Alembic)."""

from liveroom.adapters.sql import (
           schema,
           schema_aftersales,
           schema_analytics,
           schema_catalog_stats,
           schema_comment_log,
           schema_comments,
           schema_crm,
           schema_crm_reach,
           schema_fulfilment,
           schema_live,
           schema_liveops,
           schema_orders,
           schema_tracking,
)
from liveroom.adapters.sql.schema import metadata

__all__ = ["metadata", "schema", "schema_aftersales", "schema_analytics", "schema_catalog_stats",
           "schema_comment_log", "schema_comments", "schema_crm", "schema_crm_reach",
           "schema_fulfilment", "schema_live", "schema_liveops", "schema_orders",
           "schema_tracking"]
