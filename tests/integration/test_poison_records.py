"""A poisoned record hurts nobody else: among real buyers in one group commit every real
buyer is served; in the Redis order stream the writer goes on; the bad record is set aside
as a dead letter an operator can read (GET /api/v1/dead-letters), and nothing loops."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis

from liveroom.inventory.ledger import PurchaseRequest, UnstorableOrder
from liveroom.inventory.model import Outcome
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
BUYERS = 300
EVERY_LEDGER = [
    pytest.param(("memory", "sqlite"), id="memory-sqlite"),
    pytest.param(("memory", "postgres"), id="memory-postgres", marks=pytest.mark.postgres),
    pytest.param(("sql", "postgres"), id="sql-postgres", marks=pytest.mark.postgres),
    pytest.param(("redis", "sqlite"), id="redis-sqlite", marks=pytest.mark.redis),
]
REDIS_ONLY = [pytest.param(("redis", "sqlite"), id="redis-sqlite", marks=pytest.mark.redis)]


def dead_letters(tc: Any, ops: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    r = tc.get("/api/v1/dead-letters", headers=ops["admin"])
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def buy_over_http(c: Any, tc: Any, fid: str, bodies: list[str], who: str = "b") -> list[int]:
    def one(i: int) -> int:
        return int(tc.post(f"/api/v1/flash-sales/{fid}/purchases", content=bodies[i].encode(),
                           headers={**buyer(c, f"{who}{i}"), "Idempotency-Key": f"k{i}",
                                    "content-type": "application/json"}).status_code)
    with ThreadPoolExecutor(32) as pool:
        return list(pool.map(one, range(len(bodies))))


@pytest.mark.parametrize("shop", EVERY_LEDGER, indirect=True)
def test_a_poisoned_purchase_among_real_buyers_is_refused_and_they_all_buy(shop) -> None:  # type: ignore[no-untyped-def]
    # given a sale of 1,000 units and 300 buyers pressing buy at once over HTTP
    c, tc = shop
    _, _, fid = running_sale(c, tc, operators(c), quantity=1000)
    bodies = [json.dumps({"quantity": 1, "channel": "live"})] * BUYERS
    # when two of them send channels no column can hold (NUL, a lone surrogate)
    bodies[100] = json.dumps({"quantity": 1, "channel": "a\u0000b"})
    bodies[200] = json.dumps({"quantity": 1, "channel": "\ud800"})
    codes = buy_over_http(c, tc, fid, bodies)
    flush(c, tc)
    # then those two are refused at the door and every real buyer has an order
    assert (codes[100], codes[200]) == (422, 422)
    assert Counter(codes) == {201: BUYERS - 2, 422: 2}
    sold, rows = db_truth(c, fid)
    assert sold == len(rows) == BUYERS - 2


@pytest.mark.parametrize("shop", EVERY_LEDGER, indirect=True)
def test_a_poisoned_order_past_the_door_fails_alone_in_its_group_commit(shop) -> None:  # type: ignore[no-untyped-def]
    # given a running sale and 300 real buyers
    c, tc = shop
    ops = operators(c)
    _, _, fid = running_sale(c, tc, ops, quantity=1000)
    ledger = c.stock

    async def burst() -> list[Any]:
        # when an order the database refuses (a hole in some future door) is reserved in
        # the same instant, so that it lands in the same group commit
        reqs = [PurchaseRequest(fid, f"r{i}", 1, f"k{i}", channel="live")
                for i in range(BUYERS)]
        reqs.insert(BUYERS // 2, PurchaseRequest(fid, "mallory", 1, "bad", channel="\ud800"))
        out = await asyncio.gather(*(ledger.reserve(r) for r in reqs),
                                   return_exceptions=True)
        await ledger.flush()
        return out

    replies = tc.portal.call(burst)
    poisoned = replies.pop(BUYERS // 2)
    # then every real buyer got their order, stored
    assert all(not isinstance(r, BaseException) and r.outcome == Outcome.RESERVED
               for r in replies), [r for r in replies if isinstance(r, BaseException)][:3]
    sold, rows = db_truth(c, fid)
    assert len(rows) == BUYERS and sold == BUYERS
    # and the poisoned one was refused (or, on Redis, answered and then set aside) and
    # is visible to an operator with its reason, its units back on sale
    if c.settings.effective_stock_backend != "redis":
        assert isinstance(poisoned, UnstorableOrder)
    letters = dead_letters(tc, ops)
    assert len(letters) == 1 and "\\ud800" in letters[0]["payload"]
    assert letters[0]["reason"]
    assert tc.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 1000 - BUYERS


@pytest.mark.parametrize("shop", REDIS_ONLY, indirect=True)
def test_the_redis_order_writer_sets_poisoned_entries_aside_and_goes_on(shop) -> None:  # type: ignore[no-untyped-def]
    # given a running sale whose order stream already holds three poisoned entries
    c, tc = shop
    ops = operators(c)
    _, _, fid = running_sale(c, tc, ops, quantity=100)
    first = buy_over_http(c, tc, fid, [json.dumps({"quantity": 1})] * 5)
    stream = c.stock.keys.stream
    raw = redis.Redis.from_url(REDIS_URL)
    kept = raw.xrange(stream, count=1)  # one read: the writer may trim the stream meanwhile
    entry = json.loads(kept[0][1][b"o"]) if kept else None
    flush(c, tc)
    template = entry or {"id": "x", "sale_id": fid, "session_id": "s", "sku_id": "k",
                         "price_fen": 1, "buyer_id": "b", "quantity": 1,
                         "idempotency_key": "k", "created_at": "2026-11-27T10:00:00+00:00",
                         "expires_at": "2026-11-27T10:15:00+00:00"}
    raw.xadd(stream, {"o": b"{not json"})
    raw.xadd(stream, {"o": json.dumps({**template, "id": "poison-quantity",
                                       "quantity": "many"}).encode()})
    raw.xadd(stream, {"o": json.dumps({**template, "id": "poison-text",
                                       "idempotency_key": "p", "channel": "\ud800"}).encode()})
    # when real buyers keep buying after them
    later = buy_over_http(c, tc, fid, [json.dumps({"quantity": 1})] * 25, who="later")
    flush(c, tc)
    # then the writer went on: every real order is stored and can be paid
    assert first == [201] * 5 and later == [201] * 25
    _, rows = db_truth(c, fid)
    assert len(rows) == 30
    paid = tc.post(f"/api/v1/orders/{rows[-1].id}/pay", headers=buyer(c, rows[-1].buyer_id))
    assert paid.status_code == 200, paid.text
    # and the three poisoned entries are dead letters, gone from the stream
    letters = dead_letters(tc, ops)
    assert sorted(str(d["record_id"]) for d in letters) == ["None", "poison-quantity",
                                                            "poison-text"]
    assert all(d["source"] == "order_stream" for d in letters)
    assert raw.xlen(stream) == 0
    raw.close()


def test_dead_letters_are_for_admin_and_ops_only(client, tokens) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/dead-letters", headers=tokens["ops"]).status_code == 200
    assert client.get("/api/v1/dead-letters", headers=tokens["merchant"]).status_code == 403


@pytest.mark.parametrize("shop", EVERY_LEDGER, indirect=True)
def test_an_idempotency_key_is_scoped_to_the_buyer_and_the_sale(shop) -> None:  # type: ignore[no-untyped-def]
    # given two running sales, and a buyer who already bought in the first with key "1"
    c, tc = shop
    ops = operators(c)
    _, _, first = running_sale(c, tc, ops, quantity=10)
    _, _, second = running_sale(c, tc, ops, quantity=10)

    def buy(fid: str, who: str, key: str) -> Any:
        return tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                       headers={**buyer(c, who), "Idempotency-Key": key})

    old = buy(first, "ann", "1")
    # when she uses the same key in the new sale, and buyers "a:b"/"a" send keys "c"/"b:c"
    new = buy(second, "ann", "1")
    again = buy(second, "ann", "1")
    left, right = buy(first, "a:b", "c"), buy(first, "a", "b:c")
    flush(c, tc)
    # then the new sale gives her a new order (replayed on retry), not the old sale's
    assert old.status_code == new.status_code == 201, new.text
    assert new.json()["order_id"] != old.json()["order_id"]
    assert again.json()["order_id"] == new.json()["order_id"]
    # and keys of different buyers never collide, whatever separator their ids contain
    assert left.status_code == right.status_code == 201
    assert left.json()["order_id"] != right.json()["order_id"]
    assert db_truth(c, second)[0] == 1 and db_truth(c, first)[0] == 3


def test_a_live_order_key_is_scoped_to_the_show(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    # given a buyer who ordered in one live show with key "1"
    from tests.integration.test_orders import buyer as order_buyer
    from tests.integration.test_orders import listed_shop
    ann = order_buyer(container, "ann")
    orders = []
    for _ in range(2):
        sid, sku = listed_shop(client, tokens)
        # when she orders in a second show with the same key
        r = client.post(f"/api/v1/sessions/{sid}/orders", headers={**ann, "Idempotency-Key": "1"},
                        json={"items": [{"sku_id": sku, "quantity": 1}]})
        assert r.status_code == 201, r.text
        orders.append(r.json()["order_id"])
    # then it is a second order, not the first show's order again
    assert orders[0] != orders[1]
