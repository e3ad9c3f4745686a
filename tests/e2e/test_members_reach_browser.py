"""The member page's recommendations and the 晒单 approval page in a browser: a member with
imported history sees what to offer next; ops approve a post through htmx and the reward
is granted once."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from liveroom.config import Settings
from liveroom.identity.model import issue_buyer_jwt

pytestmark = pytest.mark.e2e

GOODS = [("不粘炒锅 28cm", "厨具", 15900), ("316不锈钢保温杯", "厨具", 12900),
         ("每日坚果 30袋装", "食品", 5990), ("补水保湿面膜 10片", "美妆", 4990),
         ("云南小粒咖啡 挂耳50包", "饮料", 4990)]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def shop_with_members(server, admin: str) -> tuple[str, list[str], list[str]]:
    """A live show with five products; members with a year of imported history; three
    buyers who paid in the show. Returns (session, sku ids, paid order ids)."""
    with httpx.Client(base_url=server.url, headers=bearer(admin)) as c:
        skus = []
        for i, (name, category, price) in enumerate(GOODS):
            p = c.post("/api/v1/products", json={
                "name": name, "category": category, "tier": "profit",
                "skus": [{"code": f"CRM-{i}", "spec": "默认", "price_fen": price,
                          "cost_fen": price // 3, "stock": 500}]}).json()
            skus.append(p["skus"][0]["id"])
        sid = c.post("/api/v1/sessions", json={
            "title": "周五厨房专场", "duration_minutes": 120,
            "scheduled_start": "2026-11-27T19:00:00+08:00"}).json()["id"]
        c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
            {"sku_id": s, "live_price_fen": GOODS[i][2]} for i, s in enumerate(skus)]}
              ).raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/skus/{skus[0]}/list").raise_for_status()
        now = datetime.now(UTC)
        past = []
        for b in range(12):  # pans go with cups; snacks with coffee
            pair = (0, 1) if b % 2 else (2, 4)
            for k, g in enumerate(pair):
                past.append({"ref": f"old-{b}-{k}", "buyer_id": f"member-{b}",
                             "sku_id": skus[g], "unit_price_fen": GOODS[g][2],
                             "paid_at": (now - timedelta(days=200 - 40 * k - b)).isoformat()})
        c.post("/api/v1/members/import", json={"purchases": past}).raise_for_status()
    secret = Settings().buyer_secret
    paid = []
    with httpx.Client(base_url=server.url) as c:
        for i, who in enumerate(("member-2", "newcomer-1", "newcomer-2")):
            h = bearer(issue_buyer_jwt(who, secret, datetime.now(UTC)))
            oid = c.post(f"/api/v1/sessions/{sid}/orders",
                         headers={**h, "Idempotency-Key": f"crm-{i}"},
                         json={"items": [{"sku_id": skus[0], "quantity": 1}],
                               "contact": {"name": ["王小明", "李娜", "张伟"][i]}}
                         ).json()["order_id"]
            c.post(f"/api/v1/orders/{oid}/pay", headers=h).raise_for_status()
            paid.append(oid)
            c.post(f"/api/v1/orders/{oid}/ugc", headers=h, json={
                "text": ["锅很好用，不粘，颜色也好看！", "物流很快，包装很用心", "第二次回购了"][i],
                "photo_url": "https://img.example/pan.jpg"}).raise_for_status()
    return sid, skus, paid


def test_member_recommendations_and_ugc_approval(server, page, tmp_path):
    admin = server.cli("user", "add", "wang", "--role", "admin")
    ops = server.cli("user", "add", "lin", "--role", "ops")
    shop_with_members(server, admin)
    shots = Path(os.environ.get("LIVEROOM_SCREENSHOT_DIR") or tmp_path)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.context.add_cookies([{"name": "liveroom_token", "value": ops, "url": server.url}])
    # the member list: imported members and the show's buyers, with tiers and segments
    page.goto(f"{server.url}/members")
    expect(page.locator("body")).to_contain_text("重要")
    page.screenshot(path=str(shots / "crm-members.png"), full_page=True)
    # the newcomer who bought a pan is offered the cup (bought with pans by members)
    page.goto(f"{server.url}/members/newcomer-1")
    expect(page.locator("h2", has_text="推荐给TA")).to_be_visible()
    first = page.locator("section:has(h2:has-text('推荐给TA')) tbody tr").first
    expect(first).to_contain_text("316不锈钢保温杯")
    expect(first).to_contain_text("常与该会员买过的商品一起购买")
    page.screenshot(path=str(shots / "crm-member.png"), full_page=True)
    # the 晒单 queue: approve the first post with 100 points
    page.goto(f"{server.url}/members/ugc")
    rows = page.locator("table.posts tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.posts")).to_contain_text("待审核")
    page.screenshot(path=str(shots / "crm-ugc.png"), full_page=True)
    rows.first.locator("button:has-text('通过并发放积分')").click()
    expect(page.locator(".flash.ok")).to_contain_text("奖励已发放")
    expect(page.locator("table.posts")).to_contain_text("已发放 100 积分")
