"""A flash sale's units come out of the SKU's stock: live orders cannot sell them again, and
what the sale did not sell goes back when the show ends."""

from __future__ import annotations

from tests import factories as f
from tests.integration.test_review import buyer


def sku_stock(client, tokens, sid, sku) -> int:
    items = client.get(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"]).json()["items"]
    return next(i["stock"] for i in items if i["sku_id"] == sku)


def test_flash_units_are_held_apart_and_the_rest_returns_at_the_end(client, tokens, container):
    sid, sku = f.live_session_with(client, tokens, stock=10)
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 8}).json()["id"]
    assert sku_stock(client, tokens, sid, sku) == 2
    again = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                        json={"sku_id": sku, "price_fen": 9900, "quantity": 3})
    assert again.status_code == 422 and again.json()["code"] == "quantity_over_stock"
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    live = client.post(f"/api/v1/sessions/{sid}/orders", headers=buyer(container, "l1"),
                       json={"items": [{"sku_id": sku, "quantity": 3}]})
    assert live.status_code == 409, live.text  # only 2 left outside the flash sale

    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    paid = client.post(f"/api/v1/flash-sales/{fid}/purchases", headers=buyer(container, "a"),
                       json={"quantity": 1}).json()["order_id"]
    client.post(f"/api/v1/orders/{paid}/pay", headers=buyer(container, "a"), json={})
    unpaid = client.post(f"/api/v1/flash-sales/{fid}/purchases", headers=buyer(container, "b"),
                         json={"quantity": 1}).json()["order_id"]
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])
    assert client.get(f"/api/v1/flash-sales/{fid}").json()["status"] == "closed"
    assert sku_stock(client, tokens, sid, sku) == 2 + 6  # two sold or held, six back

    r = client.post(f"/api/v1/orders/{unpaid}/cancel", headers=buyer(container, "b"))
    assert r.status_code == 200, r.text
    assert sku_stock(client, tokens, sid, sku) == 9  # the cancelled unit is back on the SKU
