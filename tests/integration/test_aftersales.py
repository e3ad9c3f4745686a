"""After-sales through HTTP: the buyer's request, the service's decisions, the goods coming
back, the money going back once, the buyer reading the answers, and who may do what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_aftersales import replacement_shipments
from liveroom.aftersales.commands import SweepSlaBreaches
from liveroom.identity.model import SYSTEM
from tests.integration.test_orders import buyer, listed_shop, order, sku_stock

CS = "cs"


def paid_order(client: Any, tokens: Any, container: Any, who: str, *, stock: int = 10,
               quantity: int = 1, **shop: Any) -> tuple[str, str, dict[str, str]]:
    """A paid live order at ¥120 a unit: (order id, sku id, the buyer's headers)."""
    sid, sku = listed_shop(client, tokens, stock=stock, **shop)
    headers = buyer(container, who)
    r = order(client, sid, headers, f"k-{who}", items=[{"sku_id": sku, "quantity": quantity}])
    assert r.status_code == 201, r.text
    oid = r.json()["order_id"]
    assert client.post(f"/api/v1/orders/{oid}/pay", headers=headers).status_code == 200
    return oid, sku, headers


def ship(client: Any, tokens: Any, oid: str, status: str = "delivered") -> None:
    r = client.put(f"/api/v1/orders/{oid}/shipping", headers=tokens["merchant"],
                   json={"carrier": "SF", "tracking_no": "SF100", "status": status})
    assert r.status_code == 200, r.text


def ask(client: Any, oid: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/api/v1/orders/{oid}/after-sales", headers=headers,
                       json={"reason": "不想要了", **body})


def refunds_paid(container: Any, monkeypatch: Any) -> list[tuple[str, int]]:
    provider = container.payments
    paid: list[tuple[str, int]] = []
    real = provider.refund
    monkeypatch.setattr(provider, "refund",
                        lambda oid, ref, fen: paid.append((oid, fen)) or real(oid, ref, fen))
    return paid


def test_an_unshipped_orders_refund_is_approved_and_paid_at_once(  # type: ignore[no-untyped-def]
        client, tokens, container, monkeypatch) -> None:
    # given a paid order that has not shipped
    oid, sku, amy = paid_order(client, tokens, container, "amy", quantity=2)
    paid = refunds_paid(container, monkeypatch)
    assert sku_stock(container, sku) == 8
    # when the buyer asks for a refund
    r = ask(client, oid, amy, kind="refund_only")
    # then it is approved by the rules, the money goes back through the provider, the
    # units go back on sale, and the buyer can read the answer
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["stage"], r.json()["auto"]) == (
        "approved", "refunded", True)
    assert paid == [(oid, 24000)]
    assert sku_stock(container, sku) == 10
    got = client.get(f"/api/v1/orders/{oid}", headers=amy).json()
    assert got["status"] == "refunded"
    mine = client.get(f"/api/v1/orders/{oid}/after-sales", headers=amy).json()["items"]
    assert [c["refunded_fen"] for c in mine] == [24000]
    assert any("自动通过" in a["body"] for a in mine[0]["answers"])


def test_a_partial_refund_waits_for_a_person_and_never_exceeds_what_was_paid(  # type: ignore[no-untyped-def]
        client, tokens, container, monkeypatch) -> None:
    # given a paid order of ¥120 and a buyer asking ¥30 back
    oid, sku, bob = paid_order(client, tokens, container, "bob")
    paid = refunds_paid(container, monkeypatch)
    r = ask(client, oid, bob, kind="refund_only", amount_fen=3000,
            evidence=[{"url": "https://img.example/1.jpg", "note": "划痕"}])
    assert (r.status_code, r.json()["status"]) == (201, "pending_review")
    case = r.json()["id"]
    # when a second request comes while it is open, then it is refused
    again = ask(client, oid, bob, kind="refund_only")
    assert (again.status_code, again.json()["code"]) == (409, "aftersales_already_open")
    # when the service approves it
    r = client.post(f"/api/v1/after-sales/{case}/approve", headers=tokens[CS],
                    json={"note": "补偿划痕"})
    assert r.status_code == 200, r.text
    # then ¥30 goes back, the order stays paid and the goods stay with the buyer
    assert paid == [(oid, 3000)] and r.json()["stage"] == "refunded"
    got = client.get(f"/api/v1/orders/{oid}", headers=bob).json()
    assert (got["status"], got["refunded_fen"]) == ("paid", 3000)
    # and the decision is in the audit trail: who, when, before → after
    audit = client.get(f"/api/v1/sessions/{got['session_id']}/audit",
                       headers=tokens["ops"]).json()["items"]
    decided = [a for a in audit if a["action"] == "aftersales.approve"]
    assert [(a["actor_name"], a["before"]["stage"], a["after"]["stage"],
             a["after"]["refunded_fen"]) for a in decided] == [
        ("cs-user", "review", "refunded", 3000)]
    assert decided[0]["at"] and [a["actor_role"] for a in audit
                                 if a["action"] == "aftersales.request"] == ["buyer"]
    assert sku_stock(container, sku) == 9
    # and more than the ¥90 left is refused, while the rest can still be asked for
    over = ask(client, oid, bob, kind="refund_only", amount_fen=9001)
    assert (over.status_code, over.json()["code"]) == (422, "amount_exceeds_refundable")
    rest = ask(client, oid, bob, kind="refund_only")
    assert (rest.json()["status"], rest.json()["refunded_fen"]) == ("approved", 9000)
    assert paid == [(oid, 3000), (oid, 9000)]
    # and the operator's refund has nothing left to pay
    late = client.post(f"/api/v1/orders/{oid}/refund", headers=tokens[CS])
    assert (late.status_code, late.json()["code"]) == (409, "invalid_order_state")
    assert len(paid) == 2


def test_the_operators_refund_pays_only_what_after_sales_has_not(  # type: ignore[no-untyped-def]
        client, tokens, container, monkeypatch) -> None:
    oid, _, cat = paid_order(client, tokens, container, "cat")
    paid = refunds_paid(container, monkeypatch)
    case = ask(client, oid, cat, kind="refund_only", amount_fen=2000).json()["id"]
    client.post(f"/api/v1/after-sales/{case}/approve", headers=tokens["ops"])
    r = client.post(f"/api/v1/orders/{oid}/refund", headers=tokens[CS])
    assert r.status_code == 200, r.text
    assert paid == [(oid, 2000), (oid, 10000)]


def test_a_return_in_window_comes_back_into_stock_only_when_received(  # type: ignore[no-untyped-def]
        client, tokens, container, monkeypatch, clock) -> None:
    # given a delivered order, 3 days later
    oid, sku, dan = paid_order(client, tokens, container, "dan", name="围裙", category="家居")
    ship(client, tokens, oid)
    clock.advance(days=3)
    paid = refunds_paid(container, monkeypatch)
    # when the buyer returns it without a reason
    r = ask(client, oid, dan, kind="return")
    # then it is approved at once, but nothing is refunded or restocked yet
    assert (r.json()["status"], r.json()["stage"]) == ("approved", "awaiting_return")
    assert paid == [] and sku_stock(container, sku) == 9
    case = r.json()["id"]
    # when the warehouse receives the parcel
    got = client.post(f"/api/v1/after-sales/{case}/receive", headers=tokens[CS])
    # then the unit is back on sale and the money back with the buyer, once
    assert (got.status_code, got.json()["stage"]) == (200, "refunded")
    assert sku_stock(container, sku) == 10 and paid == [(oid, 12000)]
    twice = client.post(f"/api/v1/after-sales/{case}/receive", headers=tokens[CS])
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_aftersales_state")
    # and the product's history counts the return
    product = next(p for p in client.get("/api/v1/products", headers=tokens["ops"])
                   .json()["items"] if p["skus"][0]["id"] == sku)
    observed = client.get(f"/api/v1/products/{product['id']}",
                          headers=tokens["ops"]).json()["observed"]
    assert (observed["orders"], observed["returns"]) == (1, 1)


def test_a_partial_refund_counts_as_a_return_in_the_products_history(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    oid, sku, eve = paid_order(client, tokens, container, "eve", name="砧板")
    case = ask(client, oid, eve, kind="refund_only", amount_fen=1000).json()["id"]
    client.post(f"/api/v1/after-sales/{case}/approve", headers=tokens[CS])
    product = next(p for p in client.get("/api/v1/products", headers=tokens["ops"])
                   .json()["items"] if p["skus"][0]["id"] == sku)
    observed = client.get(f"/api/v1/products/{product['id']}",
                          headers=tokens["ops"]).json()["observed"]
    assert observed["returns"] == 1


def test_a_late_return_is_rejected_with_a_reason_the_buyer_reads(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    oid, sku, fay = paid_order(client, tokens, container, "fay")
    ship(client, tokens, oid)
    clock.advance(days=8)
    r = ask(client, oid, fay, kind="return")
    assert (r.json()["status"], r.json()["hold_reason"]) == ("pending_review", "out_of_window")
    case = r.json()["id"]
    bare = client.post(f"/api/v1/after-sales/{case}/reject", headers=tokens[CS],
                       json={"note": " "})
    assert (bare.status_code, bare.json()["code"]) == (422, "reason_required")
    r = client.post(f"/api/v1/after-sales/{case}/reject", headers=tokens[CS],
                    json={"note": "已超过7天无理由退货期"})
    assert r.json()["status"] == "rejected"
    mine = client.get(f"/api/v1/orders/{oid}/after-sales", headers=fay).json()["items"][0]
    assert mine["status"] == "rejected"
    assert [a["body"] for a in mine["answers"]] == ["已超过7天无理由退货期"]
    assert sku_stock(container, sku) == 9
    # a rejected case is closed: the buyer may ask again (e.g. with evidence)
    assert ask(client, oid, fay, kind="return").status_code == 201


def test_an_exchange_restocks_the_return_and_records_the_replacement(  # type: ignore[no-untyped-def]
        client, tokens, container, monkeypatch) -> None:
    oid, sku, gus = paid_order(client, tokens, container, "gus")
    ship(client, tokens, oid, "shipped")
    paid = refunds_paid(container, monkeypatch)
    r = ask(client, oid, gus, kind="exchange", reason="尺码偏小")
    assert (r.json()["status"], r.json()["amount_fen"]) == ("pending_review", 0)
    case = r.json()["id"]
    client.post(f"/api/v1/after-sales/{case}/approve", headers=tokens[CS])
    assert sku_stock(container, sku) == 9
    r = client.post(f"/api/v1/after-sales/{case}/receive", headers=tokens[CS])
    assert r.json()["stage"] == "replacement_created"
    # the returned unit came back and the replacement unit went out: 9 on sale, no refund
    assert sku_stock(container, sku) == 9 and paid == []
    with container.engine.connect() as conn:
        ship_row = conn.execute(select(replacement_shipments)).one()
    assert (ship_row.order_id, ship_row.items, ship_row.status) == (
        oid, [{"sku_id": sku, "quantity": 1}], "pending")
    mine = client.get(f"/api/v1/orders/{oid}/after-sales", headers=gus).json()["items"][0]
    assert mine["replacement"]["status"] == "pending"


def test_only_the_owner_and_the_service_may_touch_a_case(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    oid, _, hal = paid_order(client, tokens, container, "hal")
    ivy = buyer(container, "ivy")
    stranger = ask(client, oid, ivy, kind="refund_only", amount_fen=100)
    assert (stranger.status_code, stranger.json()["code"]) == (404, "order_not_found")
    peek = client.get(f"/api/v1/orders/{oid}/after-sales", headers=ivy)
    assert (peek.status_code, peek.json()["code"]) == (404, "order_not_found")
    case = ask(client, oid, hal, kind="refund_only", amount_fen=100).json()["id"]
    for role in ("merchant", "connector", "host", "console"):
        assert client.get("/api/v1/after-sales", headers=tokens[role]).status_code == 403
        r = client.post(f"/api/v1/after-sales/{case}/approve", headers=tokens[role])
        assert r.status_code == 403, role
    assert client.get("/api/v1/after-sales", headers=hal).status_code == 401
    assert client.post(f"/api/v1/after-sales/{case}/approve", headers=hal).status_code == 401
    assert client.get(f"/api/v1/orders/{oid}/after-sales",
                      headers=tokens[CS]).status_code == 401
    assert client.post(f"/api/v1/after-sales/{case}/approve",
                       headers=tokens["admin"]).status_code == 200


def test_the_queue_shows_clocks_and_records_each_breach_once(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given two cases waiting for a person
    oid, _, jay = paid_order(client, tokens, container, "jay")
    late = ask(client, oid, jay, kind="refund_only", amount_fen=500).json()["id"]
    clock.advance(minutes=40)
    queue = client.get("/api/v1/after-sales", headers=tokens[CS]).json()
    item = next(i for i in queue["items"] if i["id"] == late)
    assert item["clock"] == {**item["clock"], "which": "first_response",
                             "seconds_left": 80 * 60, "overdue": False}
    assert item["order"]["number"] == oid[-8:].upper() and "jay" not in item["buyer"]
    # when 2 h pass without an answer and the breach job runs (twice, as two servers would)
    clock.advance(hours=2)
    assert container.bus.handle(SweepSlaBreaches(), SYSTEM) == {"breaches": 1}
    assert container.bus.handle(SweepSlaBreaches(), SYSTEM) == {"breaches": 0}
    # then the queue shows the case overdue and one alert, and the share counts it missed
    queue = client.get("/api/v1/after-sales", headers=tokens[CS]).json()
    assert [(a["case_id"], a["kind"]) for a in queue["alerts"]] == [(late, "first_response")]
    assert queue["items"][0]["clock"]["overdue"] is True
    assert queue["sla"]["first_response_within_2h"] == {"due": 1, "met": 0, "share": 0.0}
    # and an answer stops the first clock; the buyer reads it
    r = client.post(f"/api/v1/after-sales/{late}/answer", headers=tokens[CS],
                    json={"message": "已收到，正在核实"})
    assert r.status_code == 200, r.text
    mine = client.get(f"/api/v1/orders/{oid}/after-sales", headers=jay).json()["items"][0]
    assert [a["body"] for a in mine["answers"]] == ["已收到，正在核实"]
    queue = client.get("/api/v1/after-sales", headers=tokens[CS]).json()
    assert queue["items"][0]["clock"]["which"] == "completion"


def test_a_flash_orders_refund_puts_the_unit_back_on_sale(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given a live flash sale of 5 where a buyer bought and paid one
    sid, sku = listed_shop(client, tokens, stock=20)
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 5}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    kim = buyer(container, "kim")
    got = client.post(f"/api/v1/flash-sales/{fid}/purchases",
                      headers={**kim, "Idempotency-Key": "fs-1"}, json={"quantity": 1})
    assert got.status_code == 201, got.text
    oid = got.json()["order_id"]
    assert client.post(f"/api/v1/orders/{oid}/pay", headers=kim).status_code == 200
    assert client.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 4
    # when the buyer asks for a refund before it ships
    r = ask(client, oid, kim, kind="refund_only")
    # then the refund is paid and the unit is on sale again in the stock ledger
    assert (r.json()["status"], r.json()["refunded_fen"]) == ("approved", 9900)
    assert client.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 5


def test_an_exchange_for_another_size_moves_stock_between_the_two_skus(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given a paid, shipped order of a 28 cm pan whose product also comes in 32 cm
    oid, small, lee = paid_order(client, tokens, container, "lee")
    product = client.get(f"/api/v1/orders/{oid}", headers=lee).json()
    assert product["items"][0]["sku_id"] == small
    big = _second_sku(client, tokens, small)
    ship(client, tokens, oid)
    # when the buyer asks to swap for 32 cm and the service approves and receives
    other = ask(client, oid, lee, kind="exchange", exchange_sku_id="nope")
    assert (other.status_code, other.json()["code"]) == (422, "exchange_sku_invalid")
    case = ask(client, oid, lee, kind="exchange", exchange_sku_id=big).json()["id"]
    client.post(f"/api/v1/after-sales/{case}/approve", headers=tokens[CS])
    client.post(f"/api/v1/after-sales/{case}/receive", headers=tokens[CS])
    # then the 28 cm unit is back and a 32 cm unit goes out
    assert (sku_stock(container, small), sku_stock(container, big)) == (10, 4)


def _second_sku(client: Any, tokens: Any, sku: str) -> str:
    """Another SKU of the same product, 5 in stock (written as the catalogue would)."""
    with client.app.state.container.engine.begin() as conn:
        row = conn.execute(select(t.skus).where(t.skus.c.id == sku)).one()
        conn.execute(insert(t.skus).values({**row._asdict(), "id": sku[:-2] + "zz",
                                            "code": row.code + "-32", "spec": "32cm",
                                            "stock": 5}))
    return sku[:-2] + "zz"
