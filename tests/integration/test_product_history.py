"""The selection score learns from our own shows: sales after a show, returns after refunds."""

from __future__ import annotations

from tests import factories as f
from tests.integration.test_review import buyer


def test_a_show_and_its_refunds_feed_the_selection_score(client, tokens, container):
    sid, sku = f.live_session_with(client, tokens, stock=100, name="围裙", category="家居")
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 40}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    orders = []
    for i in range(30):
        r = client.post(f"/api/v1/flash-sales/{fid}/purchases",
                        headers=buyer(container, f"b{i}"), json={"quantity": 1})
        assert r.status_code == 201, r.text
        oid = r.json()["order_id"]
        assert client.post(f"/api/v1/orders/{oid}/pay", headers=buyer(container, f"b{i}"),
                           json={}).status_code == 200
        orders.append(oid)
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])
    pid = client.get(f"/api/v1/sessions/{sid}", headers=tokens["ops"]).json()
    product_id = next(p["id"] for p in client.get("/api/v1/products", headers=tokens["ops"])
                      .json()["items"] if p["skus"][0]["id"] == sku)
    before = client.get(f"/api/v1/products/{product_id}", headers=tokens["ops"]).json()
    assert before["observed"]["orders"] == 30 and before["observed"]["buyers"] == 30
    assert pid["status"] == "ended"

    for oid in orders[:6]:  # the apron runs small: a fifth come back
        r = client.post(f"/api/v1/orders/{oid}/refund", headers=tokens["cs"],
                        json={"reason": "尺码偏小"})
        assert r.status_code == 200, r.text
    after = client.get(f"/api/v1/products/{product_id}", headers=tokens["ops"]).json()
    assert after["observed"]["returns"] == 6
    assert after["score"] < before["score"]
    assert any("退货率" in reason for reason in after["score_reasons"])
