"""A flash-sale burst against a real server while something breaks, and the figures that
docs/reliability.md reports: confirmed 201s vs stored orders vs `sold`, what buyers saw,
how long until buyers were served again."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from liveroom.adapters.sql.schema import flash_sales
from liveroom.adapters.sql.schema_orders import orders
from liveroom.identity.model import issue_buyer_jwt
from tests.servers import LIVEROOM


def setup_sale(base: str, admin: dict[str, str], quantity: int) -> str:
    """A live session with one flash sale of `quantity` units, started; its id."""
    return live_sale(base, admin, quantity)["fid"]


def live_sale(base: str, admin: dict[str, str], quantity: int) -> dict[str, str]:
    """A product, a live session selling it, a started flash sale: their ids."""
    with httpx.Client(base_url=base + "/api/v1", headers=admin, timeout=60) as c:
        product = c.post("/products", json={
            "name": "锅", "category": "厨具", "tier": "traffic",
            "skus": [{"code": "K9", "price_fen": 9900, "cost_fen": 100, "stock": 100_000}],
        }).json()
        sku = product["skus"][0]["id"]
        sid = c.post("/sessions", json={"title": "k9", "duration_minutes": 60,
                                        "scheduled_start": datetime.now(UTC).isoformat()}
                     ).json()["id"]
        c.put(f"/sessions/{sid}/lineup", json={"items": [{"sku_id": sku,
                                                          "live_price_fen": 5900}]})
        c.post(f"/sessions/{sid}/start").raise_for_status()
        fid = c.post(f"/sessions/{sid}/flash-sales", json={
            "sku_id": sku, "price_fen": 4900, "quantity": quantity, "per_buyer_limit": 1,
        }).json()["id"]
        c.post(f"/flash-sales/{fid}/start").raise_for_status()
        return {"product_id": product["id"], "sku_id": sku, "sid": sid, "fid": fid}


def admin_token(env: dict[str, str], name: str) -> dict[str, str]:
    token = subprocess.run([LIVEROOM, "user", "add", name, "--role", "admin"], env=env,
                           capture_output=True, text=True, check=True).stdout.split()[-1]
    return {"Authorization": f"Bearer {token}"}


def assert_nothing_lost(tally: Tally, engine: Engine, fid: str, quantity: int) -> None:
    """Every confirmed order stored once, sold agrees, never oversold, no 500, sold out."""
    rows, distinct, per_buyer, sold = stored(engine, fid)
    assert set(tally.confirmed.values()) <= order_ids(engine, fid)  # none lost
    assert rows == distinct == sold <= quantity  # none twice, never oversold
    assert per_buyer == 1
    assert tally.seen["5xx"] == 0  # buyers saw 201, 409 or 503 (try again), no 500
    assert len(tally.confirmed) == quantity  # after the fault the sale sold out


def buyer_tokens(secret: str, n: int) -> list[str]:
    now = datetime.now(UTC)
    return [issue_buyer_jwt(f"b{i}", secret, now, timedelta(hours=1)) for i in range(n)]


@dataclass
class Tally:
    """What buyers saw. A buyer who gets 503 or no answer retries with the same key, as the
    app does; `recovered_s` is from the end of the fault to the first 201 after it."""

    confirmed: dict[str, str] = field(default_factory=dict)  # buyer -> order id
    seen: Counter[str] = field(default_factory=Counter)
    fault_start: float | None = None
    fault_end: float | None = None
    first_201_after: float | None = None
    last_failure: float | None = None

    def record(self, buyer: str, status: str, order_id: str | None) -> None:
        now = time.monotonic()
        self.seen[status] += 1
        if order_id is not None:
            # the same key must keep naming the same order, through any fault
            assert self.confirmed.setdefault(buyer, order_id) == order_id
            if self.fault_end is not None and self.first_201_after is None:
                self.first_201_after = now
        if status in ("503", "no answer", "5xx"):
            self.last_failure = now

    @property
    def recovered_s(self) -> float | None:
        if self.fault_end is None or self.first_201_after is None:
            return None
        return round(max(0.0, self.first_201_after - self.fault_end), 2)


async def burst(base: str, fid: str, tokens: list[str], tally: Tally, *,
                concurrency: int = 32, deadline_s: float = 60.0) -> None:
    """Every buyer tries to buy one unit until answered 201/409 (or the deadline)."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(tokens)):
        queue.put_nowait(i)
    end = time.monotonic() + deadline_s

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty() and time.monotonic() < end:
            i = queue.get_nowait()
            try:
                r = await client.post(f"/api/v1/flash-sales/{fid}/purchases",
                                      json={"quantity": 1},
                                      headers={"Authorization": f"Bearer {tokens[i]}",
                                               "Idempotency-Key": f"f-{i}"})
            except httpx.HTTPError:
                tally.record(f"b{i}", "no answer", None)
                queue.put_nowait(i)
                await asyncio.sleep(0.05)
                continue
            status = "5xx" if r.status_code >= 500 and r.status_code != 503 else \
                str(r.status_code)
            tally.record(f"b{i}", status, r.json()["order_id"] if r.status_code == 201
                         else None)
            if r.status_code >= 500:
                queue.put_nowait(i)  # try again later, same key
                await asyncio.sleep(0.05)

    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))


async def burst_with_fault(base: str, fid: str, tokens: list[str], tally: Tally,
                           after_confirmed: int, fault: Callable[[], Awaitable[None]],
                           mend: Callable[[], Awaitable[None]], outage_s: float = 1.0
                           ) -> None:
    """The burst; once `after_confirmed` buyers have a 201, fault(), outage_s, mend()."""
    task = asyncio.create_task(burst(base, fid, tokens, tally))
    while len(tally.confirmed) < after_confirmed and not task.done():
        await asyncio.sleep(0.005)
    tally.fault_start = time.monotonic()
    await fault()
    await asyncio.sleep(outage_s)
    await mend()
    tally.fault_end = time.monotonic()
    await task


def stored(engine: Engine, fid: str) -> tuple[int, int, int, int]:
    """(order rows, distinct order ids, most rows of one buyer, sold) of a sale."""
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(orders.c.id)
                                          .where(orders.c.flash_sale_id == fid))]
        per_buyer = conn.execute(select(func.count()).select_from(orders)
                                 .where(orders.c.flash_sale_id == fid)
                                 .group_by(orders.c.buyer_id)
                                 .order_by(func.count().desc()).limit(1)).scalar() or 0
        sold = conn.execute(select(flash_sales.c.sold)
                            .where(flash_sales.c.id == fid)).scalar_one()
    return len(ids), len(set(ids)), int(per_buyer), int(sold)


def order_ids(engine: Engine, fid: str) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(select(orders.c.id)
                                           .where(orders.c.flash_sale_id == fid))}


def report(name: str, tally: Tally, engine: Engine, fid: str, quantity: int,
           **extra: Any) -> dict[str, Any]:
    """The figures of one run; appended to $LIVEROOM_FAULT_FIGURES (JSON lines) if set."""
    rows, _, _, sold = stored(engine, fid)
    figures = {"fault": name, "quantity": quantity, "confirmed_201": len(tally.confirmed),
               "stored_orders": rows, "sold": sold, "buyers_saw": dict(tally.seen),
               "recovered_s": tally.recovered_s, **extra}
    print(json.dumps(figures, ensure_ascii=False))
    out = os.environ.get("LIVEROOM_FAULT_FIGURES")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(figures, ensure_ascii=False) + "\n")
    return figures
