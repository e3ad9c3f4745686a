"""The 客服 page: the queue as a person reads it (no raw ids, codes or UTC), and its buttons
acting through htmx with the page's CSRF header."""

from __future__ import annotations

import re
from typing import Any

from liveroom.entrypoints.api.routes_web import COOKIE, csrf_for
from tests.integration.test_aftersales import ask, paid_order, ship


def signed_in(client: Any, tokens: Any, role: str) -> str:
    token = tokens[role]["Authorization"].split(" ", 1)[1]
    client.cookies.set(COOKIE, token)
    return token


def test_the_service_page_lists_cases_for_a_person(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given a partial refund waiting for a person, 40 minutes old, and a return on its way
    oid, _, amy = paid_order(client, tokens, container, "amy")
    case = ask(client, oid, amy, kind="refund_only", amount_fen=3050,
               evidence=[{"url": "https://img.example/a.jpg", "note": "破损"}]).json()["id"]
    other, _, bob = paid_order(client, tokens, container, "bob")
    ship(client, tokens, other)
    back = ask(client, other, bob, kind="return").json()["id"]
    clock.advance(minutes=40)
    token = signed_in(client, tokens, "cs")
    # when the service opens the page
    html = client.get("/service").text
    # then each case shows the order's short number, the amount in yuan, a word for the
    # status and the time left, and no raw id, code or UTC time in the visible text
    assert oid[-8:].upper() in html and "¥30.50" in html
    assert "待审核" in html and "剩余 1小时20分" in html
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html,
                                              flags=re.S))
    for raw in (oid, case, "pending_review", "refund_only", "+00:00", "amy"):
        assert raw not in visible, raw
    assert "10:00" not in visible and "18:00" in visible  # 10:00 UTC is 18:00 in Shanghai
    # when an approve is posted without the page's CSRF header, then it is refused
    assert client.post(f"/service/{case}/approve").status_code == 403
    # when it is posted the way the page's htmx does
    headers = {"X-CSRF-Token": csrf_for(token), "HX-Request": "true"}
    r = client.post(f"/service/{case}/approve", headers=headers)
    # then the case leaves the review list with a confirmation, and a receive works too
    assert r.status_code == 200 and "已同意。" in r.text
    assert f'data-case="{case}"' not in r.text
    r = client.post(f"/service/{back}/receive", headers=headers)
    assert "已确认收货。" in r.text and f'data-case="{back}"' not in r.text
    # and a refusal is shown as a sentence, not a code
    r = client.post(f"/service/{back}/receive", headers=headers)
    assert "已进入下一步" in r.text


def test_roles_without_the_queue_see_a_notice(client, tokens) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, tokens, "merchant")
    html = client.get("/service").text
    assert "无权查看售后队列" in html
    client.cookies.clear()
    r = client.get("/service", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login")
