"""The control plane through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from liveroom.identity.model import issue_buyer_jwt
from tests import factories as f
from tests.conftest import auth


def test_create_product_and_read_its_score(client, tokens):
    p = f.product(client, tokens["ops"], name="空气炸锅", tier="flagship",
                  history={"views": 5000, "orders": 700, "returns": 20})
    r = client.get(f"/api/v1/products/{p['id']}", headers=tokens["host"])
    assert r.status_code == 200
    body = r.json()
    assert body["tier_zh"] == "战略款" and body["skus"][0]["price_fen"] == 19900
    assert 0 < body["score"] <= 100 and body["score_reasons"]


def test_products_list_is_paginated_and_sorted_by_score(client, tokens):
    for i in range(3):
        f.product(client, tokens["ops"], name=f"商品{i}", cost_fen=1000 * (i + 1))
    r = client.get("/api/v1/products?limit=2", headers=tokens["ops"])
    body = r.json()
    assert body["total"] == 3 and len(body["items"]) == 2
    assert body["items"][0]["score"] >= body["items"][1]["score"]


def test_roles_that_may_not_create_products_get_403(client, tokens):
    r = client.post("/api/v1/products", headers=tokens["host"],
                    json={"name": "x", "category": "y", "tier": "profit",
                          "skus": [{"code": "A", "price_fen": 1, "cost_fen": 0, "stock": 1}]})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_bad_input_names_the_field_and_writes_nothing(client, tokens):
    r = client.post("/api/v1/products", headers=tokens["ops"],
                    json={"name": "锅", "category": "厨具", "tier": "profit",
                          "skus": [{"code": "A", "price_fen": -5, "cost_fen": 0, "stock": 1}]})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    assert "price_fen" in r.json()["field"]
    r = client.post("/api/v1/products", headers={**tokens["ops"],
                                                 "Content-Type": "application/json"},
                    content=b"{not json")
    assert r.status_code == 400 and r.json()["code"] == "malformed_json"
    assert client.get("/api/v1/products", headers=tokens["ops"]).json()["total"] == 0


def test_duplicate_sku_code_is_a_conflict_and_nothing_is_written(client, tokens):
    p = f.product(client, tokens["ops"])
    code = p["skus"][0]["code"]
    r = client.post("/api/v1/products", headers=tokens["ops"],
                    json={"name": "另一个", "category": "厨具", "tier": "profit",
                          "skus": [{"code": code, "price_fen": 100, "cost_fen": 0, "stock": 1}]})
    assert r.status_code == 409 and r.json()["code"] == "duplicate_sku_code"
    assert client.get("/api/v1/products", headers=tokens["ops"]).json()["total"] == 1


def test_auth_missing_revoked_and_buyer_tokens(client, tokens, container, clock):
    assert client.get("/api/v1/products").status_code == 401
    assert client.get("/api/v1/products", headers=auth("lr_nope")).json()["code"] == \
        "unauthenticated"
    r = client.delete("/api/v1/users/cs-user/tokens", headers=tokens["admin"])
    assert r.json()["revoked"] == 1
    assert client.get("/api/v1/products", headers=tokens["cs"]).status_code == 401
    expired = issue_buyer_jwt("b1", container.settings.buyer_secret,
                              clock.now() - timedelta(days=2), ttl=timedelta(hours=1))
    r = client.post("/api/v1/products", headers=auth(expired), json={})
    assert r.status_code == 401


def test_session_plan_with_warnings_then_fixed(client, tokens):
    p = f.product(client, tokens["ops"], name="空气炸锅", stock=500, tier="traffic",
                  price_fen=29900, cost_fen=15000)
    sid = f.session(client, tokens["ops"])
    r = client.put(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"], json={"items": [
        {"sku_id": p["sku_id"], "live_price_fen": 19900, "flash_quantity": 800,
         "talking_points": {"F": "无油", "A": "省时", "B": "健康", "E": "检测报告"}}]})
    codes = {w["code"] for w in r.json()["warnings"]}
    assert "flash_quantity_over_stock" in codes
    segs = [{"kind": "opening", "start_minute": 0, "duration_minutes": 5,
             "sku_id": p["sku_id"], "giveaway": True}]
    segs += [{"kind": "product", "start_minute": m, "duration_minutes": 8, "sku_id": p["sku_id"],
              "giveaway": m in (5, 25, 45, 65, 85, 105)} for m in range(5, 115, 10)]
    r = client.put(f"/api/v1/sessions/{sid}/segments", headers=tokens["ops"],
                   json={"segments": segs})
    assert r.status_code == 200, r.text
    codes = {w["code"] for w in r.json()["warnings"]}
    assert {"loop_incomplete", "contingency_missing"} <= codes
    for s in segs[1:]:  # every product segment runs explain → engage → close
        s["script"] = "讲解：无油也酥脆\n互动：扣1抽奖\n逼单：最后100台"
    r = client.put(f"/api/v1/sessions/{sid}/segments", headers=tokens["ops"],
                   json={"segments": segs})
    r = client.put(f"/api/v1/sessions/{sid}/contingency", headers=tokens["ops"], json={
        "scripts": {"equipment_failure": "切备用机位", "out_of_stock": "换同款",
                    "slip_of_tongue": "立即更正"}})
    assert r.status_code == 200, r.text
    client.put(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"], json={"items": [
        {"sku_id": p["sku_id"], "live_price_fen": 19900, "flash_quantity": 400}]})
    r = client.get(f"/api/v1/sessions/{sid}/plan-check", headers=tokens["host"])
    assert r.json() == {"ok": True, "warnings": []}


def test_overlapping_segments_are_refused(client, tokens):
    sid = f.session(client, tokens["ops"])
    r = client.put(f"/api/v1/sessions/{sid}/segments", headers=tokens["ops"], json={"segments": [
        {"kind": "opening", "start_minute": 0, "duration_minutes": 10},
        {"kind": "product", "start_minute": 5, "duration_minutes": 5}]})
    assert r.status_code == 422 and r.json()["code"] == "segments_overlap"


def test_checklist_ticks_carry_who_and_when(client, tokens):
    sid = f.session(client, tokens["ops"])
    r = client.post(f"/api/v1/sessions/{sid}/checklist/order_flow", headers=tokens["console"],
                    json={"ok": True, "note": "¥0.01 test order paid and refunded"})
    item = next(i for i in r.json()["checklist"] if i["item"] == "order_flow")
    assert item["ok"] is True and item["checked_by"] == "console-user" and item["checked_at"]
    r = client.post(f"/api/v1/sessions/{sid}/checklist/coffee", headers=tokens["console"],
                    json={})
    assert r.json()["code"] == "unknown_checklist_item"


def test_state_machine_over_http(client, tokens):
    sid = f.session(client, tokens["ops"])
    assert client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"]).json()["code"] \
        == "invalid_state"
    assert client.post(f"/api/v1/sessions/{sid}/rehearse",
                       headers=tokens["console"]).json()["status"] == "rehearsal"
    assert client.post(f"/api/v1/sessions/{sid}/start",
                       headers=tokens["host"]).json()["status"] == "live"
    assert client.post(f"/api/v1/sessions/{sid}/start", headers=tokens["ops"]).status_code == 403
    assert client.post(f"/api/v1/sessions/{sid}/end",
                       headers=tokens["host"]).json()["status"] == "ended"
    assert client.post("/api/v1/sessions/nope/start", headers=tokens["host"]).json()["code"] \
        == "session_not_found"


def test_wrong_price_is_refused_and_nothing_changes(client, tokens):
    sid, sku = f.live_session_with(client, tokens, live_price_fen=19900, price_fen=19900,
                                   cost_fen=8000)
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price", headers=tokens["console"],
                    json={"price_fen": 1900, "reason": "手滑"})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "price_below_cost"
    assert {v["code"] for v in body["details"]["violations"]} >= {"price_below_cost",
                                                                  "price_digit_slip"}
    lineup = client.get(f"/api/v1/sessions/{sid}/lineup", headers=tokens["host"]).json()
    assert lineup["items"][0]["live_price_fen"] == 19900
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price", headers=tokens["console"],
                    json={"price_fen": 17900, "reason": "限时直降"})
    assert r.status_code == 200 and r.json()["before_fen"] == 19900


def test_a_live_lineup_rewrite_cannot_slip_a_wrong_price_past_the_guard(client, tokens):
    # given a live show selling the pan at ¥199 (cost ¥80)
    sid, sku = f.live_session_with(client, tokens, live_price_fen=19900, cost_fen=8000)
    url = f"/api/v1/sessions/{sid}/lineup"
    # when the console rewrites the lineup with ¥19 instead of ¥199
    r = client.put(url, headers=tokens["console"],
                   json={"items": [{"sku_id": sku, "live_price_fen": 1900}]})
    # then the guard refuses it and the price viewers see is unchanged
    assert r.status_code == 422 and r.json()["code"] == "price_below_cost"
    item = client.get(url, headers=tokens["host"]).json()["items"][0]
    assert item["live_price_fen"] == 19900 and item["planned_price_fen"] == 19900
    # and a sound change keeps the planned price the digit-slip check compares with
    r = client.put(url, headers=tokens["console"],
                   json={"items": [{"sku_id": sku, "live_price_fen": 17900}]})
    assert r.status_code == 200, r.text
    assert r.json()["items"][0]["planned_price_fen"] == 19900


def test_override_needs_the_right_role_and_a_reason_and_is_audited(client, tokens):
    sid, sku = f.live_session_with(client, tokens, cost_fen=8000)
    url = f"/api/v1/sessions/{sid}/skus/{sku}/price"
    r = client.post(url, headers=tokens["console"], json={"price_fen": 7000, "override": True,
                                                         "override_reason": "清仓"})
    assert r.status_code == 403
    r = client.post(url, headers=tokens["ops"], json={"price_fen": 7000, "override": True})
    assert r.json()["code"] == "override_reason_required"
    r = client.post(url, headers=tokens["ops"], json={"price_fen": 7000, "override": True,
                                                     "override_reason": "清仓亏本冲量，老板批准"})
    assert r.status_code == 200 and "price_below_cost" in r.json()["overridden"]
    audit = client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["admin"]).json()["items"]
    last = audit[-1]
    assert last["action"] == "console.price" and last["actor_name"] == "ops-user"
    assert last["before"] == {"price_fen": 19900} and last["after"]["price_fen"] == 7000
    assert last["override_reason"] == "清仓亏本冲量，老板批准"
    assert client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["host"]).status_code == 403


def test_console_actions_land_in_the_audit_log(client, tokens, container):
    sid, sku = f.live_session_with(client, tokens)
    h = tokens["console"]
    assert client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=h).json()["listed"]
    assert client.post(f"/api/v1/sessions/{sid}/explaining", headers=h,
                       json={"sku_id": sku}).status_code == 200
    c = client.post(f"/api/v1/sessions/{sid}/coupons", headers=h, json={
        "name": "满199减30", "kind": "threshold", "threshold_fen": 19900, "discount_fen": 3000,
        "total": 1000, "per_buyer_limit": 1})
    assert c.status_code == 201 and c.json()["status"] == "draft"
    assert client.post(f"/api/v1/coupons/{c.json()['id']}/issue",
                       headers=h).json()["status"] == "issued"
    fs = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=h, json={
        "sku_id": sku, "price_fen": 9900, "quantity": 100, "per_buyer_limit": 1})
    assert fs.status_code == 201
    assert client.post(f"/api/v1/flash-sales/{fs.json()['id']}/start",
                       headers=h).json()["status"] == "live"
    lad = client.post(f"/api/v1/sessions/{sid}/ladders", headers=h, json={
        "sku_id": sku, "steps": [{"after_sold": 0, "price_fen": 18900},
                                 {"after_sold": 100, "price_fen": 17900}]})
    assert lad.status_code == 201
    r = client.post(f"/api/v1/ladders/{lad.json()['id']}/advance", headers=h)
    assert r.json()["price_fen"] == 18900 and r.json()["step"] == 1
    assert client.post(f"/api/v1/sessions/{sid}/announcements", headers=h,
                       json={"text": "部分银行卡支付异常，请换微信支付", "pinned": True}
                       ).status_code == 201
    actions = [a["action"] for a in client.get(f"/api/v1/sessions/{sid}/audit",
                                               headers=tokens["ops"]).json()["items"]]
    for expected in ("session.start", "console.list", "console.explain", "console.coupon.create",
                     "console.coupon.issued", "console.flash_sale.create",
                     "console.flash_sale.start", "console.ladder.create", "console.price",
                     "console.announce"):
        assert expected in actions
    names = [e.name for e in container.events.recent]
    assert {"PriceChanged", "FlashSaleStatusChanged", "Announced", "ProductListed"} <= set(names)


def test_flash_sale_over_stock_and_unknown_sku_are_refused(client, tokens):
    sid, sku = f.live_session_with(client, tokens, stock=50)
    r = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                    json={"sku_id": sku, "price_fen": 990, "quantity": 51})
    assert r.status_code == 422 and r.json()["code"] == "quantity_over_stock"
    r = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                    json={"sku_id": "nope", "price_fen": 990, "quantity": 1})
    assert r.status_code == 404 and r.json()["code"] == "sku_not_in_lineup"
