"""The 订单 page in a browser: a show's orders of three products from two merchants (one
product without a merchant), filtered by merchant and by category, the subtotal per
merchant, and the download links carrying the filter."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from liveroom.config import Settings
from liveroom.identity.model import issue_buyer_jwt
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
GOODS = [("不粘炒锅", "28cm", "厨具", "苏泊尔旗舰店"),
         ("云南小粒咖啡豆", "500g", "食品", "云南咖啡合作社"),
         ("羊毛围巾", "燕麦色", "服饰", "")]


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def show_with_orders(server: Server, admin: str) -> str:
    """A live show with three products; eight orders, six of them paid."""
    with httpx.Client(base_url=server.url, headers=bearer(admin)) as c:
        skus = []
        for i, (name, spec, category, merchant) in enumerate(GOODS):
            p = c.post("/api/v1/products", json={
                "name": name, "category": category, "tier": "profit", "merchant": merchant,
                "skus": [{"code": f"ORD-{i}", "spec": spec, "price_fen": 9900,
                          "cost_fen": 4000, "stock": 500}]}).json()
            skus.append(p["skus"][0]["id"])
        sid: str = c.post("/api/v1/sessions", json={
            "title": "周末家居好物专场", "duration_minutes": 120,
            "scheduled_start": "2026-11-27T19:00:00+08:00"}).json()["id"]
        c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
            {"sku_id": s, "live_price_fen": 6900 + 1000 * i} for i, s in enumerate(skus)]}
              ).raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
        for s in skus:
            c.post(f"/api/v1/sessions/{sid}/skus/{s}/list").raise_for_status()
    secret = Settings().buyer_secret
    with httpx.Client(base_url=server.url) as c:
        for i in range(8):
            h = bearer(issue_buyer_jwt(f"fan-{i}", secret, datetime.now(UTC)))
            items = [{"sku_id": skus[i % 3], "quantity": 1 + i % 2}]
            if i % 4 == 0:
                items.append({"sku_id": skus[(i + 1) % 3], "quantity": 1})
            oid = c.post(f"/api/v1/sessions/{sid}/orders",
                         headers={**h, "Idempotency-Key": f"ord-{i}"},
                         json={"items": items, "contact": {
                             "name": f"李{i}", "phone": f"1391234{i:04d}",
                             "address": "上海市浦东新区世纪大道 100 号"}}).json()["order_id"]
            if i < 6:
                c.post(f"/api/v1/orders/{oid}/pay", headers=h).raise_for_status()
    return sid


def test_the_orders_page_in_the_browser(server, page, tmp_path):  # type: ignore[no-untyped-def]
    admin = server.cli("user", "add", "wang", "--role", "admin")
    ops = server.cli("user", "add", "zhao", "--role", "ops")
    sid = show_with_orders(server, admin)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.context.add_cookies([{"name": "liveroom_token", "value": ops, "url": server.url}])
    page.goto(f"{server.url}/sessions/{sid}/orders")
    expect(page.locator("table.order-list tbody tr")).to_have_count(8)
    expect(page.locator("table.order-summary tbody tr")).to_have_count(3)
    expect(page.locator("table.order-summary tfoot")).to_contain_text("合计")
    expect(page.locator("table.order-summary")).to_contain_text("未填商家")
    shots = Path(os.environ.get("LIVEROOM_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / "orders.png"))
    page.select_option("select[name=merchant]", "苏泊尔旗舰店")
    page.locator("button:has-text('筛选')").click()
    expect(page.locator("table.order-summary tbody tr")).to_have_count(1)
    expect(page.locator("table.order-summary tbody tr")).to_contain_text("苏泊尔旗舰店")
    expect(page.locator("table.order-list")).not_to_contain_text("云南小粒咖啡豆")
    merchant = "merchant=%E8%8B%8F%E6%B3%8A%E5%B0%94%E6%97%97%E8%88%B0%E5%BA%97"
    expect(page.locator("a:has-text('下载 Excel')")).to_have_attribute(
        "href", f"/api/v1/sessions/{sid}/orders?format=xlsx&{merchant}")
    expect(page.locator("a:has-text('按商家小计')")).to_have_attribute(
        "href", f"/api/v1/sessions/{sid}/orders/merchants?format=csv&{merchant}")
    page.screenshot(path=str(shots / "orders-merchant.png"))
    page.select_option("select[name=merchant]", "")
    page.select_option("select[name=category]", "厨具")
    page.locator("button:has-text('筛选')").click()
    expect(page.locator("a:has-text('下载 Excel')")).to_have_attribute(
        "href", f"/api/v1/sessions/{sid}/orders?format=xlsx&category=%E5%8E%A8%E5%85%B7")
