"""The simulated console operator (中控) following the run-of-show through the console API:
lists the lineup, sets the product being explained, opens and closes flash sales, checks
the alerts every five minutes and answers a viewer drop with a lucky-bag announcement."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from liveroom.simulator.audience import ShowPlan

log = logging.getLogger(__name__)
ALERT_EVERY_SECONDS = 300


class ConsoleScript:
    def __init__(self, client: httpx.AsyncClient, sid: str, plan: ShowPlan,
                 headers: dict[str, str]) -> None:
        self.client, self.sid, self.plan, self.h = client, sid, plan, headers
        self.failures: list[str] = []
        self.lucky_bags = 0

    async def _post(self, url: str, json: dict[str, Any] | None = None) -> httpx.Response:
        r = await self.client.post(url, headers=self.h, json=json)
        if r.status_code >= 400:
            self.failures.append(f"{url}: {r.status_code} {r.text[:120]}")
            log.warning("console: %s → %s %s", url, r.status_code, r.text[:200])
        return r

    async def open(self) -> None:
        detail = (await self.client.get(f"/api/v1/sessions/{self.sid}", headers=self.h)).json()
        if detail.get("status") in ("planned", "rehearsal"):
            await self._post(f"/api/v1/sessions/{self.sid}/start")
        for sku in self.plan.products:
            await self._post(f"/api/v1/sessions/{self.sid}/skus/{sku}/list")

    async def at(self, t: float, tick: float) -> list[dict[str, Any]]:
        """Console actions due in [t, t + tick); returns alerts seen."""
        minute_now = t / 60

        def due(minute: float) -> bool:
            return t <= minute * 60 < t + tick

        for seg in self.plan.segments:
            if seg.sku_id and due(seg.start_minute):
                await self._post(f"/api/v1/sessions/{self.sid}/explaining",
                                 {"sku_id": seg.sku_id})
        for f in self.plan.flash_sales:
            if due(f.start_minute):
                await self._post(f"/api/v1/flash-sales/{f.flash_id}/start")
            if due(f.start_minute + f.minutes):
                await self._post(f"/api/v1/flash-sales/{f.flash_id}/stop")
        if t > 0 and int(t) % ALERT_EVERY_SECONDS == 0:
            return await self._check_alerts(minute_now)
        return []

    async def _check_alerts(self, minute: float) -> list[dict[str, Any]]:
        r = await self.client.get(f"/api/v1/sessions/{self.sid}/alerts", headers=self.h)
        if r.status_code != 200:
            return []
        alerts: list[dict[str, Any]] = r.json()["alerts"]
        for a in alerts:
            a["show_minute"] = round(minute, 1)
            if a["code"] == "viewer_drop":
                self.lucky_bags += 1
                await self._post(f"/api/v1/sessions/{self.sid}/announcements",
                                 {"text": "福袋来了！评论“厨房好物”参与抽奖，3分钟后开奖",
                                  "pinned": True})
        return alerts

    async def close(self) -> None:
        await self._post(f"/api/v1/sessions/{self.sid}/end")
