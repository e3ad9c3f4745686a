"""The viewer's product bag: what is listed, at what price, and how much is left."""

from __future__ import annotations

from tests import factories as f
from tests.integration.test_review import buyer


def test_the_bag_shows_listed_items_low_stock_and_a_running_flash_sale(client, tokens,
                                                                        container):
    sid, sku = f.live_session_with(client, tokens, stock=60)
    assert client.get(f"/api/v1/sessions/{sid}/shelf").json()["items"] == []  # nothing listed
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 20}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    client.post(f"/api/v1/flash-sales/{fid}/purchases", headers=buyer(container, "v1"),
                json={"quantity": 1})
    client.post(f"/api/v1/sessions/{sid}/announcements", headers=tokens["console"],
                json={"text": "9.9元秒杀进行中", "pinned": True})
    bag = client.get(f"/api/v1/sessions/{sid}/shelf").json()  # public: no token
    assert bag["items"][0]["price_fen"] == 19900
    assert bag["items"][0]["stock_label"].startswith("仅剩 40 件")
    (sale,) = bag["flash_sales"]
    assert {k: sale[k] for k in ("id", "sku_id", "price_fen", "per_buyer_limit", "remaining",
                                 "stock_label", "left", "name")} == {
        "id": fid, "sku_id": sku, "price_fen": 9900, "per_buyer_limit": 1, "remaining": 19,
        "stock_label": "仅剩 19 件 only 19 left", "left": 19, "name": "不粘锅"}
    assert bag["announcement"] == "9.9元秒杀进行中"
    assert client.get("/api/v1/sessions/nope/shelf").status_code == 404
