"""Promises made to buyers are kept: the unpaid reminder's "pay within 30 min, save ¥5"
comes off the charge, and an oversell compensation coupon is good in a later show."""

from __future__ import annotations

from typing import Any

from tests.integration.test_orders import buyer, listed_shop, order, remedied


def test_paying_within_the_reminder_window_takes_the_promised_incentive_off(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given an unpaid order whose reminder ("30 分钟内支付立减 ¥5") went out
    sid, sku = listed_shop(client, tokens, stock=5)
    kay = buyer(container, "kay")
    oid = order(client, sid, kay, "inc-1", items=[{"sku_id": sku, "quantity": 1}]
                ).json()["order_id"]
    clock.advance(minutes=11)
    client.portal.call(container.order_work.sweep_once)
    # when the buyer pays two minutes later
    clock.advance(minutes=2)
    r = client.post(f"/api/v1/orders/{oid}/pay", headers=kay)
    # then ¥5 came off what was charged, and the breakdown says why
    assert r.status_code == 200, r.text
    assert (r.json()["total_fen"], r.json()["incentive_fen"]) == (11500, 500)
    stored = client.get(f"/api/v1/orders/{oid}", headers=kay).json()
    assert stored["total_fen"] == 11500
    assert stored["breakdown"]["discounts"][-1]["kind"] == "pay_incentive"


def test_paying_without_a_reminder_pays_the_full_price(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    sid, sku = listed_shop(client, tokens, stock=5)
    lee = buyer(container, "lee")
    oid = order(client, sid, lee, "inc-2", items=[{"sku_id": sku, "quantity": 1}]
                ).json()["order_id"]
    r = client.post(f"/api/v1/orders/{oid}/pay", headers=lee)
    assert r.status_code == 200 and r.json()["total_fen"] == 12000


def test_an_oversell_compensation_coupon_is_usable_in_a_later_show(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given a buyer compensated with a coupon for an oversold order in one show
    sid, sku = listed_shop(client, tokens)
    mia = buyer(container, "mia")
    coupon_id = remedied(client, tokens["cs"], sid, sku, mia, "compensation").json()[
        "coupon_id"]
    # when she orders in a later show with that coupon
    later, later_sku = listed_shop(client, tokens)
    r: Any = order(client, later, mia, "later-1", items=[{"sku_id": later_sku, "quantity": 1}],
                   coupon_ids=[coupon_id])
    # then the coupon takes its amount off there
    assert r.status_code == 201, r.text
    assert r.json()["total_fen"] < 12000
    # and it is spent: a second order cannot use it again
    again = order(client, later, mia, "later-2", items=[{"sku_id": later_sku, "quantity": 1}],
                  coupon_ids=[coupon_id])
    assert again.status_code == 409
