"""Redis back-end specifics: a small blocking pool under a burst still sells every unit
(a non-blocking pool would throw and leave units unsold); losing Redis is detected and the
counters are rebuilt from the database before anything else is sold."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
import redis
from redis.asyncio import Redis

from liveroom.adapters.redis.stock_redis import RedisKeys, RedisStockLedger, make_pool
from liveroom.adapters.redis.stock_redis_persist import StreamPersister
from liveroom.inventory.ledger import Held, PurchaseRequest
from liveroom.inventory.model import Outcome
from liveroom.orders import closing
from liveroom.orders.model import OrderStatus
from tests.conftest import REDIS_URL
from tests.integration.test_flash_fixtures import (
    buyer,
    db_truth,
    flush,
    operators,
    running_sale,
    shop,
)

__all__ = ["shop"]
REDIS_ONLY = [pytest.param(("redis", "sqlite"), id="redis-sqlite", marks=pytest.mark.redis)]


@pytest.mark.parametrize("shop", REDIS_ONLY, indirect=True)
def test_a_tiny_blocking_pool_sells_every_unit_in_a_burst(shop) -> None:  # type: ignore[no-untyped-def]
    # given 300 units and a pool of only 4 connections
    c, tc = shop
    _, _, fid = running_sale(c, tc, operators(c), quantity=300)

    async def burst() -> list[Outcome]:
        # two ledgers on one set of keys stand for two server processes: both find the
        # sale unloaded and race to build it while the other is already selling
        keys = RedisKeys("lr-pooltest")
        ledgers = []
        for _ in range(2):
            client = Redis(connection_pool=make_pool(REDIS_URL, max_connections=4, timeout=30))
            ledger = RedisStockLedger(client, c.engine, c.clock, 15, keys)
            ledger.persister = StreamPersister(client, c.engine, keys)
            ledger.persister.consumer += f"-{len(ledgers)}"
            await ledger.start()
            ledgers.append(ledger)
        try:
            # when 1,500 buyers press buy at the same instant
            replies = await asyncio.gather(*(
                ledgers[i % 2].reserve(PurchaseRequest(fid, f"p{i}", 1, f"pk{i}"))
                for i in range(1500)))
            for ledger in ledgers:
                await ledger.flush()
        finally:
            for ledger in ledgers:
                await ledger.stop()
        return [r.outcome for r in replies]

    outcomes = tc.portal.call(burst)  # type: ignore[union-attr]
    # then nothing failed and every unit sold, once
    assert Counter(outcomes) == {Outcome.RESERVED: 300, Outcome.SOLD_OUT: 1200}
    sold, rows = db_truth(c, fid)
    assert sold == len(rows) == 300


@pytest.mark.parametrize("shop", REDIS_ONLY, indirect=True)
def test_losing_redis_rebuilds_from_the_database(shop) -> None:  # type: ignore[no-untyped-def]
    c, tc = shop
    _, _, fid = running_sale(c, tc, operators(c), quantity=10)
    first = [tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                     headers={**buyer(c, f"x{i}"), "Idempotency-Key": f"x{i}"})
             for i in range(6)]
    assert [r.status_code for r in first] == [201] * 6
    flush(c, tc)
    # when Redis loses everything (a restart without persistence)
    redis.Redis.from_url(REDIS_URL).flushdb()
    # then a retried key still gets its first answer, and exactly the rest sells
    retry = tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                    headers={**buyer(c, "x0"), "Idempotency-Key": "x0"})
    assert (retry.status_code, retry.json()) == (201, first[0].json())
    assert tc.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 4
    more = [tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                    headers={**buyer(c, f"y{i}"), "Idempotency-Key": f"y{i}"})
            for i in range(8)]
    assert Counter(r.status_code for r in more) == {201: 4, 409: 4}
    again = tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                    headers={**buyer(c, "x1"), "Idempotency-Key": "another"})
    assert again.json()["code"] == "limit_exceeded"  # buyer counts were rebuilt too
    flush(c, tc)
    sold, rows = db_truth(c, fid)
    assert sold == len(rows) == 10
    assert c.stock.rebuilds >= 1


@pytest.mark.parametrize("shop", REDIS_ONLY, indirect=True)
def test_after_a_sell_out_replays_and_returned_units_still_answer_right(shop) -> None:  # type: ignore[no-untyped-def]
    # given a sale of one unit on Redis, sold out (the ledger then sends the cheap check)
    c, tc = shop
    _, _, fid = running_sale(c, tc, operators(c), quantity=1)

    def cancel(order_id: str) -> list[Held]:  # closed in the database first, as the app does
        with c.uow() as uow:
            held = closing.close(uow, closing.load(uow, order_id), OrderStatus.CANCELLED,
                                 c.clock.now())
            uow.commit()
        return held

    async def run() -> None:
        client = Redis(connection_pool=make_pool(REDIS_URL))
        keys = RedisKeys("lr-test-check")
        await client.delete(*keys.sale(fid))
        ledger = RedisStockLedger(client, c.engine, c.clock, 15, keys)
        ledger.persister = StreamPersister(client, c.engine, keys)
        await ledger.start()
        try:
            a = await ledger.reserve(PurchaseRequest(fid, "a", 1, "ka"))
            b = await ledger.reserve(PurchaseRequest(fid, "b", 1, "kb"))
            assert (a.outcome, b.outcome) == (Outcome.RESERVED, Outcome.SOLD_OUT)
            # when both keys are retried, each gets its first answer
            assert (await ledger.reserve(PurchaseRequest(fid, "b", 1, "kb"))).body == b.body
            assert (await ledger.reserve(PurchaseRequest(fid, "a", 1, "ka"))).body == a.body
            # and when the unit comes back, the next buyer gets it, and only one buyer
            await ledger.flush()
            await ledger.release(await asyncio.to_thread(cancel, a.body["order_id"]))
            got = await ledger.reserve(PurchaseRequest(fid, "c", 1, "kc"))
            late = await ledger.reserve(PurchaseRequest(fid, "d", 1, "kd"))
            assert (got.outcome, late.outcome) == (Outcome.RESERVED, Outcome.SOLD_OUT)
            assert await ledger.remaining(fid) == 0
            await ledger.flush()
        finally:
            await ledger.stop()
            await client.delete(*keys.sale(fid))

    asyncio.run(run())
