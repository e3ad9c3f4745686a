"""Read side of the console: coupons, flash sales, announcements, the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from liveroom.adapters.sql import schema as t
from liveroom.core.clock import as_aware
from liveroom.core.errors import NotFound


def plain(row: Any) -> dict[str, Any]:
    return {k: (as_aware(v).isoformat() if hasattr(v, "isoformat") else v)
            for k, v in row._mapping.items()}


def rows_for_session(conn: Any, table: Any, sid: str) -> list[dict[str, Any]]:
    rows = conn.execute(select(table).where(table.c.session_id == sid)
                        .order_by(table.c.created_at)).all()
    return [plain(r) for r in rows]


def flash_sale(conn: Any, fid: str) -> dict[str, Any]:
    row = conn.execute(select(t.flash_sales).where(t.flash_sales.c.id == fid)).first()
    if row is None:
        raise NotFound(f"no flash sale {fid}", code="flash_sale_not_found")
    out = plain(row)
    out["remaining"] = row.quantity - row.sold
    return out


def audit(conn: Any, sid: str, limit: int, offset: int) -> dict[str, Any]:
    base = select(t.audit_log).where(t.audit_log.c.session_id == sid)
    total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = conn.execute(base.order_by(t.audit_log.c.id).limit(limit).offset(offset)).all()
    return {"items": [plain(r) for r in rows], "total": total, "limit": limit, "offset": offset}
