"""Live (non-flash) orders end to end: coupons and pricing, stock, payment and its signed
callback, expiry, exports with masking, shipping, reminders, safety stock, remedies."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_orders import order_notifications
from liveroom.identity.model import issue_buyer_jwt
from liveroom.orders import closing
from tests.conftest import auth
from tests.factories import live_session_with

CONTACT = {"name": "张三", "phone": "13812345678", "address": "浙江省杭州市西湖区文三路 100 号"}


def buyer(container: Any, name: str) -> dict[str, str]:
    return auth(issue_buyer_jwt(name, container.settings.buyer_secret, datetime.now(UTC),
                                timedelta(hours=2)))


def listed_shop(client: Any, tokens: Any, **kw: Any) -> tuple[str, str]:
    sid, sku = live_session_with(client, tokens, live_price_fen=12000, **kw)
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    assert r.status_code == 200, r.text
    return sid, sku


def coupon(client: Any, tokens: Any, sid: str, **body: Any) -> str:
    r = client.post(f"/api/v1/sessions/{sid}/coupons", headers=tokens["console"],
                    json={"issue_now": True, "total": 100, **body})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def order(client: Any, sid: str, headers: dict[str, str], key: str, **body: Any) -> Any:
    return client.post(f"/api/v1/sessions/{sid}/orders",
                       headers={**headers, "Idempotency-Key": key}, json=body)


def remedied(client: Any, headers: dict[str, str], sid: str, sku: str, who: dict[str, str],
             remedy: str) -> Any:
    """A one-unit order by `who`, oversold and remedied by `headers`' operator."""
    oid = order(client, sid, who, f"ov-{remedy}", items=[{"sku_id": sku, "quantity": 1}]
                ).json()["order_id"]
    r = client.post(f"/api/v1/orders/{oid}/oversell-remedy", headers=headers,
                    json={"remedy": remedy})
    assert r.status_code == 200, r.text
    return r


def sku_stock(container: Any, sku: str) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(t.skus.c.stock).where(t.skus.c.id == sku)).scalar_one())


def test_a_live_order_is_priced_once_with_coupons_and_takes_stock(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given a listed SKU at ¥120 live price and two coupons the buyer claimed
    sid, sku = listed_shop(client, tokens, stock=10)
    full = coupon(client, tokens, sid, name="满200减30", kind="threshold", discount_fen=3000,
                  threshold_fen=20000)
    fixed = coupon(client, tokens, sid, name="立减5", kind="fixed", discount_fen=500)
    amy = buyer(container, "amy")
    for cid in (full, fixed):
        assert client.post(f"/api/v1/coupons/{cid}/claim", headers=amy).status_code == 200
    # when she orders two units with both coupons
    r = order(client, sid, amy, "o-1", items=[{"sku_id": sku, "quantity": 2}],
              coupon_ids=[full, fixed], channel="douyin", utm={"utm_source": "kol"},
              contact=CONTACT)
    # then one breakdown explains the total, and the stock moved
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "reserved" and body["total_fen"] == 24000 - 3000 - 500
    assert body["breakdown"]["subtotal_fen"] == 24000
    assert [d["amount_fen"] for d in body["breakdown"]["discounts"]] == [3000, 500]
    assert sku_stock(container, sku) == 8
    assert order(client, sid, amy, "o-1", items=[{"sku_id": sku, "quantity": 2}]).json() == body
    again = order(client, sid, amy, "o-2", items=[{"sku_id": sku, "quantity": 1}],
                  coupon_ids=[fixed])
    assert (again.status_code, again.json()["code"]) == (409, "coupon_not_claimed")
    too_many = order(client, sid, amy, "o-3", items=[{"sku_id": sku, "quantity": 9}])
    assert (too_many.status_code, too_many.json()["code"]) == (409, "out_of_stock")
    assert sku_stock(container, sku) == 8
    stored = client.get(f"/api/v1/orders/{body['order_id']}", headers=amy).json()
    assert stored["breakdown"] == body["breakdown"] and stored["channel"] == "douyin"
    assert stored["utm"] == {"utm_source": "kol"} and stored["contact"] == CONTACT


def test_unlisted_skus_and_missing_keys_are_refused(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = live_session_with(client, tokens)
    bo = buyer(container, "bo")
    r = order(client, sid, bo, "k", items=[{"sku_id": sku, "quantity": 1}])
    assert (r.status_code, r.json()["code"]) == (409, "sku_not_listed")
    r = client.post(f"/api/v1/sessions/{sid}/orders", headers=bo,
                    json={"items": [{"sku_id": sku, "quantity": 1}]})
    assert (r.status_code, r.json()["code"]) == (400, "idempotency_key_required")


def test_coupon_claims_respect_per_buyer_and_total_limits(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, _ = listed_shop(client, tokens)
    cid = coupon(client, tokens, sid, name="立减", kind="fixed", discount_fen=100, total=2)
    a, b, c = (buyer(container, n) for n in "abc")
    assert client.post(f"/api/v1/coupons/{cid}/claim", headers=a).status_code == 200
    r = client.post(f"/api/v1/coupons/{cid}/claim", headers=a)
    assert (r.status_code, r.json()["code"]) == (409, "limit_exceeded")
    assert client.post(f"/api/v1/coupons/{cid}/claim", headers=b).status_code == 200
    r = client.post(f"/api/v1/coupons/{cid}/claim", headers=c)
    assert (r.status_code, r.json()["code"]) == (409, "coupon_exhausted")


def test_expiry_gives_stock_and_coupon_back(client, tokens, container, clock) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens, stock=3)
    cid = coupon(client, tokens, sid, name="立减", kind="fixed", discount_fen=100)
    cy = buyer(container, "cy")
    client.post(f"/api/v1/coupons/{cid}/claim", headers=cy)
    oid = order(client, sid, cy, "e1", items=[{"sku_id": sku, "quantity": 3}],
                coupon_ids=[cid]).json()["order_id"]
    assert sku_stock(container, sku) == 0
    clock.advance(minutes=16)
    assert client.portal.call(container.order_work.sweep_once) == 0  # live: no Held
    assert client.get(f"/api/v1/orders/{oid}", headers=cy).json()["status"] == "expired"
    assert sku_stock(container, sku) == 3
    again = order(client, sid, cy, "e2", items=[{"sku_id": sku, "quantity": 1}],
                  coupon_ids=[cid])
    assert again.status_code == 201, again.text


def test_signed_payment_callback_marks_paid(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens)
    dee = buyer(container, "dee")
    placed = order(client, sid, dee, "p1", items=[{"sku_id": sku, "quantity": 1}]).json()
    provider = container.payments
    body, sig = provider.callback(placed["order_id"], "success", placed["total_fen"])
    forged = client.post("/api/v1/payments/callback", content=body,
                         headers={"X-Signature": "0" * 64})
    assert (forged.status_code, forged.json()["code"]) == (401, "bad_signature")
    ok = client.post("/api/v1/payments/callback", content=body, headers={"X-Signature": sig})
    assert (ok.status_code, ok.json()["status"]) == (200, "paid")
    assert client.get(f"/api/v1/orders/{placed['order_id']}", headers=dee).json()["status"] \
        == "paid"


def test_order_list_export_masking_and_shipping(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens)
    eve = buyer(container, "eve")
    oid = order(client, sid, eve, "x1", items=[{"sku_id": sku, "quantity": 1}],
                contact=CONTACT).json()["order_id"]
    assert client.post(f"/api/v1/orders/{oid}/pay", headers=eve).status_code == 200
    assert client.get(f"/api/v1/orders/{oid}", headers=buyer(container, "mallory")
                      ).status_code == 404
    page = client.get(f"/api/v1/sessions/{sid}/orders?limit=10", headers=tokens["ops"]).json()
    assert page["total"] == 1 and page["items"][0]["contact"]["phone"] == "138****5678"
    cs_view = client.get(f"/api/v1/sessions/{sid}/orders", headers=tokens["cs"]).json()
    assert cs_view["items"][0]["contact"]["phone"] == CONTACT["phone"]
    assert client.get(f"/api/v1/sessions/{sid}/orders", headers=tokens["host"]
                      ).status_code == 403
    text = client.get(f"/api/v1/sessions/{sid}/orders?format=csv",
                      headers=tokens["ops"]).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["phone"] == "138****5678" and rows[0]["address"].endswith("****")
    xlsx = client.get(f"/api/v1/sessions/{sid}/orders?format=xlsx", headers=tokens["merchant"])
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in sheet[1]]
    assert sheet[2][header.index("phone")].value == CONTACT["phone"]
    r = client.put(f"/api/v1/orders/{oid}/shipping", headers=tokens["merchant"],
                   json={"carrier": "SF", "tracking_no": "SF123", "status": "shipped"})
    assert r.status_code == 200, r.text
    assert client.get(f"/api/v1/orders/{oid}", headers=tokens["cs"]).json()["shipping"][
        "tracking_no"] == "SF123"


def test_unpaid_reminder_and_safety_stock_alert_are_queued(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    sid, sku = listed_shop(client, tokens, stock=6)
    with container.engine.begin() as conn:
        conn.execute(t.skus.update().where(t.skus.c.id == sku).values(safety_stock=5))
    fay = buyer(container, "fay")
    order(client, sid, fay, "r1", items=[{"sku_id": sku, "quantity": 2}])
    clock.advance(minutes=11)  # 15-minute reservations: reminded 5 minutes before lapsing
    client.portal.call(container.order_work.sweep_once)
    with container.engine.connect() as conn:
        kinds = {(r.kind, r.recipient): r for r in conn.execute(select(order_notifications))}
    assert ("safety_stock", "ops") in kinds
    reminder = kinds[("unpaid_reminder", "fay")]
    assert reminder.sent_at is not None and reminder.payload["incentive_fen"] == 500


def test_oversell_remedy_substitutes_or_compensates(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens)
    gus = buyer(container, "gus")
    oid = order(client, sid, gus, "ov", items=[{"sku_id": sku, "quantity": 1}]).json()[
        "order_id"]
    r = client.post(f"/api/v1/orders/{oid}/oversell-remedy", headers=tokens["cs"], json={})
    assert r.status_code == 200, r.text
    assert r.json()["remedy"] == "compensation" and r.json()["coupon_fen"] > 0
    again = client.post(f"/api/v1/orders/{oid}/oversell-remedy", headers=tokens["cs"],
                        json={})
    assert again.json()["code"] == "already_remedied"


def test_presale_and_in_stock_quantities_are_kept_apart(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens, stock=1)
    with container.engine.begin() as conn:
        conn.execute(t.skus.update().where(t.skus.c.id == sku).values(presale_stock=2))
    hal = buyer(container, "hal")
    pre = order(client, sid, hal, "pre", items=[{"sku_id": sku, "quantity": 2, "presale": True}])
    assert pre.status_code == 201, pre.text
    assert order(client, sid, hal, "pre2", items=[{"sku_id": sku, "quantity": 1,
                                                    "presale": True}]).status_code == 409
    assert order(client, sid, hal, "now", items=[{"sku_id": sku, "quantity": 1}]
                 ).status_code == 201
    with container.engine.connect() as conn:
        row = conn.execute(select(t.skus.c.stock, t.skus.c.presale_stock)
                           .where(t.skus.c.id == sku)).one()
    assert (row.stock, row.presale_stock) == (0, 0)
    stored = client.get(f"/api/v1/orders/{pre.json()['order_id']}", headers=hal).json()
    assert stored["items"][0]["presale"] is True


def test_oversell_remedy_offers_an_equivalent_substitute(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens)
    with container.engine.begin() as conn:
        src = conn.execute(select(t.skus).where(t.skus.c.id == sku)).one()
        conn.execute(t.skus.insert().values(
            id="sub-sku", product_id=src.product_id, code="SUB-1", spec="同款大号",
            price_fen=src.price_fen, cost_fen=src.cost_fen, stock=5, presale_stock=0,
            safety_stock=0, created_at=src.created_at))
    r = remedied(client, tokens["ops"], sid, sku, buyer(container, "ivy"), "substitute")
    assert (r.json()["remedy"], r.json()["substitute_sku_id"]) == ("substitute", "sub-sku")
    assert sku_stock(container, "sub-sku") == 4


def test_overlong_key_or_channel_is_refused_before_the_database(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given a listed SKU (PostgreSQL enforces the column widths; SQLite does not)
    sid, sku = listed_shop(client, tokens, stock=5)
    fay = buyer(container, "fay")
    item = [{"sku_id": sku, "quantity": 1}]
    # when the key or the channel is wider than its column
    long_key = order(client, sid, fay, "k" * 129, items=item)
    long_channel = order(client, sid, fay, "k-1", items=item, channel="c" * 33)
    # then both get a 4xx with a stable code, not a 500, and no stock moved
    assert (long_key.status_code, long_key.json()["code"]) == (400, "idempotency_key_required")
    assert (long_channel.status_code, long_channel.json()["code"]) == (422, "validation_error")
    assert sku_stock(container, sku) == 5


def test_a_cancel_that_loses_the_race_to_payment_says_so(  # type: ignore[no-untyped-def]
        client, tokens, container, monkeypatch) -> None:
    # given an order the cancel request read while it was still reserved
    sid, sku = listed_shop(client, tokens, stock=5)
    gus = buyer(container, "gus")
    oid = order(client, sid, gus, "c1", items=[{"sku_id": sku, "quantity": 1}]).json()[
        "order_id"]
    with container.uow() as uow:
        stale = closing.load(uow, oid)
    # when the payment commits before the cancel's conditional update runs
    assert client.post(f"/api/v1/orders/{oid}/pay", headers=gus).json()["status"] == "paid"
    monkeypatch.setattr(closing, "load", lambda uow, order_id: stale)
    r = client.post(f"/api/v1/orders/{oid}/cancel", headers=gus)
    # then the buyer hears 409, not "cancelled", and the paid order keeps its unit
    assert (r.status_code, r.json()["code"]) == (409, "invalid_order_state")
    monkeypatch.undo()
    assert client.get(f"/api/v1/orders/{oid}", headers=gus).json()["status"] == "paid"
    assert sku_stock(container, sku) == 4


def test_two_racing_refunds_pay_back_once(  # type: ignore[no-untyped-def]
        client, tokens, container, monkeypatch) -> None:
    # given a paid order that a second refund request read before the first one committed
    sid, sku = listed_shop(client, tokens, stock=5)
    hal = buyer(container, "hal")
    oid = order(client, sid, hal, "r1", items=[{"sku_id": sku, "quantity": 1}]).json()[
        "order_id"]
    client.post(f"/api/v1/orders/{oid}/pay", headers=hal)
    with container.uow() as uow:
        stale = closing.load(uow, oid)
    provider = container.payments
    refunds: list[str] = []
    real_refund = provider.refund
    monkeypatch.setattr(provider, "refund", lambda *a: refunds.append(a[0]) or real_refund(*a))
    # when both refunds go through
    first = client.post(f"/api/v1/orders/{oid}/refund", headers=tokens["cs"])
    monkeypatch.setattr(closing, "load", lambda uow, order_id: stale)
    second = client.post(f"/api/v1/orders/{oid}/refund", headers=tokens["cs"])
    # then the money goes back once and the stock comes back once
    assert first.status_code == 200, first.text
    assert (second.status_code, second.json()["code"]) == (409, "invalid_order_state")
    assert refunds == [oid]
    assert sku_stock(container, sku) == 5
