"""Sets up the demo show through the public API, as the operations team would: catalogue,
session with targets and budget, lineup, run-of-show, flash sales, coupons, the warm-up
campaign with its tracked links, and the pre-broadcast checklist."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from liveroom.simulator import demo_data as d
from liveroom.simulator.showplan import ok


async def setup_show(client: httpx.AsyncClient, h: dict[str, dict[str, str]], run: str,
                     start: datetime, catalogue_size: int | None = None) -> dict[str, Any]:
    """Returns {"session_id", "sku_ids", "flash_sale_ids", "links", "channel_coupons"}."""
    bodies = d.product_bodies(run)[:catalogue_size]
    sku_ids = []
    for body in bodies:
        sku_ids.append(ok(await client.post("/api/v1/products", json=body,
                                            headers=h["ops"]))["skus"][0]["id"])
    sid = ok(await client.post("/api/v1/sessions", headers=h["ops"], json={
        "title": "厨房好物节 · 周五晚场", "theme": "厨房好物",
        "scheduled_start": start.isoformat(), "duration_minutes": 120,
        "targets": {"gmv_fen": 15_000_000, "viewers": 5000, "conversion_rate": 0.12},
        "roles": {"host": "小美", "console": "陈中控", "ops": "林运营"},
        "channel_budget": {"feed_ads": 800_000, "kol": 500_000},
        "max_price_drop_pct": 80}))["id"]  # 引流款 go to a quarter of list price
    prices = d.live_prices()
    ok(await client.put(f"/api/v1/sessions/{sid}/lineup", headers=h["ops"], json={"items": [
        {"sku_id": s, "live_price_fen": prices[i], "floor_price_fen": prices[i] * 6 // 10,
         "flash_quantity": 200 if i == 0 else 0,
         "talking_points": {"F": "材质", "A": "优势", "B": "好处", "E": "检测报告"}}
        for i, s in enumerate(sku_ids)]}))
    segs = [s for s in d.segments(sku_ids + [None] * (len(d.CATALOGUE) - len(sku_ids)))
            if s.get("sku_id", "") is not None]
    ok(await client.put(f"/api/v1/sessions/{sid}/segments", headers=h["ops"],
                        json={"segments": segs}))
    ok(await client.put(f"/api/v1/sessions/{sid}/contingency", headers=h["ops"],
                        json={"scripts": d.CONTINGENCY}))
    flash_ids = []
    for sku_i, minute, price, qty in ((0, 2, 990, 200), (3, 60, 1290, 80)):
        if sku_i < len(sku_ids):
            flash_ids.append(ok(await client.post(
                f"/api/v1/sessions/{sid}/flash-sales", headers=h["console"],
                json={"sku_id": sku_ids[sku_i], "price_fen": price, "quantity": qty,
                      "per_buyer_limit": 1,
                      "starts_at": (start + timedelta(minutes=minute)).isoformat()}))["id"])
    # Coupons take the thin-margin traffic items below cost: the price guard refuses them
    # unless ops override it, with a reason, in the audit log.
    accepted = {"override": True, "override_reason": "引流款参与满减，亏损计入引流预算"}
    ok(await client.post(f"/api/v1/sessions/{sid}/coupons", headers=h["ops"], json={
        "name": "满199减30", "kind": "threshold", "threshold_fen": 19_900, "discount_fen": 3000,
        "total": 800, "valid_from": (start + timedelta(minutes=30)).isoformat(),
        "issue_now": True, **accepted}))
    ok(await client.put(f"/api/v1/sessions/{sid}/campaign", headers=h["ops"],
                        json=d.campaign_config()))
    links = []
    for channel, kind, koc, team in d.LINKS:
        links.append(ok(await client.post(f"/api/v1/sessions/{sid}/links", headers=h["ops"],
                                          json={"channel": channel, "kind": kind, "koc": koc,
                                                "team": team, "campaign": "kitchen_friday"})))
    coupons = ok(await client.post(f"/api/v1/sessions/{sid}/campaign/channel-coupons",
                                   headers=h["ops"],
                                   json={"channels": ["community", "wecom", "sms"],
                                         "discount_fen": 500, "total": 300, **accepted})
                 )["coupons"]
    for item in ("devices", "sound", "picture", "network", "order_flow", "platform_approval"):
        ok(await client.post(f"/api/v1/sessions/{sid}/checklist/{item}", headers=h["console"],
                             json={"ok": True, "note": "试播通过"}))
    return {"session_id": sid, "sku_ids": sku_ids, "flash_sale_ids": flash_ids,
            "links": links, "channel_coupons": coupons}
