"""Fulfilment handlers: confirm a ship-by date (audited) and move shipping forward, each
accepted move written to the history in the same transaction as the order's state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from liveroom.adapters.sql.schema_fulfilment import ship_by_dates, shipping_history
from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.bus import Context
from liveroom.core.clock import as_aware
from liveroom.core.errors import Conflict
from liveroom.core.ids import new_id
from liveroom.fulfilment import model, views
from liveroom.fulfilment.commands import ConfirmShipBy, RecordShipping
from liveroom.orders import closing
from liveroom.orders.commands import UpdateShipping
from liveroom.orders.model import OrderStatus


def confirm_ship_by(cmd: ConfirmShipBy, uow: Any, ctx: Context) -> dict[str, Any]:
    row = _paid(uow, cmd.order_id)
    tz = ctx.settings.timezone
    computed = views.computed_ship_by(uow.conn, row, tz)
    chosen = cmd.ship_by or computed
    model.check_ship_by(chosen, as_aware(row.paid_at), tz)
    sb = ship_by_dates.c
    before = uow.execute(select(ship_by_dates).where(sb.order_id == row.id)).first()
    values = {"ship_by": chosen, "computed_ship_by": computed, "note": cmd.note,
              "confirmed_by": ctx.actor.name, "confirmed_at": ctx.clock.now()}
    if before is None:
        uow.execute(insert(ship_by_dates).values(order_id=row.id, **values))
    else:
        uow.execute(update(ship_by_dates).where(sb.order_id == row.id).values(values))
    uow.audit.record(ctx.actor, "fulfilment.ship_by", session_id=row.session_id, target=row.id,
                     before={"ship_by": (before.ship_by if before else computed).isoformat()},
                     after={"ship_by": chosen.isoformat(), "note": cmd.note})
    uow.commit()
    return {"order_id": row.id, "ship_by": chosen.isoformat(),
            "computed_ship_by": computed.isoformat(), "confirmed": True,
            "adjusted": chosen != computed}


def update_shipping(cmd: UpdateShipping, uow: Any, ctx: Context) -> dict[str, Any]:
    return record(uow, ctx, cmd.order_id, cmd.carrier, cmd.tracking_no, cmd.status, "api")


def record_shipping(cmd: RecordShipping, uow: Any, ctx: Context) -> dict[str, Any]:
    return record(uow, ctx, cmd.order_id, cmd.carrier, cmd.tracking_no, cmd.status,
                  cmd.source)


def record(uow: Any, ctx: Context, order_id: str, carrier: str, tracking_no: str,
           status: str, source: str) -> dict[str, Any]:
    row = _paid(uow, order_id, lock=True)
    current = row.shipping or {}
    moved = model.move(current.get("status"), status, carrier, tracking_no,
                       current.get("carrier"), current.get("tracking_no"))
    if not moved:
        return {"order_id": row.id, "shipping": row.shipping, "changed": False}
    now = ctx.clock.now()
    shipping = {"carrier": carrier, "tracking_no": tracking_no, "status": status,
                "updated_at": now.isoformat(), "updated_by": ctx.actor.name}
    # the order row is locked since loading (PostgreSQL FOR UPDATE; SQLite's writers take
    # turns), so two movers are serialised and the second sees the first's status
    uow.execute(update(orders).where(orders.c.id == row.id).values(shipping=shipping))
    uow.execute(insert(shipping_history).values(
        id=new_id(), order_id=row.id, from_status=current.get("status"), to_status=status,
        carrier=carrier, tracking_no=tracking_no, source=source, actor=ctx.actor.name, at=now))
    uow.audit.record(ctx.actor, "orders.shipping", session_id=row.session_id, target=row.id,
                     before=row.shipping, after=shipping)
    uow.commit()
    return {"order_id": row.id, "shipping": shipping, "changed": True}


def _paid(uow: Any, order_id: str, *, lock: bool = False) -> Any:
    row = closing.load(uow, order_id, lock=lock)
    if row.status != OrderStatus.PAID:
        raise Conflict(f"order is {row.status}; only paid orders ship",
                       code="invalid_order_state", status=row.status)
    return row


HANDLERS = {ConfirmShipBy: confirm_ship_by, RecordShipping: record_shipping,
            UpdateShipping: update_shipping}
