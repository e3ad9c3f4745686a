"""PATCH a product, a SKU and a planned session through HTTP: audited, guarded by the one
price guard, planned-only for sessions, ops/admin only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from tests import factories as f


def audit_rows(container: Any, action: str) -> list[Any]:
    with container.read() as conn:
        return conn.execute(select(t.audit_log).where(t.audit_log.c.action == action)
                            .order_by(t.audit_log.c.id)).all()


def test_patch_product_changes_fields_and_audits_before_after(client, tokens, container):
    p = f.product(client, tokens["ops"], name="不粘锅", category="厨具")
    r = client.patch(f"/api/v1/products/{p['id']}", headers=tokens["ops"],
                     json={"name": "麦饭石不粘锅", "tier": "traffic", "restock_lead_days": 3,
                           "shipping_regions": ["江浙沪", "广东"],
                           "qualification_docs": ["质检报告"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["name"], body["tier"], body["restock_lead_days"]) == ("麦饭石不粘锅", "traffic", 3)
    assert body["shipping_regions"] == ["江浙沪", "广东"]
    assert set(body["changed"]) == {"name", "tier", "restock_lead_days", "shipping_regions",
                                    "qualification_docs"}
    [row] = audit_rows(container, "product.update")
    assert row.before["name"] == "不粘锅" and row.after["name"] == "麦饭石不粘锅"
    assert row.before["tier"] == "profit" and row.actor_name == "ops-user"


def test_patch_product_refuses_others_and_bad_values(client, tokens):
    p = f.product(client, tokens["ops"])
    url = f"/api/v1/products/{p['id']}"
    assert client.patch(url, headers=tokens["console"], json={"name": "x"}).status_code == 403
    assert client.patch(url, headers=tokens["ops"], json={"tier": "gold"}).status_code == 422
    assert client.patch(url, headers=tokens["ops"], json={"color": "red"}).status_code == 422
    r = client.patch("/api/v1/products/nope", headers=tokens["ops"], json={"name": "x"})
    assert r.status_code == 404 and r.json()["code"] == "product_not_found"


def test_patch_sku_price_cost_and_stock(client, tokens, container):
    p = f.product(client, tokens["ops"], price_fen=19900, cost_fen=8000, stock=10)
    url = f"/api/v1/skus/{p['sku_id']}"
    r = client.patch(url, headers=tokens["ops"], json={"price_fen": 18900, "cost_fen": 7000,
                                                       "restock": 5})
    assert r.status_code == 200, r.text
    sku = client.get(f"/api/v1/products/{p['id']}", headers=tokens["ops"]).json()["skus"][0]
    assert (sku["price_fen"], sku["cost_fen"], sku["stock"]) == (18900, 7000, 15)
    [row] = audit_rows(container, "sku.update")
    assert row.before == {"price_fen": 19900, "cost_fen": 8000, "stock": 10}
    assert row.after == {"price_fen": 18900, "cost_fen": 7000, "stock": 15}
    # Setting the count is conditional on what the editor saw.
    r = client.patch(url, headers=tokens["ops"], json={"stock": 3, "expected_stock": 10})
    assert r.status_code == 409 and r.json()["code"] == "stock_changed"
    r = client.patch(url, headers=tokens["ops"], json={"stock": 3, "expected_stock": 15})
    assert r.status_code == 200, r.text
    sku = client.get(f"/api/v1/products/{p['id']}", headers=tokens["ops"]).json()["skus"][0]
    assert sku["stock"] == 3
    r = client.patch(url, headers=tokens["ops"], json={"stock": 1, "restock": 1})
    assert r.status_code == 422
    assert client.patch(url, headers=tokens["cs"], json={"stock": 1}).status_code == 403


def test_raising_cost_above_a_live_price_is_refused_by_the_guard(client, tokens, container):
    sid, sku_id = f.live_session_with(client, tokens, live_price_fen=15000, price_fen=19900,
                                      cost_fen=8000)
    url = f"/api/v1/skus/{sku_id}"
    r = client.patch(url, headers=tokens["ops"], json={"cost_fen": 16000})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "price_below_cost"
    with container.read() as conn:
        cost = conn.execute(select(t.skus.c.cost_fen).where(t.skus.c.id == sku_id)).scalar()
    assert cost == 8000  # nothing changed
    assert audit_rows(container, "sku.update") == []
    # A planned show that has the SKU is checked too.
    plan = f.session(client, tokens["ops"])
    r = client.put(f"/api/v1/sessions/{plan}/lineup", headers=tokens["ops"],
                   json={"items": [{"sku_id": sku_id, "live_price_fen": 19000}]})
    assert r.status_code == 200, r.text
    r = client.patch(url, headers=tokens["ops"],
                     json={"cost_fen": 16000, "override": True, "override_reason": "供应商涨价"})
    assert r.status_code == 200, r.text
    assert r.json()["overridden"] == ["price_below_cost"]
    overrides = audit_rows(container, "console.price_override")
    assert {o.session_id for o in overrides} == {sid}
    [row] = audit_rows(container, "sku.update")
    assert row.override_reason == "供应商涨价" and row.after["cost_fen"] == 16000


def test_raising_the_list_price_checks_the_drop_rule(client, tokens):
    _, sku_id = f.live_session_with(client, tokens, live_price_fen=15000)
    r = client.patch(f"/api/v1/skus/{sku_id}", headers=tokens["admin"],
                     json={"price_fen": 99900})  # live price now drops > 60 % from list
    assert r.status_code == 422 and r.json()["code"] == "price_drop_too_large"


def test_patch_session_while_planned(client, tokens, container):
    p = f.product(client, tokens["ops"])
    sid = f.session(client, tokens["ops"])
    url = f"/api/v1/sessions/{sid}"
    r = client.patch(url, headers=tokens["ops"], json={
        "title": "双十二厨房专场", "scheduled_start": "2026-12-12T20:00:00+08:00",
        "duration_minutes": 90, "targets": {"gmv_fen": 80_000_000, "viewers": 30_000},
        "sku_targets": {p["sku_id"]: 300}, "channel_budget": {"feed_ads": 500_000}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["title"] == "双十二厨房专场" and body["duration_minutes"] == 90
    assert body["scheduled_start"].startswith("2026-12-12T12:00")
    assert body["sku_targets"] == {p["sku_id"]: 300}
    assert body["channel_budget"] == {"feed_ads": 500_000}
    [row] = audit_rows(container, "session.update")
    assert row.before["title"] == "厨房好物节" and row.after["duration_minutes"] == 90
    assert row.session_id == sid
    bad = client.patch(url, headers=tokens["ops"], json={"channel_budget": {"tv": 1}})
    assert bad.status_code == 422 and bad.json()["code"] == "unknown_channel"
    bad = client.patch(url, headers=tokens["ops"], json={"sku_targets": {"nope": 1}})
    assert bad.status_code == 422 and bad.json()["code"] == "sku_not_found"
    assert client.patch(url, headers=tokens["host"], json={"title": "x"}).status_code == 403
    r = client.put(f"{url}/segments", headers=tokens["ops"], json={"segments": [
        {"kind": "opening", "start_minute": 0, "duration_minutes": 5},
        {"kind": "closing", "start_minute": 80, "duration_minutes": 10}]})
    assert r.status_code == 200, r.text
    short = client.patch(url, headers=tokens["ops"], json={"duration_minutes": 60})
    assert short.status_code == 422 and short.json()["code"] == "segment_past_end"
    assert client.post(f"/api/v1/sessions/{sid}/rehearse",
                       headers=tokens["console"]).status_code == 200
    r = client.patch(url, headers=tokens["ops"], json={"title": "改不了"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
