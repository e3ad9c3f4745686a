"""The console's comment stream under a burst, and alerts acknowledged with one click, in
Chromium against a real server."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.test_console_browser import open_console, seed, start

pytestmark = pytest.mark.e2e
BURST, EARLY, RATE, PER_POST = 2000, 400, 400, 50
MAX_ROWS = 60  # the row pool: what fits the stream's height plus a margin either side


def post_burst(url: str, token: str, sid: str, first: int = 0, count: int = BURST) -> None:
    """`count` comments at 400 a second through the API (posts of 50); every 7th one is
    risky; the last one of the whole burst says so."""
    posts = count // PER_POST
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as c:
        t0 = time.perf_counter()
        for k in range(posts):
            n0 = first + k * PER_POST
            batch = [{"buyer_id": f"burst-{n0 + i}", "nickname": f"观众{n0 + i}",
                      "text": ("假货退款！" if (n0 + i) % 7 == 0 else "这个锅好用吗")
                      + f" #{n0 + i}"} for i in range(PER_POST)]
            if n0 + PER_POST == BURST:
                batch[-1]["text"] = "最后一条弹幕"
            r = c.post(f"/api/v1/sessions/{sid}/comments", json={"comments": batch})
            assert r.status_code == 202, r.text
            # paced, not slept for its own sake: 50 comments every 1/8 s
            time.sleep(max(0.0, t0 + (k + 1) * PER_POST / RATE - time.perf_counter()))


@pytest.mark.slow
def test_a_burst_of_2000_comments_keeps_the_console_responsive(server, page):
    admin = server.cli("user", "add", "burst-admin", "--role", "admin")
    connector = server.cli("user", "add", "burst-bridge", "--role", "connector")
    sid, _ = seed(server, admin, code="PAN-BURST")
    start(server, admin, sid)
    # given a console whose live feed is refused for now (a late feed, as on a loaded
    # machine): the page says it is not live
    page.context.add_cookies([{"name": "liveroom_token", "value": admin, "url": server.url}])
    page.route("**/feed/**", lambda route: route.fulfill(status=503, body="busy"))
    page.goto(f"{server.url}/console/{sid}")
    expect(page.locator("#cstream-count")).to_have_text("还没有评论")
    expect(page.locator("body[data-feed=lost] .feed-state .lost")).to_have_text(
        "连接中断，正在重连…")
    # when the first 400 comments are stored before the feed comes back
    post_burst(server.url, connector, sid, count=EARLY)
    page.unroute("**/feed/**")
    # then the reconnected feed brings every one of them (more than a fresh page's 300)
    expect(page.locator("body[data-feed=on] .feed-state .on")).to_be_visible(timeout=15_000)
    expect(page.locator("#cstream-count")).to_contain_text(f"{EARLY:,}")
    # when the rest pours in at 400 a second
    poster = threading.Thread(target=post_burst, args=(server.url, connector, sid, EARLY,
                                                        BURST - EARLY))
    poster.start()
    # then the page holds a bounded number of rows and answers clicks meanwhile
    rows_seen, clicks = [], 0
    while poster.is_alive():
        rows_seen.append(page.locator("#cstream .crow").count())
        row = page.locator("#cstream .crow:not(.reply)").last
        if row.count():
            row.locator("button[data-act=reply]").click(force=True)
            expect(page.locator("#reply-box")).to_be_visible()
            page.click("#reply-cancel")
            clicks += 1
    poster.join()
    assert clicks and max(page.locator("#cstream .crow").count(), *rows_seen) <= MAX_ROWS
    # every comment arrived once (the stream counts what it holds), the newest in view,
    # risky ones marked
    expect(page.locator("#cstream .crow:has-text('最后一条弹幕')")).to_be_visible()
    expect(page.locator("#cstream-count")).to_contain_text("2,000")
    assert page.locator("#cstream .crow.risky").count() > 0
    # one-click reply from the row: the answer joins the stream for every console
    last = page.locator("#cstream .crow:has-text('最后一条弹幕')")
    last.locator("button[data-act=reply]").click(force=True)
    page.fill("#reply-text", "感谢支持，马上发货")
    page.click("#reply-box button.primary")
    expect(page.locator("#toast")).to_contain_text("回复已发到直播间")
    expect(page.locator("#cstream .crow.reply:has-text('感谢支持，马上发货')")).to_be_visible()


def test_an_alert_is_acknowledged_from_the_console(server, page):
    admin = server.cli("user", "add", "ack-admin", "--role", "admin")
    connector = server.cli("user", "add", "ack-bridge", "--role", "connector")
    sid, _ = seed(server, admin, code="PAN-ALERT")
    start(server, admin, sid)
    open_console(server, page, admin, sid)
    # given payments failing: 12 client-side failures and no payment going through
    now = datetime.now(UTC).isoformat()
    events = [{"event_id": f"pf-{sid}-{i:04d}", "type": "payment_failure",
               "buyer_id": f"pf{i}", "ts": now, "props": {"reason": "bank_declined"}}
              for i in range(12)]
    with httpx.Client(base_url=server.url,
                      headers={"Authorization": f"Bearer {connector}"}) as c:
        r = c.post(f"/api/v1/sessions/{sid}/events", json={"events": events})
        assert r.status_code == 200 and r.json()["accepted"] == 12, r.text
    # then the evaluator raises a stored alert, and every console shows it with its action
    alert = page.locator("#p-alerts > ul.alerts > li:has-text('支付失败')")
    expect(alert).to_be_visible(timeout=12_000)
    expect(alert.locator("button[data-open=announce]")).to_have_text("置顶公告")
    # when the operator acknowledges it with one click
    alert.locator("button[data-key=ack]").click()
    expect(page.locator("#toast")).to_contain_text("告警已确认")
    # then it leaves the open list and the history says who acknowledged it
    expect(page.locator("#p-alerts > ul.alerts > li:has-text('支付失败')")).to_have_count(0)
    page.click("#p-alerts .alert-history summary")
    expect(page.locator("#p-alerts .alert-history")).to_contain_text("ack-admin")
