"""Members' history through HTTP: imported past orders make returning members (with their
points), the review splits the show's buyers into new and returning, and a member's page
data carries recommendations from purchase history."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import product
from tests.integration.test_members import member, pay
from tests.integration.test_orders import buyer, listed_shop


def test_imported_history_makes_returning_members_in_the_review(client, tokens,
                                                                container) -> None:
    # given a show, another product, and amy's two orders from the old shop system
    sid, sku = listed_shop(client, tokens, stock=20)
    other = product(client, tokens["ops"], name="保温杯", category="厨具")["sku_id"]
    long_ago = container.clock.now() - timedelta(days=90)
    body = {"purchases": [
        {"ref": "old-1", "buyer_id": "amy", "sku_id": other, "unit_price_fen": 5000,
         "paid_at": long_ago.isoformat()},
        {"ref": "old-2", "buyer_id": "amy", "sku_id": other, "unit_price_fen": 5000,
         "paid_at": (long_ago + timedelta(days=30)).isoformat()}]}
    assert client.post("/api/v1/members/import", headers=tokens["cs"],
                       json=body).status_code == 403
    r = client.post("/api/v1/members/import", headers=tokens["ops"], json=body)
    assert r.status_code == 201 and r.json() == {"purchases": 2, "buyers": 1}, r.text
    # importing the same file again imports nothing twice
    client.post("/api/v1/members/import", headers=tokens["ops"], json=body)
    amy = member(client, tokens, "amy").json()
    assert (amy["orders"], amy["points"]) == (2, 100)
    # when amy (returning) and bob (new) buy in the show
    pay(client, sid, buyer(container, "amy"), "a1", sku)
    pay(client, sid, buyer(container, "bob"), "b1", sku)
    # then the review counts one returning and one new buyer
    review = client.get(f"/api/v1/sessions/{sid}/review", headers=tokens["ops"]).json()
    b = review["buyers"]
    assert (b["returning"]["buyers"], b["new"]["buyers"]) == (1, 1)
    assert b["returning"]["gmv_fen"] == b["new"]["gmv_fen"] == 12000
    assert b["returning_share"] == 0.5
    # and bob's recommendations offer what amy bought with the show's product
    recs = member(client, tokens, "bob").json()["recommendations"]
    assert recs[0]["product_name"] == "保温杯"
    assert recs[0]["reason"] == "co_purchase"
