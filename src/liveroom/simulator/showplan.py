"""Reads a session's plan through the public API (what a viewer's app and the console see)
and turns it into the simulator's ShowPlan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from liveroom.simulator.audience import (
    CouponInfo,
    FlashInfo,
    LinkInfo,
    Product,
    SegmentInfo,
    ShowPlan,
)

FLASH_MINUTES = 3  # how long the console keeps a flash sale open unless it sells out


class ApiError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {"code": "not_json", "message": response.text[:200]}
        self.code = body.get("code", "error") if isinstance(body, dict) else "error"
        super().__init__(f"{response.request.method} {response.request.url.path}: "
                         f"{self.status} {body}")


def ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise ApiError(response)
    return response.json()


def _minute(at: str | None, start: datetime) -> int | None:
    if not at:
        return None
    return max(0, int((datetime.fromisoformat(at) - start).total_seconds() // 60))


async def load_show(client: httpx.AsyncClient, sid: str, headers: dict[str, str],
                    ) -> tuple[dict[str, Any], ShowPlan]:
    detail = ok(await client.get(f"/api/v1/sessions/{sid}", headers=headers))
    start = datetime.fromisoformat(detail["scheduled_start"])
    products = {i["sku_id"]: Product(i["sku_id"], i["name"], i["tier"], i["list_price_fen"],
                                     i["live_price_fen"]) for i in detail["lineup"]}
    segments = [SegmentInfo(s["start_minute"], s["duration_minutes"], s["kind"], s["sku_id"],
                            s["giveaway"]) for s in detail["segments"]]
    flash = []
    for f in ok(await client.get(f"/api/v1/sessions/{sid}/flash-sales",
                                 headers=headers))["items"]:
        minute = _minute(f.get("starts_at"), start)
        if minute is not None and f["status"] in ("created", "scheduled", "live"):
            flash.append(FlashInfo(f["id"], f["sku_id"], minute, FLASH_MINUTES, f["price_fen"]))
    coupons = []
    for c in ok(await client.get(f"/api/v1/sessions/{sid}/coupons", headers=headers))["items"]:
        minute = _minute(c.get("valid_from"), start)
        if c["status"] != "stopped" and not c.get("channel") and minute is not None:
            coupons.append(CouponInfo(c["id"], minute, c["discount_fen"], c["threshold_fen"]))
    links: dict[str, list[LinkInfo]] = {}
    reservation_links: dict[str, list[LinkInfo]] = {}
    for lk in ok(await client.get(f"/api/v1/sessions/{sid}/links", headers=headers))["items"]:
        info = LinkInfo(lk["code"], lk["channel"], lk["utm"], lk.get("koc"))
        target = reservation_links if lk["kind"] == "reservation" else links
        target.setdefault(lk["channel"], []).append(info)
    plan = ShowPlan(detail["duration_minutes"], products, segments,
                    sorted(flash, key=lambda f: f.start_minute),
                    sorted(coupons, key=lambda c: c.start_minute), links, reservation_links)
    return detail, plan
