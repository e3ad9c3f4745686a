"""The viewers' pages through HTTP: a tracked link lands on /reserve with its UTM recorded,
the page counts down and offers the reservation; /live shows the shelf (小黄车) with
"仅剩 N 件", running and announced flash sales and the coupons; all in Chinese words."""

from __future__ import annotations

import re

from liveroom.adapters.sql.tracking_repo import TrackingRepo
from liveroom.entrypoints.api.routes_viewer_web import VISITOR_COOKIE
from liveroom.entrypoints.api.web_i18n import LOCALE_COOKIE
from liveroom.tracking.model import EventType
from tests import factories
from tests.integration.test_campaign_warmup import buyer
from tests.integration.test_signin_and_users import visible

RAW = re.compile(r"\b(planned|live|ended|community|reservation|[a-z]+_[a-z_]+)\b")


def page_views(container, sid):  # type: ignore[no-untyped-def]
    with container.read() as conn, conn.begin():
        return [e for _, e in TrackingRepo(conn).events(sid) if e.type == EventType.PAGE_VIEW]


def test_reserve_page_from_a_tracked_link(client, tokens, container, clock) -> None:  # type: ignore[no-untyped-def]
    # given a planned show and a KOC's reservation link carrying an exclusive coupon code
    sid = factories.session(client, tokens["ops"], title="秋冬好物节")
    link = client.post(f"/api/v1/sessions/{sid}/links", headers=tokens["ops"], json={
        "channel": "community", "kind": "reservation", "koc": "koc_amei",
        "coupon_code": "COMM8K2P"}).json()
    path = link["url"].split("://", 1)[1].split("/", 1)[1]
    assert path.startswith(f"reserve/{sid}?") and "utm_source=community" in path
    client.cookies.clear()
    # when a viewer opens it (no sign-in of any kind)
    r = client.get("/" + path)
    # then the page shows the show, the countdown and the reservation button, in Chinese
    assert r.status_code == 200, r.text
    assert "content-security-policy" in r.headers and r.headers["cache-control"] == "no-store"
    text = visible(r.text)
    assert "秋冬好物节" in text and "预约直播" in text and "距开播" in text
    assert "11-27 19:00" in text  # the slot in Asia/Shanghai
    assert "0 人已预约" in text and "COMM8K2P" in text
    assert 'data-until="2026-11-27T11:00:00+00:00"' in r.text
    assert f'data-link="{link["code"]}"' in r.text
    assert "请在抖音" in r.text  # the words for a viewer without the platform's sign-in
    assert not RAW.search(text), RAW.search(text)
    # and the visit is recorded with the link's channel and UTM, once per visitor and minute
    visitor = r.cookies[VISITOR_COOKIE]
    assert client.get("/" + path).status_code == 200
    views = page_views(container, sid)
    assert len(views) == 1
    v = views[0]
    assert (v.buyer_id, v.channel, v.utm_source, v.utm_content) == (
        visitor, "community", "community", "koc_amei")
    assert v.props["page"] == "reserve" and v.props["link_code"] == link["code"]
    # a buyer reserves through the link (what the button sends) and the count moves
    r = client.post(f"/api/v1/sessions/{sid}/reservations",
                    headers=buyer(container, clock, "b_lin"), json={"link_code": link["code"]})
    assert r.status_code == 200 and r.json()["rank"] == 1, r.text
    assert "1 人已预约" in visible(client.get(f"/reserve/{sid}").text)


def test_visit_without_a_link_takes_the_utm_source(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid = factories.session(client, tokens["ops"])
    r = client.get(f"/live/{sid}?utm_source=sms&utm_campaign=w48&lc=nosuchcode")
    assert r.status_code == 200
    (v,) = page_views(container, sid)
    assert (v.channel, v.utm_source, v.utm_campaign, v.props["page"]) == (
        "sms", "sms", "w48", "live")
    assert "link_code" not in v.props


def test_unknown_show_is_a_friendly_404(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/reserve/nosuchshow", "/live/nosuchshow"):
        r = client.get(path)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"]
        assert "找不到这场直播" in visible(r.text)


def test_live_page_shows_the_shelf(client, tokens, container, clock) -> None:  # type: ignore[no-untyped-def]
    # given a live show with a low-stock product, a running and an announced flash sale,
    # an issued coupon and an exclusive one behind a link
    sid, sku = factories.live_session_with(client, tokens, name="铸铁锅", stock=30,
                                           live_price_fen=12900)
    other = factories.product(client, tokens["ops"], name="硅胶铲", stock=400,
                              price_fen=3990, cost_fen=1000)
    r = client.put(f"/api/v1/sessions/{sid}/lineup", headers=tokens["console"], json={
        "items": [{"sku_id": sku, "live_price_fen": 12900},
                  {"sku_id": other["sku_id"], "live_price_fen": 2990}]})
    assert r.status_code == 200, r.text
    for listed in (sku, other["sku_id"]):
        r = client.post(f"/api/v1/sessions/{sid}/skus/{listed}/list", headers=tokens["console"])
        assert r.status_code == 200, r.text
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"], json={
        "sku_id": sku, "price_fen": 9900, "quantity": 10, "per_buyer_limit": 1}).json()["id"]
    assert client.post(f"/api/v1/flash-sales/{fid}/start",
                       headers=tokens["console"]).status_code == 200
    r = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"], json={
        "sku_id": other["sku_id"], "price_fen": 1990, "quantity": 20, "per_buyer_limit": 2,
        "starts_at": "2026-11-27T10:30:00+00:00"})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/sessions/{sid}/coupons", headers=tokens["console"], json={
        "name": "直播间立减券", "kind": "fixed", "discount_fen": 500, "total": 100,
        "issue_now": True})
    assert r.status_code == 201, r.text
    code = client.post(f"/api/v1/sessions/{sid}/campaign/channel-coupons",
                       headers=tokens["ops"], json={"channels": ["sms"], "discount_fen": 800}
                       ).json()["coupons"][0]["code"]
    link = client.post(f"/api/v1/sessions/{sid}/links", headers=tokens["ops"], json={
        "channel": "sms", "coupon_code": code}).json()
    client.cookies.clear()
    # when a viewer opens the live room from the SMS link
    html = client.get(f"/live/{sid}?lc={link['code']}").text
    text = visible(html)
    # then the shelf is there in Chinese: prices in ¥, low stock counted, sales, coupons
    assert "直播中" in text and "铸铁锅" in text and "硅胶铲" in text
    assert "¥129.00" in text and "¥29.90" in text
    assert "仅剩 20 件" in text  # 30 less the 10 held by the flash sale; 400 is plenty
    assert "限时秒杀进行中" in text and "¥99.00" in text and "仅剩 10 件" in text
    assert "秒杀即将开始" in text and 'data-until="2026-11-27T10:30:00+00:00"' in html
    assert "立减 ¥5.00" in text and "直播间立减券" in text
    assert "专属优惠券" in text and f'data-code="{code}"' in html and "立减 ¥8.00" in text
    assert f'sse-connect="/live/{sid}/feed"' in html and not RAW.search(text), RAW.search(text)
    assert "every 5s" not in html  # pushed by the live feed, not polled
    # the fragment alone carries the same shelf
    assert "铸铁锅" in visible(client.get(f"/live/{sid}/shelf").text)
    # in English too
    client.cookies.set(LOCALE_COOKIE, "en")
    assert "Only 20 left" in visible(client.get(f"/live/{sid}").text)
