"""Flash sales through HTTP on every stock back-end: the contract, idempotency, limits,
expiry returning stock, and many buyers racing for the last units."""

from __future__ import annotations

import itertools
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.test_flash_fixtures import (
    buyer,
    db_truth,
    flush,
    operators,
    running_sale,
    shop,
)

__all__ = ["shop"]
_keys = itertools.count()


def buy(tc, fid, headers, qty=1, key=None):  # type: ignore[no-untyped-def]
    return tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": qty},
                   headers={**headers, "Idempotency-Key": key or f"k{next(_keys)}"})


def test_purchase_contract(shop) -> None:  # type: ignore[no-untyped-def]
    # given a started flash sale of 2 units, 1 per buyer
    c, tc = shop
    tokens = operators(c)
    _, sku, fid = running_sale(c, tc, tokens, quantity=2)
    alice, bob, carol = (buyer(c, n) for n in ("alice", "bob", "carol"))
    # when / then
    first = buy(tc, fid, alice, key="a-1")
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "reserved" and first.json()["expires_at"]
    again = buy(tc, fid, alice, key="a-1")
    assert (again.status_code, again.json()) == (201, first.json())
    over = buy(tc, fid, alice, key="a-2")
    assert (over.status_code, over.json()["code"]) == (409, "limit_exceeded")
    assert buy(tc, fid, bob).status_code == 201
    gone = buy(tc, fid, carol, key="c-1")
    assert (gone.status_code, gone.json()["code"]) == (409, "sold_out")
    assert buy(tc, fid, carol, key="c-1").json() == gone.json()
    missing = tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                      headers=carol)
    assert (missing.status_code, missing.json()["code"]) == (400, "idempotency_key_required")
    view = tc.get(f"/api/v1/flash-sales/{fid}").json()
    assert (view["quantity"], view["sold"], view["remaining"]) == (2, 2, 0)
    assert view["sku_id"] == sku and view["per_buyer_limit"] == 1
    flush(c, tc)
    assert db_truth(c, fid)[0] == 2


def test_not_started_and_stopped_sales_refuse(shop) -> None:  # type: ignore[no-untyped-def]
    c, tc = shop
    tokens = operators(c)
    _, sku, fid = running_sale(c, tc, tokens, quantity=5)
    tc.post(f"/api/v1/flash-sales/{fid}/stop", headers=tokens["console"])
    r = buy(tc, fid, buyer(c, "dan"))
    assert (r.status_code, r.json()["code"]) == (409, "not_started")
    assert r.json()["details"]["status"] == "stopped"
    tc.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    assert buy(tc, fid, buyer(c, "dan")).status_code == 201


def test_unpaid_reservation_expires_and_stock_returns(shop, clock) -> None:  # type: ignore[no-untyped-def]
    c, tc = shop
    tokens = operators(c)
    _, _, fid = running_sale(c, tc, tokens, quantity=1)
    first = buy(tc, fid, buyer(c, "erin"))
    assert first.status_code == 201
    assert buy(tc, fid, buyer(c, "finn")).json()["code"] == "sold_out"
    flush(c, tc)
    # when the reservation lapses and the sweeper runs
    clock.advance(minutes=16)
    assert tc.portal.call(c.order_work.sweep_once) == 1
    # then the unit is back on sale and the late payer is refused
    assert tc.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 1
    late = tc.post(f"/api/v1/orders/{first.json()['order_id']}/pay", headers=buyer(c, "erin"))
    assert (late.status_code, late.json()["code"]) == (409, "invalid_order_state")
    assert buy(tc, fid, buyer(c, "finn")).status_code == 201
    flush(c, tc)
    sold, rows = db_truth(c, fid)
    assert sold == 1 and Counter(r.status for r in rows) == {"expired": 1, "reserved": 1}


def test_pay_then_cancel_rules(shop) -> None:  # type: ignore[no-untyped-def]
    c, tc = shop
    tokens = operators(c)
    _, _, fid = running_sale(c, tc, tokens, quantity=3)
    gina = buyer(c, "gina")
    oid = buy(tc, fid, gina).json()["order_id"]
    failed = tc.post(f"/api/v1/orders/{oid}/pay", headers=gina,
                     json={"sandbox_outcome": "fail"})
    assert (failed.status_code, failed.json()["code"]) == (402, "payment_failed")
    paid = tc.post(f"/api/v1/orders/{oid}/pay", headers=gina, json={"method": "alipay"})
    assert (paid.status_code, paid.json()["status"]) == (200, "paid")
    assert tc.post(f"/api/v1/orders/{oid}/pay", headers=gina).json()["status"] == "paid"
    assert tc.post(f"/api/v1/orders/{oid}/cancel", headers=gina).status_code == 409
    other = buy(tc, fid, buyer(c, "hank")).json()["order_id"]
    assert tc.post(f"/api/v1/orders/{other}/cancel", headers=gina).status_code == 404
    assert tc.post(f"/api/v1/orders/{other}/cancel", headers=buyer(c, "hank")).status_code \
        == 200
    assert tc.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 2
    refund = tc.post(f"/api/v1/orders/{oid}/refund", headers=tokens["cs"])
    assert (refund.status_code, refund.json()["status"]) == (200, "refunded")
    assert tc.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 3
    sold, rows = db_truth(c, fid)
    assert sold == 0 and {r.status for r in rows} == {"refunded", "cancelled"}


@pytest.mark.parametrize("stock", [1, 100])
def test_racing_buyers_never_oversell(shop, stock: int) -> None:  # type: ignore[no-untyped-def]
    # given a sale and ten times as many distinct buyers, each pressing buy twice
    c, tc = shop
    tokens = operators(c)
    _, _, fid = running_sale(c, tc, tokens, quantity=stock, limit=1)
    buyers = [buyer(c, f"b{i}") for i in range(stock * 10)]
    attempts = [b for b in buyers for _ in range(2)]
    # when they all race
    with ThreadPoolExecutor(max_workers=48) as pool:
        answers = list(pool.map(lambda h: buy(tc, fid, h), attempts))
    # then exactly the stock is sold, nobody over the limit, no 5xx
    codes = Counter(r.status_code for r in answers)
    assert not [s for s in codes if s >= 500], codes
    won = [r.json()["order_id"] for r in answers if r.status_code == 201]
    assert len(won) == stock == len(set(won))
    assert {r.json()["code"] for r in answers if r.status_code == 409} <= {
        "sold_out", "limit_exceeded"}
    flush(c, tc)
    sold, rows = db_truth(c, fid)
    assert sold == stock
    assert sorted(r.id for r in rows) == sorted(won)  # each unit backed by exactly one row
    assert max(Counter(r.buyer_id for r in rows).values()) == 1
    assert tc.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 0


def test_an_overlong_channel_is_refused_and_sells_nothing(shop) -> None:  # type: ignore[no-untyped-def]
    # given a running sale (orders.channel is 32 wide; PostgreSQL would reject the whole
    # group-commit batch or jam the Redis order stream with such a row)
    c, tc = shop
    tokens = operators(c)
    _, _, fid = running_sale(c, tc, tokens, quantity=2)
    ivy = buyer(c, "ivy")
    # when a buyer sends a 33-character channel
    r = tc.post(f"/api/v1/flash-sales/{fid}/purchases",
                json={"quantity": 1, "channel": "x" * 33},
                headers={**ivy, "Idempotency-Key": "long-channel"})
    # then a 422 with a stable code, and the unit is still for sale
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    assert buy(tc, fid, ivy, key="ok").status_code == 201
    flush(c, tc)
    assert tc.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 1
