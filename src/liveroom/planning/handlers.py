from __future__ import annotations

from typing import Any

from liveroom.console import price_guard
from liveroom.console.handlers import release_flash_sales
from liveroom.core.bus import Context
from liveroom.core.clock import utc
from liveroom.core.errors import Invalid
from liveroom.core.ids import new_id
from liveroom.planning import edit
from liveroom.planning.commands import (
    CreateSession,
    SessionCreated,
    SessionStatusChanged,
    SetLineup,
    SetSegments,
    TickChecklist,
    TransitionSession,
)
from liveroom.planning.model import (
    CHECKLIST_ITEMS,
    TRANSITIONS,
    LineupItem,
    LiveSession,
    Segment,
    SegmentKind,
    Status,
    validate_segments,
    validate_session_fields,
)


def create_session(cmd: CreateSession, uow: Any, ctx: Context) -> dict[str, Any]:
    validate_session_fields(cmd.duration_minutes, cmd.targets)
    drop = cmd.max_price_drop_pct or ctx.settings.max_price_drop_pct
    if not 1 <= drop <= 99:
        raise Invalid("max_price_drop_pct must be 1–99", field="max_price_drop_pct")
    s = LiveSession(
        id=new_id(), title=cmd.title, theme=cmd.theme, scheduled_start=utc(cmd.scheduled_start),
        duration_minutes=cmd.duration_minutes, status=Status.PLANNED,
        created_at=ctx.clock.now(), targets=dict(cmd.targets), roles=dict(cmd.roles),
        channel_budget=dict(cmd.channel_budget), max_price_drop_pct=drop,
    )
    uow.sessions.add(s)
    uow.audit.record(ctx.actor, "session.create", session_id=s.id, target=s.id,
                     after={"title": s.title, "scheduled_start": s.scheduled_start.isoformat()})
    uow.emit(SessionCreated(s.id, s.title, s.scheduled_start))
    uow.commit()
    return {"id": s.id, "status": s.status.value}


def set_lineup(cmd: SetLineup, uow: Any, ctx: Context) -> list[LineupItem]:
    session = uow.sessions.get(cmd.session_id, lock=True)
    session.require(Status.PLANNED, Status.REHEARSAL, Status.LIVE)
    ids = [i.sku_id for i in cmd.items]
    if len(set(ids)) != len(ids):
        raise Invalid("a SKU appears twice in the lineup", code="duplicate_sku", field="items")
    _, skus = uow.catalog.products_for_skus(ids)
    missing = [i for i in ids if i not in skus]
    if missing:
        raise Invalid(f"unknown SKU ids: {', '.join(missing)}", code="sku_not_found",
                      field="items", sku_ids=missing)
    old = {i.sku_id: i for i in uow.sessions.lineup(cmd.session_id)}
    items, changed = [], []
    for pos, e in enumerate(cmd.items):
        if e.live_price_fen <= 0:
            raise Invalid("live price must be positive", field=f"items[{pos}].live_price_fen")
        if e.flash_quantity < 0:
            raise Invalid("flash quantity cannot be negative",
                          field=f"items[{pos}].flash_quantity")
        prev = old.get(e.sku_id)
        # Once live, the planned price stays what the digit-slip check compares with.
        planned = prev.planned_price_fen if prev and session.status == Status.LIVE \
            else e.live_price_fen
        item = LineupItem(
            sku_id=e.sku_id, live_price_fen=e.live_price_fen, planned_price_fen=planned,
            position=pos, floor_price_fen=e.floor_price_fen, flash_quantity=e.flash_quantity,
            talking_points=dict(e.talking_points), listed=prev.listed if prev else False,
            override_floor_fen=prev.override_floor_fen if prev else None)
        items.append(item)
        if prev is None or (prev.live_price_fen, prev.floor_price_fen) != \
                (e.live_price_fen, e.floor_price_fen):
            # A planned price is checked too: what is planned goes live (a slipped digit is
            # measured against the price it replaces).
            checked = LineupItem(**{**vars(item), "planned_price_fen": prev.planned_price_fen
                                    if prev else planned})
            changed.append((item, price_guard.load(uow, session, checked)))
    price_guard.enforce(uow, ctx, [p for _, p in changed], override=cmd.override,
                        override_reason=cmd.override_reason, save=False)
    for item, prices in changed:
        item.override_floor_fen = prices.item.override_floor_fen
    uow.sessions.replace_lineup(cmd.session_id, items)
    uow.audit.record(ctx.actor, "session.lineup", session_id=cmd.session_id,
                     before=[{"sku_id": i.sku_id, "live_price_fen": i.live_price_fen}
                             for i in old.values()],
                     after=[{"sku_id": i.sku_id, "live_price_fen": i.live_price_fen}
                            for i in items])
    uow.commit()
    return items


def set_segments(cmd: SetSegments, uow: Any, ctx: Context) -> list[Segment]:
    session = uow.sessions.get(cmd.session_id, lock=True)
    session.require(Status.PLANNED, Status.REHEARSAL, Status.LIVE)
    segs = []
    for pos, e in enumerate(cmd.segments):
        try:
            kind = SegmentKind(e.kind)
        except ValueError as exc:
            raise Invalid(f"segment kind must be one of {[k.value for k in SegmentKind]}",
                          field=f"segments[{pos}].kind") from exc
        segs.append(Segment(id=new_id(), kind=kind, start_minute=e.start_minute,
                            duration_minutes=e.duration_minutes, title=e.title,
                            sku_id=e.sku_id, giveaway=e.giveaway, script=e.script,
                            contingency=e.contingency, position=pos))
    validate_segments(segs, session.duration_minutes)
    lineup = {i.sku_id for i in uow.sessions.lineup(cmd.session_id)}
    stray = [s.sku_id for s in segs if s.sku_id and s.sku_id not in lineup]
    if stray:
        raise Invalid(f"segments name SKUs not in the lineup: {', '.join(stray)}",
                      code="sku_not_in_lineup", field="segments")
    uow.sessions.replace_segments(cmd.session_id, segs)
    uow.audit.record(ctx.actor, "session.segments", session_id=cmd.session_id,
                     after={"segments": len(segs)})
    uow.commit()
    return segs


def transition(cmd: TransitionSession, uow: Any, ctx: Context) -> dict[str, Any]:
    if cmd.to not in TRANSITIONS:
        raise Invalid(f"unknown transition {cmd.to}", field="to")
    session = uow.sessions.get(cmd.session_id, lock=True)
    now = ctx.clock.now()
    if cmd.to == "start":  # go-live: every price of the lineup passes the guard once more
        price_guard.recheck(uow, price_guard.load_lineup(uow, session))
    ticks = uow.sessions.checklist(session.id)
    unticked = [k for k in CHECKLIST_ITEMS if not (ticks.get(k) or {}).get("ok")]
    before = session.transition(cmd.to, now)
    uow.sessions.save(session)
    if cmd.to == "end":
        release_flash_sales(uow, session.id, ctx)
    uow.audit.record(ctx.actor, f"session.{cmd.to}", session_id=session.id, target=session.id,
                     before={"status": before.value}, after={"status": session.status.value})
    uow.emit(SessionStatusChanged(session.id, before.value, session.status.value, now))
    uow.commit()
    out: dict[str, Any] = {"id": session.id, "status": session.status.value}
    if cmd.to == "start":  # going live is the team's call; unticked items are said out loud
        out["warnings"] = [{
            "code": "checklist_unticked", "items": unticked,
            "message": "未完成的检查项 checklist items not ticked: " + "、".join(
                CHECKLIST_ITEMS[k].split(" ")[0] for k in unticked)}] if unticked else []
    return out


def tick_checklist(cmd: TickChecklist, uow: Any, ctx: Context) -> None:
    if cmd.item not in CHECKLIST_ITEMS:
        raise Invalid(f"checklist item must be one of {sorted(CHECKLIST_ITEMS)}",
                      code="unknown_checklist_item", field="item")
    session = uow.sessions.get(cmd.session_id, lock=True)
    session.require(Status.PLANNED, Status.REHEARSAL)
    uow.sessions.tick(session.id, cmd.item, cmd.ok, cmd.note, ctx.actor.name, ctx.clock.now())
    uow.audit.record(ctx.actor, "checklist.tick", session_id=session.id, target=cmd.item,
                     after={"ok": cmd.ok, "note": cmd.note})
    uow.commit()


HANDLERS: dict[type, Any] = {
    CreateSession: create_session, SetLineup: set_lineup, SetSegments: set_segments,
    TransitionSession: transition, TickChecklist: tick_checklist, **edit.HANDLERS}
