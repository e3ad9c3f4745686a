"""The 发货 page in a browser: orders to ship with ship-by dates (one overdue, in red), a
shipping sheet uploaded through htmx with its refused rows listed, a date confirmed."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, update

from liveroom.adapters.sql.schema_orders import orders
from liveroom.config import Settings
from liveroom.identity.model import issue_buyer_jwt
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
GOODS = [("不粘炒锅", "28cm", 2), ("云南小粒咖啡豆", "500g", 1), ("羊毛围巾", "燕麦色", 5)]


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """The operator's browser is a Chinese one (dates and the file picker in Chinese)."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def paid_orders(server: Server, admin: str) -> list[str]:
    """A live show with three products of different lead times; six paid orders."""
    with httpx.Client(base_url=server.url, headers=bearer(admin)) as c:
        skus = []
        for i, (name, spec, lead) in enumerate(GOODS):
            p = c.post("/api/v1/products", json={
                "name": name, "category": "好物", "tier": "profit", "ship_lead_days": lead,
                "skus": [{"code": f"FUL-{i}", "spec": spec, "price_fen": 9900,
                          "cost_fen": 4000, "stock": 500}]}).json()
            skus.append(p["skus"][0]["id"])
        sid = c.post("/api/v1/sessions", json={
            "title": "周末家居好物专场", "duration_minutes": 120,
            "scheduled_start": "2026-11-27T19:00:00+08:00"}).json()["id"]
        c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
            {"sku_id": s, "live_price_fen": 6900} for s in skus]}).raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
        for s in skus:
            c.post(f"/api/v1/sessions/{sid}/skus/{s}/list").raise_for_status()
    secret = Settings().buyer_secret
    out = []
    with httpx.Client(base_url=server.url) as c:
        for i in range(6):
            h = bearer(issue_buyer_jwt(f"fan-{i}", secret, datetime.now(UTC)))
            oid = c.post(f"/api/v1/sessions/{sid}/orders",
                         headers={**h, "Idempotency-Key": f"ful-{i}"},
                         json={"items": [{"sku_id": skus[i % 3], "quantity": 1 + i % 2}]}
                         ).json()["order_id"]
            c.post(f"/api/v1/orders/{oid}/pay", headers=h).raise_for_status()
            out.append(oid)
    return out


def test_the_fulfilment_page_in_the_browser(server, page, tmp_path):
    admin = server.cli("user", "add", "wang", "--role", "admin")
    merchant = server.cli("user", "add", "chen", "--role", "merchant")
    oids = paid_orders(server, admin)
    # two orders were paid four days ago: past their ship-by date
    engine = create_engine(f"sqlite:///{Path(server.env['LIVEROOM_VAR_DIR']) / 'liveroom.db'}")
    with engine.begin() as conn:
        conn.execute(update(orders).where(orders.c.id.in_(oids[:2])).values(
            paid_at=datetime.now(UTC) - timedelta(days=4)))
    engine.dispose()
    with httpx.Client(base_url=server.url, headers=bearer(merchant)) as c:
        c.put(f"/api/v1/orders/{oids[5]}/shipping", json={
            "carrier": "顺丰速运", "tracking_no": "SF1400221", "status": "shipped"}
              ).raise_for_status()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.context.add_cookies([{"name": "liveroom_token", "value": merchant, "url": server.url}])
    page.goto(f"{server.url}/fulfilment")
    expect(page.locator("table.ship tbody tr")).to_have_count(5)
    expect(page.locator("tr.overdue")).to_have_count(2)
    # the merchant uploads a sheet: two good rows, one unknown order, one without a number
    sheet = "\n".join(["订单号,快递公司,运单号,状态", f"{oids[2]},中通快递,ZT7788001,",
                       f"{oids[3]},圆通速递,YT5566002,已发货", "LR00000000BAD,中通快递,ZT1,",
                       f"{oids[4]},韵达快递,,"]).encode()
    page.set_input_files("input[name=file]", files=[
        {"name": "发货单.csv", "mimeType": "text/csv", "buffer": sheet}])
    page.locator("button:has-text('上传')").click()
    expect(page.locator("[data-upload]")).to_contain_text("2 行已更新")
    expect(page.locator("table.row-errors tbody tr")).to_have_count(2)
    expect(page.locator("table.ship tbody tr")).to_have_count(3)
    shots = Path(os.environ.get("LIVEROOM_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / "fulfilment.png"))
    # then confirms the first overdue order's date as it is
    page.locator("tr.overdue").first.locator("button:has-text('确认')").click()
    expect(page.locator(".flash.ok")).to_contain_text("发货截止日已确认")
    expect(page.locator("tr.overdue").first).to_contain_text("商家已确认")
    page.goto(f"{server.url}/fulfilment?show=moving")
    expect(page.locator("table.ship tbody tr")).to_have_count(3)
    page.locator("details summary").first.click()
    expect(page.locator("ol.moves li").first).to_contain_text("已发货")
    page.screenshot(path=str(shots / "fulfilment-moving.png"))
