"""Importing members' purchase history from the previous shop system, so that tiers, RFM,
interest groups, repurchase dates and recommendations know the buyers who come back. The
orders are stored as paid orders of kind `import` under the pseudo-session `import` (no
show: reviews and show metrics never count them), each with its earned points."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.adapters.sql.schema_crm import member_points, members
from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.bus import Context
from liveroom.core.clock import utc
from liveroom.core.errors import Invalid
from liveroom.core.ids import new_id
from liveroom.crm.commands import ImportPurchases
from liveroom.crm.model import PointsKind, earned_points

IMPORT_SESSION = "import"
MAX_IMPORT = 50_000


def import_purchases(cmd: ImportPurchases, uow: Any, ctx: Context) -> dict[str, int]:
    if len(cmd.purchases) > MAX_IMPORT:
        raise Invalid(f"at most {MAX_IMPORT} purchases per import", code="import_too_large")
    order_rows: list[dict[str, Any]] = []
    point_rows: list[dict[str, Any]] = []
    buyers: dict[str, datetime] = {}
    for p in cmd.purchases:
        if p.quantity <= 0 or p.unit_price_fen <= 0:
            raise Invalid(f"purchase {p.ref}: quantity and price must be positive",
                          code="invalid_purchase")
        paid = utc(p.paid_at)
        total = p.quantity * p.unit_price_fen
        oid = f"imp-{p.ref}"[:32]
        order_rows.append(dict(
            id=oid, session_id=IMPORT_SESSION, buyer_id=p.buyer_id, kind="import",
            idempotency_key=p.ref, idempotency_scope=IMPORT_SESSION, status="paid",
            items=[{"sku_id": p.sku_id, "quantity": p.quantity,
                    "unit_price_fen": p.unit_price_fen, "presale": False}],
            quantity=p.quantity, subtotal_fen=total, total_fen=total,
            breakdown={"subtotal_fen": total, "total_fen": total}, coupon_ids=[],
            created_at=paid, expires_at=paid, paid_at=paid, refunded_fen=0))
        point_rows.append(dict(id=new_id(), buyer_id=p.buyer_id, order_id=oid,
                               kind=PointsKind.EARN.value, points=earned_points(total),
                               multiplier=1, session_id=None, at=paid))
        buyers[p.buyer_id] = min(paid, buyers.get(p.buyer_id, paid))
    if order_rows:
        uow.execute(insert_ignoring_duplicates(uow.conn, orders), order_rows)
        uow.execute(insert_ignoring_duplicates(uow.conn, member_points), point_rows)
        uow.execute(insert_ignoring_duplicates(uow.conn, members),
                    [{"buyer_id": b, "joined_at": at} for b, at in buyers.items()])
    uow.audit.record(ctx.actor, "members.import",
                     after={"purchases": len(order_rows), "buyers": len(buyers)})
    uow.commit()
    return {"purchases": len(order_rows), "buyers": len(buyers)}
