"""Members through HTTP: points after paying and after refunds, a replayed event counted
once, double points, spending, the member list and one member, audited exports, and
member-only prices guarded like every price and applied to the right tier only."""

from __future__ import annotations

import csv
import io
import threading
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_crm import member_points
from tests.integration.test_aftersales import ask, paid_order
from tests.integration.test_orders import CONTACT, buyer, listed_shop, order


def member(client: Any, tokens: Any, who: str, role: str = "ops") -> Any:
    return client.get(f"/api/v1/members/{who}", headers=tokens[role])


def pay(client: Any, sid: str, headers: dict[str, str], key: str, sku: str,
        quantity: int = 1) -> Any:
    r = order(client, sid, headers, key, items=[{"sku_id": sku, "quantity": quantity}],
              contact=CONTACT)
    assert r.status_code == 201, r.text
    oid = r.json()["order_id"]
    assert client.post(f"/api/v1/orders/{oid}/pay", headers=headers).status_code == 200
    return r.json()


def test_a_paid_order_earns_a_point_per_yuan_and_makes_a_member(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given no member yet
    assert member(client, tokens, "amy").status_code == 404
    # when amy pays two units at ¥120
    paid_order(client, tokens, container, "amy", quantity=2)
    # then she is a member with 240 points, a tier and an RFM segment
    r = member(client, tokens, "amy")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["buyer_id"], body["points"], body["orders"], body["spent_fen"]) == \
        ("amy", 240, 1, 24000)
    assert body["tier"] == "regular"
    assert set(body["rfm"]) == {"r", "f", "m", "segment"}
    assert body["rfm"]["segment"] == "important_value"  # a lone member scores in the middle
    assert body["points_history"][0]["kind"] == "earn"


def test_a_refund_takes_the_points_back_and_a_replayed_event_counts_once(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given amy paid two orders (¥120 each)
    sid, sku = listed_shop(client, tokens, stock=10)
    amy = buyer(container, "amy")
    first = pay(client, sid, amy, "first", sku)["order_id"]
    pay(client, sid, amy, "second", sku)
    assert member(client, tokens, "amy").json()["points"] == 240
    # when the relay delivers every OrderPaid again (at-least-once delivery)
    paid = [e for e in container.events.recent if e.name == "OrderPaid"]
    container.events.publish(paid)
    # then nothing is counted twice
    assert member(client, tokens, "amy").json()["points"] == 240
    # when an operator refunds the first order, and the refund event is replayed
    r = client.post(f"/api/v1/orders/{first}/refund", headers=tokens["cs"], json={})
    assert r.status_code == 200, r.text
    container.events.publish([e for e in container.events.recent if e.name == "OrderRefunded"])
    # then its points are taken back once, and it no longer counts as an order
    body = member(client, tokens, "amy").json()
    assert (body["points"], body["orders"], body["spent_fen"]) == (120, 1, 12000)
    with container.engine.connect() as conn:
        kinds = sorted(conn.execute(select(member_points.c.kind)).scalars())
    assert kinds == ["earn", "earn", "reverse"]


def test_an_after_sales_refund_reverses_its_share(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given a paid order of two units (240 points)
    oid, _, amy = paid_order(client, tokens, container, "amy", quantity=2)
    # when the buyer gets half of it back through after-sales (a partial refund: a person
    # approves it)
    r = ask(client, oid, amy, kind="refund_only", amount_fen=12000)
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/after-sales/{r.json()['id']}/approve", headers=tokens["cs"],
                    json={})
    assert r.status_code == 200, r.text
    # then half the points go back
    assert member(client, tokens, "amy").json()["points"] == 120


def test_double_points_window_set_by_the_console(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    sid, sku = listed_shop(client, tokens, stock=10)
    now = clock.now()
    window = {"multiplier": 2, "starts_at": now.isoformat(),
              "ends_at": (now.replace(hour=now.hour + 1)).isoformat()}
    # the customer service may not set one
    r = client.post(f"/api/v1/sessions/{sid}/points-windows", headers=tokens["cs"],
                    json=window)
    assert r.status_code == 403
    r = client.post(f"/api/v1/sessions/{sid}/points-windows", headers=tokens["console"],
                    json=window)
    assert r.status_code == 201, r.text
    # when a buyer pays within the window
    pay(client, sid, buyer(container, "amy"), "k1", sku)
    # then she earns double
    assert member(client, tokens, "amy").json()["points"] == 240


def test_spending_points_is_checked_and_once_per_reference(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    paid_order(client, tokens, container, "amy")
    url = "/api/v1/members/amy/points/spend"
    assert client.post(url, headers=tokens["cs"], json={"points": 50, "ref": "gift-1"}
                       ).status_code == 403
    r = client.post(url, headers=tokens["ops"], json={"points": 50, "ref": "gift-1"})
    assert r.status_code == 200 and r.json()["points"] == 70
    again = client.post(url, headers=tokens["ops"], json={"points": 50, "ref": "gift-1"})
    assert again.status_code == 200 and again.json()["spent"] == 0
    r = client.post(url, headers=tokens["ops"], json={"points": 500, "ref": "gift-2"})
    assert r.status_code == 409 and r.json()["code"] == "points_insufficient"
    assert member(client, tokens, "amy").json()["points"] == 70


def test_the_member_list_filters_and_who_may_read_it(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given amy (one unit) and bob (five units: ¥600 makes him silver)
    paid_order(client, tokens, container, "amy")
    paid_order(client, tokens, container, "bob", quantity=5)
    # then ops and cs read the list, most valuable first; others may not
    for role in ("merchant", "console", "host"):
        assert client.get("/api/v1/members", headers=tokens[role]).status_code == 403
    r = client.get("/api/v1/members", headers=tokens["cs"])
    assert r.status_code == 200, r.text
    assert [(m["buyer_id"], m["tier"]) for m in r.json()["items"]] == \
        [("bob", "silver"), ("amy", "regular")]
    r = client.get("/api/v1/members?tier=silver", headers=tokens["ops"])
    assert [m["buyer_id"] for m in r.json()["items"]] == ["bob"]
    seg = r.json()["items"][0]["rfm"]["segment"]
    r = client.get(f"/api/v1/members?segment={seg}&limit=1", headers=tokens["ops"])
    assert r.json()["total"] >= 1 and len(r.json()["items"]) == 1
    r = client.get("/api/v1/members?tier=platinum", headers=tokens["ops"])
    assert r.status_code == 422 and r.json()["code"] == "unknown_tier"
    r = client.get("/api/v1/members?segment=vip", headers=tokens["ops"])
    assert r.status_code == 422 and r.json()["code"] == "unknown_segment"


def test_exports_are_masked_and_audited(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens, stock=10)
    pay(client, sid, buyer(container, "amy"), "k1", sku)
    r = client.get("/api/v1/members?format=csv", headers=tokens["ops"])
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["buyer", "buyer_id", "tier"]
    assert rows[1][0] == "张*" and rows[1][-1] == "138****5678"
    r = client.get("/api/v1/members?format=xlsx", headers=tokens["cs"])
    assert r.status_code == 200 and r.content[:2] == b"PK"
    with container.engine.connect() as conn:
        audits = conn.execute(select(t.audit_log.c.actor_role).where(
            t.audit_log.c.action == "members.export")).scalars().all()
    assert sorted(audits) == ["cs", "ops"]


def member_price(client: Any, tokens: Any, sid: str, sku: str, role: str = "console",
                 **body: Any) -> Any:
    return client.post(f"/api/v1/sessions/{sid}/member-prices", headers=tokens[role],
                       json={"sku_id": sku, **body})


def test_a_member_price_below_cost_is_refused_like_any_price(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    sid, sku = listed_shop(client, tokens, stock=10)  # cost ¥80, live ¥120
    assert member_price(client, tokens, sid, sku, "cs", tier="gold",
                        price_fen=10000).status_code == 403
    r = member_price(client, tokens, sid, sku, tier="gold", price_fen=7000)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "price_below_cost"
    assert r.json()["details"]["rule"] == "member"
    r = member_price(client, tokens, sid, sku, tier="platinum", price_fen=10000)
    assert r.status_code == 422 and r.json()["code"] == "unknown_tier"
    # the console may not override; ops may, with a reason, and it is audited
    r = member_price(client, tokens, sid, sku, tier="gold", price_fen=7000, override=True,
                     override_reason="会员日")
    assert r.status_code == 403
    r = member_price(client, tokens, sid, sku, "ops", tier="gold", price_fen=7000,
                     override=True, override_reason="会员日")
    assert r.status_code == 200, r.text
    assert r.json()["overridden"][0] == "price_below_cost"
    # and a later live price change is judged with the member price among the offers
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price", headers=tokens["console"],
                    json={"price_fen": 11000})
    assert r.status_code == 200, r.text


def test_a_member_price_applies_to_its_tier_and_above_only(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given bob is silver (¥600 spent) and amy regular, in a show with a silver price ¥100
    sid, sku = listed_shop(client, tokens, stock=50)
    bob, amy = buyer(container, "bob"), buyer(container, "amy")
    pay(client, sid, bob, "b1", sku, quantity=5)
    pay(client, sid, amy, "a1", sku)
    r = member_price(client, tokens, sid, sku, tier="silver", price_fen=10000)
    assert r.status_code == 200, r.text
    # then the shelf shows bob the member price and amy (or an anonymous viewer) none
    shelf = client.get(f"/api/v1/sessions/{sid}/shelf", headers=bob).json()["items"][0]
    assert (shelf["price_fen"], shelf["member_price_fen"], shelf["member_tier"]) == \
        (12000, 10000, "silver")
    for headers in (amy, {}):
        item = client.get(f"/api/v1/sessions/{sid}/shelf", headers=headers).json()["items"][0]
        assert "member_price_fen" not in item
    # and their orders are priced accordingly
    assert pay(client, sid, bob, "b2", sku)["total_fen"] == 10000
    assert pay(client, sid, amy, "a2", sku)["total_fen"] == 12000


def test_interest_groups_and_repurchase_reminders(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given amy buys the pan every 30 days and bob once
    sid, sku = listed_shop(client, tokens, stock=20)
    amy, bob = buyer(container, "amy"), buyer(container, "bob")
    for n in range(3):
        pay(client, sid, amy, f"a{n}", sku)
        clock.advance(days=30)
    pay(client, sid, bob, "b0", sku)
    # then both are in the kitchen group, amy first, and only merchants may not read it
    assert client.get("/api/v1/member-groups", headers=tokens["merchant"]).status_code == 403
    r = client.get("/api/v1/member-groups", headers=tokens["cs"])
    assert r.status_code == 200, r.text
    group = r.json()["groups"][0]
    assert (group["category"], group["size"]) == ("厨具", 2)
    assert [(m["buyer_id"], m["purchases"]) for m in group["members"]] == [("amy", 3), ("bob", 1)]
    # and amy is due again 30 days after her last purchase, bob too (the product's interval)
    r = client.get("/api/v1/repurchase-reminders?within_days=31", headers=tokens["ops"])
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [(i["buyer_id"], i["interval_days"], i["overdue"]) for i in items] == \
        [("amy", 30.0, False), ("bob", 30.0, False)]
    assert items[0]["product_name"] == "不粘锅"


def test_racing_spends_never_take_more_than_the_balance(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given amy holds 120 points
    paid_order(client, tokens, container, "amy")
    results: list[int] = []

    def spend(n: int) -> None:
        r = client.post("/api/v1/members/amy/points/spend", headers=tokens["ops"],
                        json={"points": 50, "ref": f"race-{n}"})
        results.append(r.status_code)
    # when eight redemptions of 50 race each other
    threads = [threading.Thread(target=spend, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    # then exactly two pass and 20 points are left
    assert sorted(results) == [200, 200] + [409] * 6
    assert member(client, tokens, "amy").json()["points"] == 20


def test_a_member_price_override_is_audited(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, sku = listed_shop(client, tokens, stock=10)
    r = member_price(client, tokens, sid, sku, "ops", tier="gold", price_fen=7900,
                     override=True, override_reason="会员日")
    assert r.status_code == 200, r.text
    with container.engine.connect() as conn:
        rows = conn.execute(select(t.audit_log.c.action, t.audit_log.c.override_reason)
                            .where(t.audit_log.c.target == sku)
                            .order_by(t.audit_log.c.id)).all()
    assert [(a, reason) for a, reason in rows if a.startswith(("members", "console.price_o"))] \
        == [("console.price_override", "会员日"), ("members.price", "会员日")]
