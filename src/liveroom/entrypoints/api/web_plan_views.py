"""What the plan page (/sessions/{sid}/plan) draws: the session and its targets, the lineup
with the catalogue to pick from, the run-of-show as a minute timeline with each warning of
the plan checker beside the segment or product it concerns, the contingency scripts, the
checklist with due times and who ticked what, and the rehearsal's test orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liveroom.bootstrap import Container
from liveroom.catalog import views as catalog_views
from liveroom.core.clock import local
from liveroom.identity.model import Actor
from liveroom.orders.rehearsal import test_orders
from liveroom.planning import views as planning_views
from liveroom.planning.model import (
    CONTINGENCY_KINDS,
    LOOP_STEPS,
    PEAK_SLOTS,
    SegmentKind,
    Status,
)

# Warnings about the whole plan (not one segment or product) are shown at its top.
SLOT_CODES = frozenset({"slot_off_peak"})


def plan_context(c: Container, sid: str, actor: Actor, **extra: Any) -> dict[str, Any]:
    tz = c.settings.timezone
    with c.read() as conn, conn.begin():
        s = planning_views.session_detail(conn, sid, tz)
        products = catalog_views.list_products(conn, tier=None, category=None,
                                               limit=10_000, offset=0)["items"]
        tests = test_orders(conn, sid)
    in_lineup = {i["sku_id"] for i in s["lineup"]}
    names = {i["sku_id"]: f'{i["name"]} {i["spec"]}'.strip() for i in s["lineup"]}
    by_segment: dict[str, list[dict[str, Any]]] = {}
    by_sku: dict[str, list[dict[str, Any]]] = {}
    general = []
    for w in s["warnings"]:
        if w.get("segment_id"):
            by_segment.setdefault(str(w["segment_id"]), []).append(w)
        elif w.get("sku_id") and w["sku_id"] in in_lineup:
            by_sku.setdefault(str(w["sku_id"]), []).append(w)
        else:
            general.append(w)
    status = Status(s["status"])
    start_local = local(datetime.fromisoformat(s["scheduled_start"]), tz)
    return {
        "s": s, "sid": sid, "actor": actor, "tz": tz,
        "start_local": start_local, "names": names,
        "picker": [{"sku_id": k["id"], "label": f'{p["name"]} {k["spec"]}'.strip(),
                    "code": k["code"], "tier": p["tier"], "price_fen": k["price_fen"],
                    "score": p["score"]}
                   for p in products for k in p["skus"] if k["id"] not in in_lineup],
        "segment_kinds": [k.value for k in SegmentKind],
        "loop_steps": list(LOOP_STEPS), "contingency_kinds": list(CONTINGENCY_KINDS),
        "peak_slots": PEAK_SLOTS,
        "warn_segment": by_segment, "warn_sku": by_sku, "warn_general": general,
        "tests": tests,
        "may_edit": actor.may("session.create") and status == Status.PLANNED,
        "may_plan": actor.may("session.plan") and status in (Status.PLANNED, Status.REHEARSAL),
        "may_tick": actor.may("checklist.tick") and status in (Status.PLANNED,
                                                               Status.REHEARSAL),
        "may_rehearse": actor.may("session.transition") and status == Status.PLANNED,
        "may_test": actor.may("rehearsal.test_order") and status == Status.REHEARSAL,
        **extra,
    }
