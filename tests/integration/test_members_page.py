"""The /members page as a person reads it: masked names, tier and segment words, yuan and
Shanghai times, no raw ids, codes or UTC; the detail with its points history; who may see it."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.test_aftersales_page import signed_in
from tests.integration.test_members import pay
from tests.integration.test_orders import buyer, listed_shop


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html,
                                          flags=re.S))


def test_the_members_page_lists_members_for_a_person(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given amy bought one unit at ¥120 and bob five
    sid, sku = listed_shop(client, tokens, stock=20)
    pay(client, sid, buyer(container, "amy_account"), "a1", sku)
    bob = pay(client, sid, buyer(container, "bob_account"), "b1", sku, quantity=5)
    signed_in(client, tokens, "cs")
    # when the service opens the page
    html = client.get("/members").text
    text = visible(html)
    # then each member shows a masked name, the tier's and segment's words, yuan, Shanghai time
    assert "张*" in text and "银卡会员" in text and "普通会员" in text
    assert "¥600.00" in text and "¥120.00" in text and "18:00" in text
    for raw in ("amy_account", "bob_account", bob["order_id"], "silver", "regular",
                "important_value", "general_", "+00:00", "10:00"):
        assert raw not in text, raw
    # when filtered to silver, only bob remains
    text = visible(client.get("/members?tier=silver").text)
    assert "银卡会员" in text and "普通会员" not in text.split("最近支付", 1)[1]
    # the detail shows the points history in words
    detail = visible(client.get("/members/bob_account").text)
    assert "订单获得" in detail and "+600" in detail
    assert "bob_account" not in detail and bob["order_id"] not in detail


def test_the_members_page_is_closed_to_other_roles(  # type: ignore[no-untyped-def]
        client, tokens) -> None:
    signed_in(client, tokens, "merchant")
    assert "你的角色无权查看会员。" in client.get("/members").text
    client.cookies.clear()
    r = client.get("/members", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_member_page_words_need_no_catalogue(client: Any, tokens: Any) -> None:
    signed_in(client, tokens, "ops")
    assert "没有符合条件的会员。" in client.get("/members").text
