"""The console as an operator sees it in Chromium: live without reloading, refusals in the
row, End behind a confirmation."""

from __future__ import annotations

import time

import httpx
import pytest

pytestmark = pytest.mark.e2e


def seed(server, token: str, code: str = "PAN-E2E") -> tuple[str, str]:
    h = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=h) as c:
        p = c.post("/api/v1/products", json={
            "name": "不粘炒锅", "category": "厨具", "tier": "profit",
            "skus": [{"code": code, "spec": "28cm", "price_fen": 19900, "cost_fen": 8000,
                      "stock": 500}]}).json()
        sid = c.post("/api/v1/sessions", json={
            "title": "周五厨房专场", "theme": "厨房好物", "duration_minutes": 120,
            "scheduled_start": "2026-11-27T19:00:00+08:00"}).json()["id"]
        sku = p["skus"][0]["id"]
        c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
            {"sku_id": sku, "live_price_fen": 19900}]}).raise_for_status()
    return sid, sku


def start(server, token: str, sid: str) -> None:
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as c:
        c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()


def open_console(server, page, token: str, sid: str) -> None:
    page.context.add_cookies([{"name": "liveroom_token", "value": token, "url": server.url}])
    page.goto(f"{server.url}/console/{sid}")
    # the live feed is open once its first message is in (the page says 实时)
    page.wait_for_selector("body[data-feed=on] .feed-state .on", state="visible")


def test_sign_in_and_go_live(server, page):
    token = server.cli("user", "add", "chen", "--role", "admin")
    sid, _ = seed(server, token)
    page.goto(server.url + "/")
    page.fill("input[name=token]", token)
    page.click("button.primary")
    page.click(f"a[href='/console/{sid}']")
    assert page.inner_text("#status") == "计划中"
    page.click("button:has-text('开播')")
    page.wait_for_selector("#console[data-status=live] #status:has-text('直播中')")
    assert page.locator("button:has-text('开播')").count() == 0


def test_a_price_changed_through_the_api_is_on_the_open_console_within_a_second(server, page):
    token = server.cli("user", "add", "wang", "--role", "admin")
    other = server.cli("user", "add", "li", "--role", "console")
    sid, sku = seed(server, token, code="PAN-PUSH")
    start(server, token, sid)
    open_console(server, page, token, sid)
    assert page.inner_text(f"#price-{sku}").startswith("¥199.00")
    # another operator changes the price through the API
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {other}"}) as c:
        t0 = time.monotonic()
        c.post(f"/api/v1/sessions/{sid}/skus/{sku}/price",
               json={"price_fen": 17900}).raise_for_status()
    # (the page's CSP forbids eval, so waits are selectors, not JS functions)
    page.wait_for_selector(f"#price-{sku}:has-text('¥179.00')", timeout=1000)
    assert time.monotonic() - t0 < 1.0
    assert "li 把 不粘炒锅 改价 ¥199.00 → ¥179.00" in page.inner_text("#p-audit")


def test_a_wrong_price_is_refused_in_its_row_in_chinese(server, page):
    token = server.cli("user", "add", "zhou", "--role", "console")
    admin = server.cli("user", "add", "boss", "--role", "admin")
    sid, sku = seed(server, admin, code="PAN-ROW")
    start(server, admin, sid)
    open_console(server, page, token, sid)
    box = page.locator(f"#row-{sku} input[name=price]")
    box.fill("19")
    page.click(f"#row-{sku} button:has-text('改价')")
    refusal = page.wait_for_selector(f"#msg-{sku} .row-error")
    assert refusal.get_attribute("data-code") == "price_below_cost"
    text = refusal.inner_text()
    assert "不粘炒锅" in text and "低于成本价" in text and "price_below_cost" not in text
    assert box.input_value() == "19"  # what was typed stays for the correction
    assert page.inner_text(f"#price-{sku}").startswith("¥199.00")
    box.fill("179")
    page.click(f"#row-{sku} button:has-text('改价')")
    page.wait_for_selector(f"#msg-{sku} .row-ok")
    page.wait_for_selector(f"#price-{sku}:has-text('¥179.00')")


def test_ending_the_show_needs_a_confirmation(server, page):
    token = server.cli("user", "add", "sun", "--role", "admin")
    sid, _ = seed(server, token, code="PAN-END")
    start(server, token, sid)
    open_console(server, page, token, sid)
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("button:has-text('下播')")
    page.wait_for_timeout(500)
    assert asked and "下播" in asked[0]
    assert page.inner_text("#status") == "直播中"  # dismissed: still on air
    page.once("dialog", lambda d: answer(d, True))
    page.click("button:has-text('下播')")
    page.wait_for_selector("#console[data-status=ended] #status:has-text('已结束')")
    # an ended show offers neither 开播 nor 开抢 nor price changes
    for action in ("开播", "开抢", "强制改价", "上架", "讲解"):
        assert page.locator(f"#console button:has-text('{action}')").count() == 0, action


def test_host_works_the_question_queue(server, page):
    admin = server.cli("user", "add", "zhao", "--role", "admin")
    connector = server.cli("user", "add", "douyin-bridge", "--role", "connector")
    sid, _ = seed(server, admin, code="PAN-LIVE")
    start(server, admin, sid)
    open_console(server, page, admin, sid)
    asks = [{"buyer_id": f"v{i}", "nickname": f"观众{i}", "text": "尺码怎么选？"}
            for i in range(12)]
    asks += [{"buyer_id": "p1", "nickname": "急", "text": "付不了款怎么办"}]
    with httpx.Client(base_url=server.url) as c:
        r = c.post(f"/api/v1/sessions/{sid}/comments", json={"comments": asks},
                   headers={"Authorization": f"Bearer {connector}"})
        assert r.status_code == 202, r.text
    # the questions and the comments arrive without a reload
    page.wait_for_selector("ol.questions:has-text('付不了款')", timeout=3000)
    assert "12 人问" in page.inner_text("ol.questions")
    assert "急" in page.inner_text("#p-comments")
    page.click("ol.questions li:has-text('付不了款') button:has-text('已答')")
    page.wait_for_selector("ol.questions:has-text('付不了款')", state="detached")
    # mute from the comment stream holds
    row = page.locator("#cstream .crow:has-text('付不了款')")
    row.hover()
    row.locator("button:has-text('禁言')").click()
    page.wait_for_selector("#cstream .crow:has-text('付不了款') .pill.off:has-text('已禁言')")


def test_console_forms_refuse_a_forged_post(server):
    token = server.cli("user", "add", "victim", "--role", "admin")
    sid, _ = seed(server, token, code="PAN-CSRF")
    with httpx.Client(base_url=server.url, cookies={"liveroom_token": token}) as c:
        forged = c.post(f"/console/{sid}/state/start")  # the cookie alone, as another site
        assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
        page = c.get(f"/console/{sid}").text
        header = page.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]
        ok = c.post(f"/console/{sid}/state/start", headers={"X-CSRF-Token": header})
        assert ok.status_code == 200 and "直播中" in ok.text


def test_an_incident_times_itself_and_is_resolved_on_every_console(server, page):
    token = server.cli("user", "add", "he", "--role", "console")
    admin = server.cli("user", "add", "ma", "--role", "admin")
    sid, _ = seed(server, admin, code="PAN-INC")
    start(server, admin, sid)
    open_console(server, page, token, sid)
    # the operator opens a stream-down incident with a note
    page.select_option("#incidents select[name=kind]", label="推流中断")
    page.fill("#incidents input[name=note]", "OBS 断流")
    page.click("#incidents button:has-text('登记事故')")
    timer = page.wait_for_selector("#p-incidents .incident-timer")
    assert "推流中断" in page.inner_text("#p-incidents")
    # the timer runs in the page (no reload, no server round trip)
    page.wait_for_selector("#p-incidents .incident-timer:text-matches('^0:0[2-9]$')",
                           timeout=4000)
    assert timer.inner_text().startswith("0:0")
    # another operator resolves it through the API: this console shows it resolved
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {admin}"}) as c:
        iid = c.get(f"/api/v1/sessions/{sid}/incidents").json()["incidents"][0]["id"]
        c.post(f"/api/v1/incidents/{iid}/resolve").raise_for_status()
    page.wait_for_selector("#p-incidents .incident-timer", state="detached", timeout=2000)
    assert "已解决" in page.inner_text("#p-incidents .pill")
