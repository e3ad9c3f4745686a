"""Plays a planned audience against the public HTTP API, tick by tick of show time.

Viewers' behaviour goes out as tracking batches and comments (as a front end and a platform
connector would send them); purchases go through the buyer routes with JWTs and
idempotency keys. Nothing here touches the database."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from liveroom.identity.model import issue_buyer_jwt
from liveroom.simulator.audience import Action, LinkInfo, ShowPlan, plan_audience
from liveroom.simulator.comments import nickname
from liveroom.simulator.console import ConsoleScript
from liveroom.simulator.params import SimParams
from liveroom.simulator.showplan import load_show

log = logging.getLogger(__name__)
EVENT_KINDS = {"impression": "room_impression", "enter": "enter", "leave": "leave",
               "product_impression": "product_impression", "product_click": "product_click",
               "add_to_cart": "add_to_cart", "like": "like", "share": "share",
               "follow": "follow", "join_fan_group": "join_fan_group", "comment": "comment"}


@dataclass
class SimStats:
    show_seconds: float = 0.0
    online: int = 0
    peak_online: int = 0
    viewers: int = 0
    orders: int = 0
    paid_orders: int = 0
    gmv_fen: int = 0
    payment_failures: int = 0
    flash_attempts: int = 0
    flash_won: int = 0
    reservations: int = 0
    comments_sent: int = 0
    events_sent: int = 0
    events_rejected: int = 0
    requests: int = 0
    answers: Counter[str] = field(default_factory=Counter)  # "409 sold_out" → n
    missing_routes: set[str] = field(default_factory=set)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    wall_seconds: float = 0.0


@dataclass(frozen=True)
class SimConfig:
    session_id: str
    operator_headers: dict[str, str]  # a connector/ops token: events, comments
    buyer_secret: str
    seed: int = 7
    speed: float = 120.0  # show seconds per wall second; 0 = as fast as possible
    params: SimParams = field(default_factory=SimParams.load)
    console_headers: dict[str, str] | None = None  # play the console operator too
    run_warmup: bool = True


ClockHook = Callable[[datetime], None]


class Simulator:
    def __init__(self, client: httpx.AsyncClient, cfg: SimConfig,
                 set_clock: ClockHook | None = None,
                 on_tick: Callable[[SimStats], Awaitable[None] | None] | None = None) -> None:
        self.client, self.cfg, self.p = client, cfg, cfg.params
        self.set_clock = set_clock
        self.on_tick = on_tick
        self.stats = SimStats()
        self.sem = asyncio.Semaphore(self.p.concurrency)
        self.events: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.tokens: dict[str, str] = {}
        self.first_link: dict[str, LinkInfo | None] = {}
        self.channel_of: dict[str, str] = {}
        self.start = datetime.now(UTC)
        self.plan: ShowPlan | None = None
        self.event_seq = 0

    # -- setup -----------------------------------------------------------------------------
    async def prepare(self) -> list[Action]:
        # The plan is read as the console operator: a connector token reads nothing.
        detail, self.plan = await load_show(self.client, self.cfg.session_id,
                                            self.cfg.console_headers or self.cfg.operator_headers)
        self.start = datetime.fromisoformat(detail["scheduled_start"]).astimezone(UTC)
        return plan_audience(self.plan, self.p, self.cfg.seed)

    async def run(self) -> SimStats:
        wall0 = time.monotonic()
        actions = await self.prepare()
        assert self.plan is not None
        warm = [a for a in actions if a.t < 0]
        show = [a for a in actions if a.t >= 0]
        if self.cfg.run_warmup:
            await self._warmup(warm)
        console = ConsoleScript(self.client, self.cfg.session_id, self.plan,
                                self.cfg.console_headers) if self.cfg.console_headers else None
        if console is not None:
            self._clock(0)
            await console.open()
        tick = float(self.p.tick_seconds)
        end = self.plan.duration_minutes * 60.0
        i, t, pace0 = 0, 0.0, time.monotonic()
        while t < end:
            self._clock(t)
            if console is not None:
                self.stats.alerts.extend(await console.at(t, tick))
            batch = []
            while i < len(show) and show[i].t < t + tick:
                batch.append(show[i])
                i += 1
            await self._play(batch)
            if len(self.events) >= self.p.event_batch or int(t) % 60 == 0:
                await self._flush()
            t += tick
            self.stats.show_seconds = t
            if self.on_tick is not None:
                maybe = self.on_tick(self.stats)
                if maybe is not None:
                    await maybe
            if self.cfg.speed > 0:  # keep show time at `speed` × wall time
                ahead = t / self.cfg.speed - (time.monotonic() - pace0)
                if ahead > 0:
                    await asyncio.sleep(ahead)
        self._clock(end)
        await self._flush()
        if console is not None:
            await console.close()
        self.stats.wall_seconds = time.monotonic() - wall0
        return self.stats

    def _clock(self, t: float) -> None:
        if self.set_clock is not None:
            self.set_clock(self.start + timedelta(seconds=t))

    def _token(self, buyer: str) -> dict[str, str]:
        token = self.tokens.get(buyer)
        if token is None:
            token = issue_buyer_jwt(buyer, self.cfg.buyer_secret, datetime.now(UTC),
                                    ttl=timedelta(hours=12))  # wall time: the run takes minutes
            self.tokens[buyer] = token
        return {"Authorization": f"Bearer {token}"}

    async def _request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        async with self.sem:
            r = await self.client.request(method, url, **kw)
        self.stats.requests += 1
        if r.status_code >= 400:
            try:
                code = r.json().get("code", "error")
            except ValueError:
                code = "not_json"
            self.stats.answers[f"{r.status_code} {code}"] += 1
            if r.status_code == 404 and code == "not_found":  # the route itself is missing
                path = url.split("?")[0]
                if path not in self.stats.missing_routes:
                    log.warning("simulator: %s %s is not served (404)", method, path)
                self.stats.missing_routes.add(path)
        return r

    # -- warm-up ---------------------------------------------------------------------------
    async def _warmup(self, actions: list[Action]) -> None:
        """Reservations in time order; the server's clock (when we hold it) follows."""
        sid = self.cfg.session_id
        for k in range(0, len(actions), 200):
            chunk = actions[k:k + 200]
            self._clock(chunk[0].t)

            async def one(a: Action) -> None:
                link = a.data.get("link")
                r = await self._request("POST", f"/api/v1/sessions/{sid}/reservations",
                                        headers=self._token(a.buyer),
                                        json={"link_code": link.code if link else None})
                # The reservation is recorded by the server; tracking events are taken
                # only once the show is live (no faked data before or after it).
                if r.status_code == 200:
                    self.stats.reservations += 1

            await asyncio.gather(*(one(a) for a in chunk))

    # -- the show --------------------------------------------------------------------------
    async def _play(self, batch: list[Action]) -> None:
        calls = []
        for a in batch:
            if a.kind == "enter":
                self.channel_of[a.buyer] = a.data["channel"]
                self.first_link.setdefault(a.buyer, a.data.get("link"))
                self.stats.viewers += 1
                self.stats.online += 1
                self.stats.peak_online = max(self.stats.peak_online, self.stats.online)
            elif a.kind == "leave":
                self.stats.online -= 1
            if a.kind in ("buy", "flash"):
                calls.append(self._buy(a) if a.kind == "buy" else self._flash(a))
                continue
            if a.kind == "comment":
                self.comments.append({"buyer_id": a.buyer, "text": a.data["text"],
                                      "nickname": nickname(random.Random(a.buyer))})
            props: dict[str, Any] = {}
            if a.kind == "leave":
                props["dwell_seconds"] = a.data["dwell"]
            elif a.kind == "like":
                props["count"] = a.data["count"]
            elif a.kind == "comment":
                props["intent"] = a.data["intent"]
            self._event(a.buyer, EVENT_KINDS[a.kind], a.t, sku=a.data.get("sku"),
                        channel=a.data.get("channel"), link=a.data.get("link"), props=props)
        if calls:
            await asyncio.gather(*calls)

    def _event(self, buyer: str, kind: str, t: float, sku: str | None = None,
               channel: str | None = None, link: LinkInfo | None = None,
               props: dict[str, Any] | None = None) -> None:
        self.event_seq += 1
        channel = channel or self.channel_of.get(buyer, "")
        link = link or self.first_link.get(buyer)
        event: dict[str, Any] = {
            "event_id": f"sim-{self.cfg.seed}-{self.cfg.session_id[-10:]}-{self.event_seq:07d}",
            "type": kind, "buyer_id": buyer,
            "ts": (self.start + timedelta(seconds=t)).isoformat(), "channel": channel,
            "props": dict(props or {})}
        if sku:
            event["sku_id"] = sku
        if link is not None:
            event.update(link.utm)
            event["props"]["lc"] = link.code
        self.events.append(event)

    async def _flush(self) -> None:
        sid = self.cfg.session_id
        while self.events:
            chunk, self.events = self.events[:1000], self.events[1000:]
            r = await self._request("POST", f"/api/v1/sessions/{sid}/events",
                                    headers=self.cfg.operator_headers, json={"events": chunk})
            if r.status_code == 200:
                body = r.json()
                self.stats.events_sent += body["accepted"]
                self.stats.events_rejected += len(body["rejected"])
                for rej in body["rejected"][:3]:
                    log.warning("simulator: event rejected: %s", rej)
        if self.comments:
            chunk, self.comments = self.comments[:1000], self.comments[1000:]
            r = await self._request("POST", f"/api/v1/sessions/{sid}/comments",
                                    headers=self.cfg.operator_headers, json={"comments": chunk})
            if r.status_code == 202:
                self.stats.comments_sent += len(chunk)

    def _utm(self, buyer: str) -> dict[str, str] | None:
        link = self.first_link.get(buyer)
        return dict(link.utm) if link else None

    async def _buy(self, a: Action) -> None:
        sid, headers = self.cfg.session_id, self._token(a.buyer)
        coupons = []
        if a.data.get("coupon"):
            r = await self._request("POST", f"/api/v1/coupons/{a.data['coupon']}/claim",
                                    headers=headers)
            if r.status_code == 200:
                coupons.append(a.data["coupon"])
                self._event(a.buyer, "coupon_claim", a.t, props={"coupon_id": a.data["coupon"]})
        r = await self._request(
            "POST", f"/api/v1/sessions/{sid}/orders",
            headers={**headers, "Idempotency-Key": f"{a.buyer}-{a.seq}"},
            json={"items": [{"sku_id": a.data["sku"], "quantity": 1}], "coupon_ids": coupons,
                  "channel": a.data["channel"], "utm": self._utm(a.buyer)})
        if r.status_code == 201:
            await self._pay(a, r.json())

    async def _flash(self, a: Action) -> None:
        self.stats.flash_attempts += 1
        r = await self._request(
            "POST", f"/api/v1/flash-sales/{a.data['flash_id']}/purchases",
            headers={**self._token(a.buyer), "Idempotency-Key": f"{a.buyer}-{a.seq}"},
            json={"quantity": 1, "channel": a.data["channel"], "utm": self._utm(a.buyer)})
        if r.status_code == 201:
            self.stats.flash_won += 1
            price = next((f.price_fen for f in self.plan.flash_sales
                          if f.flash_id == a.data["flash_id"]), 0) if self.plan else 0
            await self._pay(a, {**r.json(), "total_fen": price})

    async def _pay(self, a: Action, order: dict[str, Any]) -> None:
        self.stats.orders += 1
        oid = order["order_id"]
        amount = order.get("total_fen")
        self._event(a.buyer, "order", a.t, sku=a.data.get("sku"),
                    props={"order_id": oid, **({"amount_fen": amount} if amount else {})})
        outcomes = ["fail", "success"] if a.data["fail_first"] else ["success"]
        if a.data["fail_first"] and not a.data["retry_ok"]:
            outcomes = ["fail"]
        for outcome in outcomes:
            r = await self._request("POST", f"/api/v1/orders/{oid}/pay",
                                    headers=self._token(a.buyer),
                                    json={"method": "wechat", "sandbox_outcome": outcome})
            if r.status_code == 200:
                self.stats.paid_orders += 1
                self.stats.gmv_fen += int(amount or 0)
                self._event(a.buyer, "pay", a.t + 8, sku=a.data.get("sku"),
                            props={"order_id": oid})
                return
            self.stats.payment_failures += 1
            self._event(a.buyer, "payment_failure", a.t + 5, sku=a.data.get("sku"),
                        props={"order_id": oid, "status": r.status_code})
