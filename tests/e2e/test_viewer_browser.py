"""A viewer on a phone (390×844): opens a KOC's reservation link, is told to sign in on the
platform without a buyer token, reserves with one, then sees the live room's shelf and
claims a coupon. Also the warm-up page 运营 works in. Screenshots go to docs/screenshots/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from liveroom.config import Settings
from liveroom.identity.model import issue_buyer_jwt

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda e: blocked.append(str(e)))
    return blocked


def seed_show(server, admin: str) -> tuple[str, list[str], dict]:  # type: ignore[no-untyped-def]
    start = (datetime.now(UTC) + timedelta(days=2, hours=3)).replace(second=0, microsecond=0)
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {admin}"}) as c:
        skus = []
        for code, name, price, stock in (("POT-V1", "珐琅铸铁锅 24cm", 29900, 28),
                                         ("KNF-V1", "大马士革主厨刀", 15900, 300),
                                         ("BRD-V1", "整竹砧板", 6900, 120)):
            p = c.post("/api/v1/products", json={
                "name": name, "category": "厨具", "tier": "profit", "skus": [
                    {"code": code, "spec": "标准", "price_fen": price, "cost_fen": price // 3,
                     "stock": stock}]}).json()
            skus.append((p["skus"][0]["id"], price))
        sid = c.post("/api/v1/sessions", json={
            "title": "秋冬厨房好物节", "theme": "一口好锅过冬", "duration_minutes": 120,
            "scheduled_start": start.isoformat()}).json()["id"]
        c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
            {"sku_id": s, "live_price_fen": p - 2000} for s, p in skus]}).raise_for_status()
        c.put(f"/api/v1/sessions/{sid}/campaign", json={
            "reward_first_n": 100, "first_n_reward": "前100名送围裙",
            "teams": [{"name": "阿美队", "captain": "koc_amei"},
                      {"name": "小林队", "captain": "koc_lin"}],
            "team_prize": "冠军队每人 50 元券"}).raise_for_status()
        code = c.post(f"/api/v1/sessions/{sid}/campaign/channel-coupons", json={
            "channels": ["community"], "discount_fen": 1000, "threshold_fen": 9900}
            ).json()["coupons"][0]["code"]
        link = c.post(f"/api/v1/sessions/{sid}/links", json={
            "channel": "community", "kind": "reservation", "koc": "koc_amei", "team": "阿美队",
            "coupon_code": code}).json()
        c.post(f"/api/v1/sessions/{sid}/links", json={
            "channel": "sms", "kind": "reservation"}).raise_for_status()
    return sid, [s for s, _ in skus], link


def test_viewer_reserves_from_a_link_then_shops_the_live_room(server, page, shots) -> None:  # type: ignore[no-untyped-def]
    admin = server.cli("user", "add", "viewer-admin", "--role", "admin")
    sid, skus, link = seed_show(server, admin)
    pot = skus[0]
    blocked = watch(page)
    secret = Settings().buyer_secret
    page.set_viewport_size(PHONE)
    # without the platform's sign-in: a clear message, nothing reserved
    page.goto(link["url"])
    expect(page.locator("h1")).to_have_text("秋冬厨房好物节")
    expect(page.locator(".countdown")).to_contain_text("天")
    page.click("#reserve")
    expect(page.locator("#reserve-note")).to_contain_text("请在抖音")
    # with the buyer's JWT from the login gateway (in the fragment): reserved, with a rank
    for n in range(1, 4):
        token = issue_buyer_jwt(f"buyer-early-{n}", secret, datetime.now(UTC))
        page.goto("about:blank")  # each buyer opens the page afresh from the platform
        page.goto(f"{link['url']}#buyer_token={token}")
        page.click("#reserve")
        expect(page.locator("#reserve-note")).to_contain_text(f"第 {n} 位")
    assert "buyer_token" not in page.url  # the token left the address bar
    page.reload()
    expect(page.locator(".v-people")).to_contain_text("3 人已预约")
    page.screenshot(path=str(shots / "viewer-reserve-390x844.png"))
    page.set_viewport_size(SCREEN)
    page.screenshot(path=str(shots / "viewer-reserve-1920x1080.png"))
    # the warm-up page for 运营: tasks, links with QR codes, the curve, the PK
    page.context.add_cookies([{"name": "liveroom_token", "value": admin, "url": server.url}])
    page.goto(f"{server.url}/sessions/{sid}/warmup")
    expect(page.locator("#wu-curve svg")).to_be_visible()
    page.locator("#wu-tasks li.wu-task").first.locator("button").click()
    expect(page.locator("#wu-tasks li.wu-task").first).to_contain_text("viewer-admin")
    expect(page.locator("figure.wu-link img").first).to_be_visible()
    page.screenshot(path=str(shots / "warmup-1920x1080.png"))
    # the show goes on air with a flash sale and a coupon: the viewer's live room
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {admin}"}) as c:
        c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
        for sku in skus:
            c.post(f"/api/v1/sessions/{sid}/skus/{sku}/list").raise_for_status()
        fid = c.post(f"/api/v1/sessions/{sid}/flash-sales", json={
            "sku_id": pot, "price_fen": 19900, "quantity": 20, "per_buyer_limit": 1}).json()["id"]
        c.post(f"/api/v1/flash-sales/{fid}/start").raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/coupons", json={
            "name": "直播间满减券", "kind": "threshold", "discount_fen": 2000,
            "threshold_fen": 19900, "total": 500, "issue_now": True}).raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/explaining", json={"sku_id": pot})
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    token = issue_buyer_jwt("buyer-early-1", secret, datetime.now(UTC))
    page.goto(f"{server.url}/live/{sid}?lc={link['code']}#buyer_token={token}")
    expect(page.locator(".v-flash")).to_contain_text("限时秒杀进行中")
    expect(page.locator(".v-items")).to_contain_text("仅剩 8 件")  # 28 less 20 on sale
    exclusive = page.locator(".v-coupon-code")
    exclusive.locator(".v-claim").click()
    expect(exclusive.locator(".v-note")).to_contain_text("领取成功")
    page.screenshot(path=str(shots / "viewer-live-390x844.png"), full_page=True)
    page.set_viewport_size(SCREEN)
    page.screenshot(path=str(shots / "viewer-live-1920x1080.png"))
    # a console action reaches the open live room by itself: pushed, not polled (the page
    # used to redraw its shelf every 5 s)
    knife = page.locator(".v-items li:has-text('大马士革主厨刀')")
    expect(knife).to_contain_text("¥139.00")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {admin}"}) as c:
        c.post(f"/api/v1/sessions/{sid}/skus/{skus[1]}/price",
               json={"price_fen": 12900, "reason": "限时直降"}).raise_for_status()
    expect(knife).to_contain_text("¥129.00", timeout=2500)
    assert blocked == []
