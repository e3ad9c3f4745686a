"""Live-ops on the console through HTTP: abandoned carts answered with one click (a coupon
on the shelf), the recovered GMV, the heat-map order, the half-hour sync; the experiments
page. SQLite and PostgreSQL (the client fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.identity.model import issue_buyer_jwt
from tests import factories as f
from tests.conftest import auth
from tests.integration.test_web_console_live import sign_in, visible_text


def _cart(client, tokens, sid, sku, clock, buyer, n):
    r = client.post(f"/api/v1/sessions/{sid}/events", headers=tokens["connector"], json={
        "events": [{"event_id": f"evt-cart-{buyer}-{n}", "type": "add_to_cart",
                    "buyer_id": buyer, "sku_id": sku, "ts": clock.now().isoformat()}]})
    assert r.json()["accepted"] == 1, r.text


def _buy(client, container, fid, buyer):
    h = {**auth(issue_buyer_jwt(buyer, container.settings.buyer_secret, datetime.now(UTC),
                                timedelta(hours=1))), "Idempotency-Key": f"k-{buyer}"}
    oid = client.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                      headers=h).json()["order_id"]
    assert client.post(f"/api/v1/orders/{oid}/pay", headers=h, json={}).status_code == 200


def test_abandoned_carts_get_a_coupon_and_the_recovered_gmv_is_counted(
        client, tokens, clock, container):
    # given a live show where u1 and u2 carted 6 minutes ago and nobody ordered
    sid, sku = f.live_session_with(client, tokens, stock=100)
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 50}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    _cart(client, tokens, sid, sku, clock, "u1", 1)
    _cart(client, tokens, sid, sku, clock, "u2", 1)
    clock.advance(seconds=360)
    _cart(client, tokens, sid, sku, clock, "u3", 1)  # only just carted: not abandoned
    csrf = sign_in(client, tokens)
    client.cookies.set("liveroom_locale", "zh_CN")
    panel = client.get(f"/console/{sid}/liveops")
    assert panel.status_code == 200, panel.text
    text = visible_text(panel.text)
    assert "加购未下单" in text or "弃购" in text
    assert "add_to_cart" not in text and "carts_waiting" not in text
    # when the console presses "coupon pop-up"
    r = client.post(f"/console/{sid}/liveops/carts", headers={"X-CSRF-Token": csrf},
                    data={"kind": "coupon", "discount": "5", "minutes": "10", "after": "5"})
    assert r.status_code == 200 and "error" not in r.text, r.text
    # then a 10-minute coupon is on the shelf and the two buyers are the targets
    coupons = client.get(f"/api/v1/sessions/{sid}/shelf").json()
    assert any(c.get("discount_fen") == 500 for c in coupons.get("coupons", [])), coupons
    # and u1's order after it is recovered GMV; u3's (not targeted) is not
    _buy(client, container, fid, "u1")
    _buy(client, container, fid, "u3")
    out = client.get(f"/api/v1/sessions/{sid}/liveops", headers=tokens["console"]).json()
    assert out["recovery"]["recovered_gmv_fen"] == 9900
    assert out["recovery"]["recovered_orders"] == 1 and out["recovery"]["targeted"] == 2
    # a second click with nobody left waiting is refused with a reason
    again = client.post(f"/console/{sid}/liveops/carts", headers={"X-CSRF-Token": csrf},
                        data={"kind": "message", "after": "5"})
    assert "no_abandoned_carts" in again.text


def test_the_experiments_page_shows_a_verdict_in_chinese(client, tokens):
    a, _ = f.live_session_with(client, tokens)
    b, _ = f.live_session_with(client, tokens)
    csrf = sign_in(client, tokens, "ops")
    client.cookies.set("liveroom_locale", "zh_CN")
    r = client.post("/experiments", headers={"X-CSRF-Token": csrf}, data={
        "name": "开场话术", "metric": "conversion", "a_session": a, "b_session": b,
        "a_from": "0", "a_to": "30", "b_from": "", "b_to": ""})
    assert r.status_code == 200 and r.headers.get("HX-Refresh") == "true", r.text
    client.post("/api/v1/experiments", headers=tokens["ops"], json={
        "name": "客单价", "metric": "aov",
        "arms": [{"label": "A", "session_id": a, "from_minute": 0, "to_minute": 30},
                 {"label": "B", "session_id": b}]}).raise_for_status()
    page = client.get("/experiments")
    assert page.status_code == 200, page.text
    text = visible_text(page.text)
    assert "开场话术" in text and "数据不足" in text and "not_enough_data" not in text
