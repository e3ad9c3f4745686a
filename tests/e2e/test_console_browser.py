"""The console as an operator sees it: sign in, go live, a wrong price is refused on screen."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.e2e


def seed(server, token: str, code: str = "PAN-E2E") -> str:
    h = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=h) as c:
        p = c.post("/api/v1/products", json={
            "name": "不粘炒锅", "category": "厨具", "tier": "profit",
            "skus": [{"code": code, "spec": "28cm", "price_fen": 19900, "cost_fen": 8000,
                      "stock": 500}]}).json()
        sid = c.post("/api/v1/sessions", json={
            "title": "周五厨房专场", "theme": "厨房好物", "duration_minutes": 120,
            "scheduled_start": "2026-11-27T19:00:00+08:00"}).json()["id"]
        c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
            {"sku_id": p["skus"][0]["id"], "live_price_fen": 19900}]}).raise_for_status()
    return sid


def test_wrong_price_refused_in_the_console(server, page, tmp_path):
    token = server.cli("user", "add", "chen", "--role", "admin")
    sid = seed(server, token)
    page.goto(server.url + "/")
    page.fill("input[name=token]", token)
    page.click("button.primary")
    page.click(f"a[href='/console/{sid}']")
    page.click("text=开播 Go live")
    page.wait_for_selector("#status:has-text('live')")
    page.fill("input[aria-label='new price in yuan']", "19")
    page.click("button:has-text('改价')")
    alert = page.wait_for_selector(".flash.error")
    assert alert.get_attribute("data-code") == "price_below_cost"
    assert "¥199.00" in page.inner_text("td.price")
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
    page.fill("input[aria-label='new price in yuan']", "179")
    page.click("button:has-text('改价')")
    page.wait_for_selector(".flash.ok")
    assert "¥179.00" in page.inner_text("td.price")
    assert "console.price" in page.inner_text("table.audit")


def test_dashboard_shows_live_numbers(server, page):
    token = server.cli("user", "add", "lin", "--role", "ops")
    h = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=h) as c:
        sid = c.post("/api/v1/sessions", json={
            "title": "看板测试", "duration_minutes": 60,
            "scheduled_start": "2026-11-27T19:00:00+08:00"}).json()["id"]
    page.context.add_cookies([{"name": "liveroom_token", "value": token, "url": server.url}])
    page.goto(f"{server.url}/dashboard/{sid}")
    # selectors, not wait_for_function: the page's CSP forbids the eval that needs
    page.wait_for_selector("[data-metric=gmv_fen]:text-matches('^¥')")
    assert page.inner_text("[data-metric=gmv_fen]") == "¥0.00"
    assert page.inner_text("[data-metric=unique_viewers]") == "0"
    assert "暂无提问" in page.inner_text("#questions")


def test_host_works_the_question_queue_and_a_lucky_bag(server, page, tmp_path):
    admin = server.cli("user", "add", "zhao", "--role", "admin")
    connector = server.cli("user", "add", "douyin-bridge", "--role", "connector")
    sid = seed(server, admin, code="PAN-LIVE")
    with httpx.Client(base_url=server.url) as c:
        c.post(f"/api/v1/sessions/{sid}/start",
               headers={"Authorization": f"Bearer {admin}"}).raise_for_status()
        asks = [{"buyer_id": f"v{i}", "nickname": f"观众{i}", "text": "尺码怎么选？"}
                for i in range(12)]
        asks += [{"buyer_id": "p1", "nickname": "急", "text": "付不了款怎么办"}]
        r = c.post(f"/api/v1/sessions/{sid}/comments", json={"comments": asks},
                   headers={"Authorization": f"Bearer {connector}"})
        assert r.status_code == 202, r.text
    page.context.add_cookies([{"name": "liveroom_token", "value": admin, "url": server.url}])
    page.goto(f"{server.url}/console/{sid}")
    first = page.wait_for_selector("ol.questions li b")
    assert "付不了款" in first.inner_text()  # payment trouble outranks 12 sizing askers
    assert "12 人问" in page.inner_text("ol.questions")
    page.click("ol.questions li:first-child button:has-text('已答')")
    page.wait_for_selector("ol.questions li:has-text('付不了款')", state="detached")
    page.fill("input[name=keyword]", "厨房好物")
    page.click("button:has-text('发福袋')")
    page.wait_for_selector("button:has-text('开奖')")
    page.screenshot(path=str(tmp_path / "live.png"), full_page=True)


def test_console_forms_refuse_a_forged_post(server):
    token = server.cli("user", "add", "victim", "--role", "admin")
    sid = seed(server, token, code="PAN-CSRF")
    with httpx.Client(base_url=server.url, cookies={"liveroom_token": token}) as c:
        forged = c.post(f"/console/{sid}/state/start")  # the cookie alone, as another site
        assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
        page = c.get(f"/console/{sid}").text
        header = page.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]
        ok = c.post(f"/console/{sid}/state/start", headers={"X-CSRF-Token": header})
        assert ok.status_code == 200 and "live" in ok.text
