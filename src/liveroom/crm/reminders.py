"""Member reminders (私域触达) through the notification port: planning inserts each reminder
once (unique buyer, kind, ref); sending claims due rows (FOR UPDATE SKIP LOCKED, like the
order notifications), skips a buyer without consent on the channel, moves a row out of
quiet hours, and lets one message a day through per buyer: the (buyer, local day) primary
key of member_message_days is the rule, so two senders cannot both send."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, update

from liveroom.adapters.notifications import Message, Notifier, SendFailed
from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.db import dialect_insert, insert_ignoring_duplicates
from liveroom.adapters.sql.schema_crm_reach import (
    contact_consents,
    member_message_days,
    member_reminders,
)
from liveroom.adapters.sql.schema_orders import orders
from liveroom.adapters.sql.schema_tracking import reservations
from liveroom.core.bus import Context
from liveroom.core.clock import as_aware
from liveroom.core.ids import new_id
from liveroom.crm import community_views
from liveroom.crm.commands import PlanReminders, SendReminders, SetConsent
from liveroom.crm.reach import (
    QuietHours,
    ReminderKind,
    check_channel,
    preferred_channel,
    reminder_text,
)

REPURCHASE_LOOKBACK = timedelta(days=7)  # an older due date is stale: no reminder
RESERVATION_LEAD = timedelta(hours=2)
CART_DELAY = timedelta(minutes=10)
CART_LOOKBACK = timedelta(days=1)


def set_consent(cmd: SetConsent, uow: Any, ctx: Context) -> dict[str, Any]:
    check_channel(cmd.channel)
    cc = contact_consents.c
    stmt = dialect_insert(uow.conn, contact_consents).values(
        buyer_id=cmd.buyer_id, channel=cmd.channel, granted=cmd.granted,
        updated_at=ctx.clock.now())
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[cc.buyer_id, cc.channel],
        set_={"granted": cmd.granted, "updated_at": ctx.clock.now()}))
    uow.commit()
    return {"buyer_id": cmd.buyer_id, "channel": cmd.channel, "granted": cmd.granted}


def _granted(conn: Any, buyer_ids: list[str]) -> dict[str, list[str]]:
    cc = contact_consents.c
    out: dict[str, list[str]] = {}
    for r in conn.execute(select(cc.buyer_id, cc.channel)
                          .where(cc.buyer_id.in_(buyer_ids), cc.granted.is_(True))):
        out.setdefault(r.buyer_id, []).append(r.channel)
    return out


def _due(uow: Any, now: datetime) -> list[dict[str, Any]]:
    """Every reminder that should exist now, as rows (planning inserts the new ones)."""
    rows: list[dict[str, Any]] = []
    for d in community_views.reminders(uow.conn, now, 0):
        due = datetime.fromisoformat(d["due_at"])
        if due >= now - REPURCHASE_LOOKBACK:
            rows.append({"buyer_id": d["buyer_id"], "kind": ReminderKind.REPURCHASE,
                         "ref": f"{d['product_id']}@{d['last_bought_at'][:10]}",
                         "text": reminder_text(ReminderKind.REPURCHASE, d["product_name"]),
                         "due_at": max(due, now)})
    s, r = t.live_sessions.c, reservations.c
    shows = uow.execute(select(r.buyer_id, s.id, s.title, s.status, s.scheduled_start)
                        .join(t.live_sessions, s.id == r.session_id)
                        .where(s.status.in_(("planned", "live")),
                               s.scheduled_start <= now + RESERVATION_LEAD + timedelta(days=1)))
    quiet = QuietHours()
    for row in shows:
        start = as_aware(row.scheduled_start)
        if row.status == "live":
            rows.append({"buyer_id": row.buyer_id, "kind": ReminderKind.GO_LIVE, "ref": row.id,
                         "text": reminder_text(ReminderKind.GO_LIVE, row.title),
                         "due_at": now})
        elif start - RESERVATION_LEAD <= now + timedelta(days=1):
            when = quiet.local(start).strftime("%m-%d %H:%M")
            rows.append({"buyer_id": row.buyer_id, "kind": ReminderKind.RESERVATION,
                         "ref": row.id, "due_at": max(start - RESERVATION_LEAD, now),
                         "text": reminder_text(ReminderKind.RESERVATION, row.title, when)})
    o = orders.c
    lapsed = uow.execute(select(o.id, o.buyer_id, o["items"], o.expires_at).where(
        o.status == "expired", o.expires_at >= now - CART_LOOKBACK)).all()
    names = _sku_names(uow.conn, {i["sku_id"] for x in lapsed for i in x.items})
    for x in lapsed:
        name = next((names[i["sku_id"]] for i in x.items if i["sku_id"] in names), "")
        rows.append({"buyer_id": x.buyer_id, "kind": ReminderKind.CART, "ref": x.id,
                     "text": reminder_text(ReminderKind.CART, name),
                     "due_at": as_aware(x.expires_at) + CART_DELAY})
    return rows


def _sku_names(conn: Any, sku_ids: set[str]) -> dict[str, str]:
    if not sku_ids:
        return {}
    q = (select(t.skus.c.id, t.products.c.name)
         .join(t.products, t.products.c.id == t.skus.c.product_id)
         .where(t.skus.c.id.in_(sku_ids)))
    return {r.id: r.name for r in conn.execute(q)}


def plan_reminders(cmd: PlanReminders, uow: Any, ctx: Context) -> dict[str, int]:
    now = ctx.clock.now()
    due = _due(uow, now)
    granted = _granted(uow.conn, sorted({d["buyer_id"] for d in due}))
    planned = 0
    for d in due:
        channel = preferred_channel(granted.get(d["buyer_id"], [])) or "sms"
        new = uow.execute(insert_ignoring_duplicates(uow.conn, member_reminders).values(
            id=new_id(), channel=channel, status="pending", created_at=now, **d)
            .returning(member_reminders.c.id)).first()
        planned += new is not None
    uow.commit()
    return {"planned": planned, "considered": len(due)}


def _take_day(uow: Any, buyer_id: str, at: datetime, reminder_id: str,
              quiet: QuietHours) -> bool:
    """Claim the buyer's one message of the local day; False if it is taken already."""
    taken = uow.execute(insert_ignoring_duplicates(uow.conn, member_message_days).values(
        buyer_id=buyer_id, day=quiet.day(at), reminder_id=reminder_id)
        .returning(member_message_days.c.reminder_id)).first()
    return taken is not None


def send_reminders(cmd: SendReminders, uow: Any, ctx: Context,
                   notifier: Notifier) -> dict[str, int]:
    now = ctx.clock.now()
    quiet = QuietHours(zone=ctx.settings.timezone)
    m = member_reminders.c
    rows = uow.execute(select(member_reminders)
                       .where(m.status == "pending", m.due_at <= now)
                       .order_by(m.due_at, m.id).limit(cmd.limit)
                       .with_for_update(skip_locked=True)).all()
    granted = _granted(uow.conn, sorted({r.buyer_id for r in rows}))
    counts = {"sent": 0, "skipped": 0, "deferred": 0, "failed": 0}

    def mark(row_id: str, **values: Any) -> None:
        uow.execute(update(member_reminders).where(and_(m.id == row_id, m.status == "pending"))
                    .values(**values))

    for r in rows:
        if r.channel not in granted.get(r.buyer_id, []):
            mark(r.id, status="skipped", reason="no_consent")
            counts["skipped"] += 1
        elif quiet.quiet(now):
            mark(r.id, due_at=quiet.next_allowed(now), reason="quiet_hours")
            counts["deferred"] += 1
        elif not _take_day(uow, r.buyer_id, now, r.id, quiet):
            mark(r.id, due_at=quiet.next_day(now), reason="daily_cap")
            counts["deferred"] += 1
        else:
            try:
                notifier.send(Message(r.id, r.buyer_id, r.channel, r.kind, r.text))
            except SendFailed:
                uow.execute(member_message_days.delete().where(
                    member_message_days.c.reminder_id == r.id))
                mark(r.id, status="failed", reason="provider_refused")
                counts["failed"] += 1
                continue
            mark(r.id, status="sent", sent_at=now, reason=None)
            counts["sent"] += 1
    uow.commit()
    return counts
