"""Every table module, imported so the metadata is complete (for Alembic)."""

from liveroom.adapters import schema
from liveroom.adapters.schema import metadata

__all__ = ["metadata", "schema"]
