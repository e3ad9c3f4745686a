"""会员优先购 and 会员专享券 through HTTP: in a flash sale's member window a buyer of the
priority tier buys while everyone else hears 409 members_only until the sale opens, on each
stock back-end; a member coupon is claimed by its audience only (403 members_only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert

from liveroom.adapters.sql.schema_orders import orders
from tests.factories import live_session_with
from tests.integration.test_flash_fixtures import buyer, flush, operators, shop  # noqa: F401


def history(c: Any, sid: str, who: str, n: int, fen: int = 20_000) -> None:
    """n paid orders of `who` before the show (3 make a silver member by default rules)."""
    now = c.clock.now()
    with c.engine.begin() as conn:
        conn.execute(insert(orders), [dict(
            id=f"h-{who}-{k}", session_id=sid, buyer_id=who, kind="live",
            idempotency_key=f"h-{who}-{k}", status="paid", items=[], quantity=1,
            subtotal_fen=fen, total_fen=fen, breakdown={}, coupon_ids=[], refunded_fen=0,
            created_at=now - timedelta(days=30 + k), expires_at=now - timedelta(days=30 + k),
            paid_at=now - timedelta(days=30 + k)) for k in range(n)])


def buy(tc: Any, c: Any, fid: str, who: str, key: str) -> Any:
    return tc.post(f"/api/v1/flash-sales/{fid}/purchases",
                   headers={**buyer(c, who), "Idempotency-Key": key}, json={"quantity": 1})


def test_members_buy_first_and_everyone_else_waits_for_the_opening(shop) -> None:  # noqa: F811
    c, tc = shop
    tokens = operators(c)
    sid, sku = live_session_with(tc, tokens, stock=100)
    history(c, sid, "silver-amy", 3)
    history(c, sid, "regular-bob", 1)
    opens = c.clock.now() + timedelta(minutes=10)
    # given a sale opening to all in 10 minutes, silver and up 30 minutes before that
    r = tc.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                json={"sku_id": sku, "price_fen": 9900, "quantity": 5,
                      "starts_at": opens.isoformat(), "priority_tier": "silver",
                      "priority_minutes": 30})
    assert r.status_code == 201, r.text
    fid = r.json()["id"]
    # when a silver member buys in the window, then she gets her order
    r = buy(tc, c, fid, "silver-amy", "a1")
    assert r.status_code == 201, r.text
    # when a regular member and a stranger try, then both hear members_only with the opening
    for who in ("regular-bob", "stranger"):
        r = buy(tc, c, fid, who, "k1")
        assert r.status_code == 409, r.text
        body = r.json()
        assert body["code"] == "members_only"
        assert body["details"]["opens_at"].startswith(opens.isoformat()[:16])
    # when the sale opens to everyone, then the others buy too (with a new key)
    c.clock.advance(minutes=10)
    assert buy(tc, c, fid, "stranger", "k2").status_code == 201
    flush(c, tc)
    sale = tc.get(f"/api/v1/flash-sales/{fid}").json()
    assert sale["sold"] == 2


def test_before_the_member_window_nobody_buys(shop) -> None:  # noqa: F811
    c, tc = shop
    tokens = operators(c)
    sid, sku = live_session_with(tc, tokens, stock=100)
    history(c, sid, "silver-amy", 3)
    opens = c.clock.now() + timedelta(hours=2)
    fid = tc.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                  json={"sku_id": sku, "price_fen": 9900, "quantity": 5,
                        "starts_at": opens.isoformat(), "priority_tier": "silver",
                        "priority_minutes": 30}).json()["id"]
    # when even a silver member tries 2 hours ahead, then the sale has not started
    r = buy(tc, c, fid, "silver-amy", "early")
    assert r.status_code == 409 and r.json()["code"] == "not_started"


def test_a_member_window_needs_a_tier_and_a_scheduled_opening(client, tokens) -> None:
    sid, sku = live_session_with(client, tokens, stock=100)
    base = {"sku_id": sku, "price_fen": 9900, "quantity": 5}
    r = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                    json={**base, "priority_tier": "silver", "priority_minutes": 10})
    assert r.status_code == 422 and r.json()["code"] == "priority_needs_schedule"
    r = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                    json={**base, "priority_tier": "platinum", "priority_minutes": 10,
                          "starts_at": "2026-11-27T12:00:00+08:00"})
    assert r.status_code == 422 and r.json()["code"] == "unknown_tier"


def test_a_member_coupon_is_claimed_by_its_audience_only(client, tokens, container) -> None:
    sid, _ = live_session_with(client, tokens, stock=100)
    history(container, sid, "silver-amy", 3)
    history(container, sid, "regular-bob", 1)
    r = client.post(f"/api/v1/sessions/{sid}/coupons", headers=tokens["console"],
                    json={"name": "银卡专享", "kind": "fixed", "discount_fen": 1000,
                          "total": 10, "issue_now": True})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    # given ops make it a silver-and-up coupon (cs may not)
    assert client.put(f"/api/v1/coupons/{cid}/audience", headers=tokens["cs"],
                      json={"min_tier": "silver"}).status_code == 403
    r = client.put(f"/api/v1/coupons/{cid}/audience", headers=tokens["ops"],
                   json={"min_tier": "silver"})
    assert r.status_code == 200, r.text
    # when a regular member claims, then 403 members_only; a silver member gets it
    r = client.post(f"/api/v1/coupons/{cid}/claim", headers=buyer(container, "regular-bob"))
    assert r.status_code == 403 and r.json()["code"] == "members_only", r.text
    r = client.post(f"/api/v1/coupons/{cid}/claim", headers=buyer(container, "silver-amy"))
    assert r.status_code == 200, r.text
    # and once claimed, the audience can no longer change
    r = client.put(f"/api/v1/coupons/{cid}/audience", headers=tokens["ops"],
                   json={"segment": "important_value"})
    assert r.status_code == 409 and r.json()["code"] == "coupon_already_claimed"
