"""The warm-up page for 运营 through HTTP: the task timeline with due times from the slot,
ticked by a person (who, when) through the page's form; links with server-made QR codes per
channel and KOC; reservations per channel, the curve's data and the invitation PK."""

from __future__ import annotations

import json
import re

from liveroom.entrypoints.api.routes_web import COOKIE, csrf_for
from liveroom.entrypoints.api.web_i18n import LOCALE_COOKIE
from tests import factories
from tests.integration.test_campaign_warmup import buyer, setup
from tests.integration.test_signin_and_users import visible


def test_warmup_page_timeline_ticks_links_and_leaderboard(client, tokens, container, clock) -> None:  # type: ignore[no-untyped-def]
    # given a show at 19:00 (Asia/Shanghai) on 11-27, a campaign with teams and a KOC link
    sid, link = setup(client, tokens)
    for name in ("b1", "b2"):
        r = client.post(f"/api/v1/sessions/{sid}/reservations",
                        headers=buyer(container, clock, name), json={"link_code": link["code"]})
        assert r.status_code == 200, r.text
    token = tokens["ops"]["Authorization"].split(" ", 1)[1]
    client.cookies.set(COOKIE, token)
    # when 运营 opens the warm-up page (now is 11-27 18:00 local: one hour before)
    r = client.get(f"/sessions/{sid}/warmup")
    assert r.status_code == 200, r.text
    html, text = r.text, visible(r.text)
    # then the tasks are due at times computed from the slot, in local time
    assert "预热短视频已发布" in text and "11-24 19:00" in text  # 3 days before
    assert "广告已投放" in text and "11-27 16:00" in text  # 3 h before (window from 14:00)
    assert "广告起量中" in text and "11-27 18:00" in text  # 1 h before
    assert "预告片循环播放" in text and "11-27 18:30" in text  # 30 min before
    assert text.count("已逾期") == 3 and "进行中" in text  # 18:00: video, links, ads late
    # links with their server-made QR code, the channel in words, the KOC
    assert f'src="/api/v1/links/{link["code"]}/qr.svg"' in html and "社群" in text
    assert "koc_amei" in text and "2 人预约" in text
    qr = client.get(f"/api/v1/links/{link['code']}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    # the curve's data with local times, the PK board with the captain's team first
    curve = json.loads(re.search(r'data-curve="([^"]+)"', html).group(1).replace("&#34;", '"')
                       .replace("&quot;", '"'))
    assert curve["at"] == ["11-27 18:00"] and curve["total"] == [2]
    assert text.index("阿美队") < text.index("小林队")
    for raw in ("short_video", "community", "ads_placed", "+00:00", "None", "overdue"):
        assert raw not in text, raw
    # a person ticks a task on the page (htmx with the CSRF header): who and when shown
    assert client.post(f"/sessions/{sid}/warmup/tasks/short_video",
                       data={"done": "true"}).status_code == 403  # no CSRF header
    r = client.post(f"/sessions/{sid}/warmup/tasks/short_video", data={"done": "true"},
                    headers={"X-CSRF-Token": csrf_for(token), "HX-Request": "true"})
    assert r.status_code == 200 and "ops-user" in visible(r.text) and "完成但逾期" in r.text
    audit = client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["admin"]).json()
    assert any(a["action"] == "campaign.warmup_tick" and a["target"] == "short_video"
               for a in audit["items"])
    # and a new link for another channel and KOC from the page's form
    r = client.post(f"/sessions/{sid}/warmup/links", data={
        "channel": "wecom", "kind": "reservation", "koc": "koc_lin", "coupon_code": ""},
        headers={"X-CSRF-Token": csrf_for(token), "HX-Request": "true"})
    assert r.status_code == 200 and "企业微信" in visible(r.text) and "koc_lin" in r.text
    r = client.post(f"/sessions/{sid}/warmup/links", data={"channel": "nosuch"},
                    headers={"X-CSRF-Token": csrf_for(token), "HX-Request": "true"})
    assert 'data-code="unknown_channel"' in r.text


def test_warmup_page_in_english_and_for_a_reader(client, tokens, clock) -> None:  # type: ignore[no-untyped-def]
    sid = factories.session(client, tokens["ops"])
    clock.advance(days=-5)  # well before: every task upcoming
    client.cookies.set(COOKIE, tokens["cs"]["Authorization"].split(" ", 1)[1])
    client.cookies.set(LOCALE_COOKIE, "en")
    text = visible(client.get(f"/sessions/{sid}/warmup").text)
    assert "Warm-up short video published" in text and text.count("Upcoming") == 5
    assert "Mark done" not in text  # customer service reads, 运营 ticks
