"""Every path a price takes to a viewer passes one guard (issue 8 §1), through HTTP on
SQLite and PostgreSQL: each bypass found from outside, refused; the audited override."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from liveroom.adapters.sql import schema as t
from tests import factories as f
from tests.integration.test_orders import buyer, coupon, listed_shop, order, remedied

PAN = {"name": "麦饭石不粘锅", "price_fen": 19900, "cost_fen": 8000}
OVERRIDE = {"override": True, "override_reason": "清仓亏本冲量，老板批准"}


def _flash(client: Any, headers: dict[str, str], sid: str, sku: str, price: int,
           **extra: Any) -> Any:
    return client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=headers,
                       json={"sku_id": sku, "price_fen": price, "quantity": 10, **extra})


def _audit(client: Any, tokens: Any, sid: str) -> list[dict[str, Any]]:
    return client.get(f"/api/v1/sessions/{sid}/audit?limit=200",
                      headers=tokens["admin"]).json()["items"]


def _raise_cost(container: Any, sku: str, cost_fen: int) -> None:
    """A catalogue import raises the cost behind the show's back."""
    with container.engine.begin() as conn:
        conn.execute(update(t.skus).where(t.skus.c.id == sku).values(cost_fen=cost_fen))


def test_a_flash_sale_below_cost_is_refused_with_the_sku_named(client, tokens, container):
    # given a live show selling the pan (cost ¥80) at ¥199, 500 in stock
    sid, sku = f.live_session_with(client, tokens, **PAN)
    for price in (990, 1):  # ¥9.90 and ¥0.01
        # when the console creates a flash sale at that price
        r = _flash(client, tokens["console"], sid, sku, price)
        # then it is refused, naming the product, the SKU, the rule, the price and the cost
        assert r.status_code == 422 and r.json()["code"] == "price_below_cost", r.text
        d = r.json()["details"]
        assert (d["sku_id"], d["product_name"], d["spec"], d["rule"]) == \
            (sku, "麦饭石不粘锅", "默认", "flash")
        assert (d["price_fen"], d["lowest_fen"], d["cost_fen"], d["limit_fen"]) == \
            (price, price, 8000, 8000)
        assert d["sku_code"].startswith("SKU-")
    # and nothing was created or taken from stock
    assert client.get(f"/api/v1/sessions/{sid}/flash-sales",
                      headers=tokens["host"]).json()["items"] == []
    lineup = client.get(f"/api/v1/sessions/{sid}/lineup", headers=tokens["host"]).json()
    assert lineup["items"][0]["stock"] == 500


def test_the_override_is_for_ops_and_admin_with_a_reason_and_audited(client, tokens):
    # (flash sales are the console's and the admin's: ops create none)
    sid, sku = f.live_session_with(client, tokens, **PAN)
    assert _flash(client, tokens["console"], sid, sku, 990, **OVERRIDE).status_code == 403
    r = _flash(client, tokens["admin"], sid, sku, 990, override=True)
    assert r.json()["code"] == "override_reason_required"
    r = _flash(client, tokens["admin"], sid, sku, 990, **OVERRIDE)
    assert r.status_code == 201, r.text
    entry = next(a for a in _audit(client, tokens, sid)
                 if a["action"] == "console.price_override")
    assert entry["actor_name"] == "admin-user"
    assert entry["override_reason"] == OVERRIDE["override_reason"]
    assert entry["after"]["lowest_fen"] == 990
    assert entry["after"]["violations"][0]["code"] == "price_below_cost"
    # the overridden sale starts, and an override covers only as low as it accepted
    assert client.post(f"/api/v1/flash-sales/{r.json()['id']}/start",
                       headers=tokens["console"]).status_code == 200
    assert _flash(client, tokens["console"], sid, sku, 500).json()["code"] == \
        "price_below_cost"


def test_a_fixed_coupon_larger_than_the_price_is_refused_at_creation(client, tokens):
    # given a listed ¥199 pan (cost ¥80)
    sid, sku = listed_shop(client, tokens, **PAN)
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price", headers=tokens["console"],
                json={"price_fen": 19900})
    for scope in ({"sku_id": sku}, {}):  # for the pan, or for the whole order
        # when the console creates a ¥200 立减 coupon
        r = client.post(f"/api/v1/sessions/{sid}/coupons", headers=tokens["console"], json={
            "name": "立减200", "kind": "fixed", "discount_fen": 20000, "total": 10,
            "issue_now": True, **scope})
        # then it is refused, naming the SKU it would give away
        assert r.status_code == 422 and r.json()["code"] == "price_below_cost", r.text
        d = r.json()["details"]
        assert (d["sku_id"], d["rule"], d["lowest_fen"], d["cost_fen"]) == \
            (sku, "coupon", 0, 8000)
    assert client.get(f"/api/v1/sessions/{sid}/coupons",
                      headers=tokens["host"]).json()["items"] == []


def test_a_coupon_that_keeps_above_cost_passes_and_orders_price_as_before(client, tokens,
                                                                          container):
    sid, sku = listed_shop(client, tokens, **PAN)
    cid = coupon(client, tokens, sid, name="满200减30", kind="threshold", discount_fen=3000,
                 threshold_fen=20000)
    amy = buyer(container, "amy")
    assert client.post(f"/api/v1/coupons/{cid}/claim", headers=amy).status_code == 200
    r = order(client, sid, amy, "k1", items=[{"sku_id": sku, "quantity": 2}], coupon_ids=[cid])
    assert r.status_code == 201 and r.json()["total_fen"] == 24000 - 3000


def test_an_order_line_below_cost_is_refused_at_the_last_check(client, tokens, container):
    # given a listed pan at ¥120 with a 立减¥30 coupon, both fine at a cost of ¥80
    sid, sku = listed_shop(client, tokens, **PAN)
    cid = coupon(client, tokens, sid, name="立减30", kind="fixed", discount_fen=3000)
    amy = buyer(container, "amy")
    client.post(f"/api/v1/coupons/{cid}/claim", headers=amy)
    # when the cost is raised to ¥100 behind the show's back
    _raise_cost(container, sku, 10000)
    # then an order that would sell one pan at ¥90 is refused, and stock is untouched
    r = order(client, sid, amy, "k1", items=[{"sku_id": sku, "quantity": 1}], coupon_ids=[cid])
    assert (r.status_code, r.json()["code"]) == (409, "order_below_cost")
    assert r.json()["details"]["sku_id"] == sku and r.json()["details"]["cost_fen"] == 10000
    # and without the coupon the same order goes through
    r = order(client, sid, amy, "k2", items=[{"sku_id": sku, "quantity": 1}])
    assert r.status_code == 201, r.text


def test_an_overridden_coupon_lets_its_orders_through(client, tokens, container):
    sid, sku = listed_shop(client, tokens, **PAN)
    r = client.post(f"/api/v1/sessions/{sid}/coupons", headers=tokens["ops"], json={
        "name": "立减50", "kind": "fixed", "discount_fen": 5000, "total": 10,
        "issue_now": True, **OVERRIDE})
    assert r.status_code == 201 and "price_below_cost" in r.json()["overridden"], r.text
    amy = buyer(container, "amy")
    client.post(f"/api/v1/coupons/{r.json()['id']}/claim", headers=amy)
    r = order(client, sid, amy, "k1", items=[{"sku_id": sku, "quantity": 1}],
              coupon_ids=[r.json()["id"]])
    assert r.status_code == 201 and r.json()["total_fen"] == 7000


def test_a_planned_lineup_below_cost_is_refused_not_warned(client, tokens):
    # given a planned show
    p = f.product(client, tokens["ops"], **PAN)
    sid = f.session(client, tokens["ops"])
    url = f"/api/v1/sessions/{sid}/lineup"
    # when ops plan the pan at ¥70
    r = client.put(url, headers=tokens["ops"],
                   json={"items": [{"sku_id": p["sku_id"], "live_price_fen": 7000}]})
    # then it is refused (it used to be a warning, and went live at ¥70)
    assert r.status_code == 422 and r.json()["code"] == "price_below_cost"
    assert r.json()["details"]["rule"] == "live"
    assert client.get(url, headers=tokens["host"]).json()["items"] == []
    # and with an audited override it is planned, goes live and is listed
    r = client.put(url, headers=tokens["ops"], json={
        "items": [{"sku_id": p["sku_id"], "live_price_fen": 7000}], **OVERRIDE})
    assert r.status_code == 200, r.text
    assert client.post(f"/api/v1/sessions/{sid}/start",
                       headers=tokens["console"]).status_code == 200
    assert client.post(f"/api/v1/sessions/{sid}/skus/{p['sku_id']}/list",
                       headers=tokens["console"]).status_code == 200


def test_a_planned_price_change_with_a_slipped_digit_is_refused(client, tokens):
    p = f.product(client, tokens["ops"], name="保温杯", price_fen=19900, cost_fen=500)
    sid = f.session(client, tokens["ops"], max_price_drop_pct=95)
    url = f"/api/v1/sessions/{sid}/lineup"
    assert client.put(url, headers=tokens["ops"], json={
        "items": [{"sku_id": p["sku_id"], "live_price_fen": 19900}]}).status_code == 200
    r = client.put(url, headers=tokens["ops"],
                   json={"items": [{"sku_id": p["sku_id"], "live_price_fen": 1990}]})
    assert r.status_code == 422 and r.json()["code"] == "price_digit_slip"
    assert client.get(url, headers=tokens["host"]).json()["items"][0]["live_price_fen"] == 19900


def test_a_ladder_step_below_cost_is_refused(client, tokens):
    sid, sku = f.live_session_with(client, tokens, **PAN)
    r = client.post(f"/api/v1/sessions/{sid}/ladders", headers=tokens["console"], json={
        "sku_id": sku, "steps": [{"after_sold": 0, "price_fen": 15900},
                                 {"after_sold": 100, "price_fen": 7900}]})
    assert r.status_code == 422 and r.json()["code"] == "price_below_cost"
    assert r.json()["details"]["rule"] == "ladder" and r.json()["details"]["price_fen"] == 7900


def test_go_live_listing_and_a_flash_start_check_again(client, tokens, container):
    # given a planned pan at ¥199 with a flash sale at ¥99, sound at a cost of ¥80
    p = f.product(client, tokens["ops"], **PAN)
    sku = p["sku_id"]
    sid = f.session(client, tokens["ops"])
    client.put(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"],
               json={"items": [{"sku_id": sku, "live_price_fen": 19900}]})
    fid = _flash(client, tokens["console"], sid, sku, 9900).json()["id"]
    # when the cost rises to ¥120, go-live is refused on the flash price
    _raise_cost(container, sku, 12000)
    r = client.post(f"/api/v1/sessions/{sid}/start", headers=tokens["console"])
    assert r.status_code == 422 and r.json()["details"]["rule"] == "flash"
    # and with the flash sale's price within an override, the show starts
    _raise_cost(container, sku, 8000)
    assert client.post(f"/api/v1/sessions/{sid}/start",
                       headers=tokens["console"]).status_code == 200
    _raise_cost(container, sku, 12000)
    # then starting the flash sale and listing the pan are checked again too
    r = client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    assert r.status_code == 422 and r.json()["code"] == "price_below_cost"
    _raise_cost(container, sku, 20000)
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    assert r.status_code == 422 and r.json()["details"]["rule"] == "live"


def test_a_price_change_under_an_issued_coupon_is_refused(client, tokens):
    sid, sku = listed_shop(client, tokens, **PAN)
    coupon(client, tokens, sid, name="立减30", kind="fixed", discount_fen=3000)
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price", headers=tokens["console"],
                    json={"price_fen": 9900})
    assert r.status_code == 422 and r.json()["details"]["rule"] == "coupon"
    assert r.json()["details"]["lowest_fen"] == 6900


def test_an_oversell_compensation_is_a_remedy_not_a_price(client, tokens, container):
    # given a buyer compensated with a coupon for an oversold pan (cost ¥80, live ¥120)
    sid, sku = listed_shop(client, tokens, **PAN)
    gus = buyer(container, "gus")
    r = remedied(client, tokens["cs"], sid, sku, gus, "compensation")
    _raise_cost(container, sku, 11900)
    # when he uses it, the order goes through although the pan's line nets below cost
    r = order(client, sid, gus, "use", items=[{"sku_id": sku, "quantity": 1}],
              coupon_ids=[r.json()["coupon_id"]])
    assert r.status_code == 201, r.text
    # and the console's prices are judged without it
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price", headers=tokens["console"],
                    json={"price_fen": 11900})
    assert r.status_code == 200, r.text
