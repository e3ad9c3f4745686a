"""The console and the big screen in words, and their live feed (no browser: see tests/e2e)."""

from __future__ import annotations

import asyncio
import re

import pytest

from liveroom.entrypoints.api.web_base import csrf_for
from tests import factories as f

RAW = re.compile(r"\b(planned|rehearsal|live|ended|price_below_cost|traffic|profit|flagship)\b")


def visible_text(html: str) -> str:
    """Text a person sees: without tags, attributes, scripts."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def sign_in(client, tokens, role: str = "console") -> str:
    token = tokens[role]["Authorization"].removeprefix("Bearer ")
    client.cookies.set("liveroom_token", token)
    return csrf_for(token)


def test_the_console_speaks_chinese_without_codes(client, tokens):
    # given a live show with one product
    sid, sku = f.live_session_with(client, tokens)
    sign_in(client, tokens, "admin")
    # when the console and the big screen are opened
    pages = [client.get(f"/console/{sid}").text, client.get(f"/dashboard/{sid}").text]
    # then they show Chinese words for statuses and tiers, and no codes
    assert "直播中" in pages[0] and "下播" in pages[0] and "/state/start" not in pages[0]
    for html in pages:
        assert not RAW.findall(visible_text(html)), RAW.findall(visible_text(html))
        assert sid not in visible_text(html) and sku not in visible_text(html)


def test_english_is_a_switch_away(client, tokens):
    sid, _ = f.live_session_with(client, tokens)
    sign_in(client, tokens)
    client.get("/locale/en", headers={"referer": f"http://testserver/console/{sid}"})
    html = client.get(f"/console/{sid}").text
    assert "Lineup" in html and "On air" in html and "直播中" not in html
    client.get("/locale/zh_CN")
    assert "直播中" in client.get(f"/console/{sid}").text


def test_a_refused_price_is_told_in_its_row_in_chinese(client, tokens):
    # given a live show and a console operator
    sid, sku = f.live_session_with(client, tokens)
    csrf = sign_in(client, tokens)
    # when a price below cost is typed in the product's row
    r = client.post(f"/console/{sid}/price/{sku}", data={"price": "1"},
                    headers={"X-CSRF-Token": csrf})
    # then the row says which product and which rule, in Chinese
    assert r.status_code == 200 and 'data-code="price_below_cost"' in r.text
    assert "低于成本价" in r.text and "已拦截" in r.text and "不粘锅" in r.text
    assert "price_below_cost" not in visible_text(r.text)


def test_a_change_reaches_an_open_page_as_a_notice(client, container, tokens):
    # given a page subscribed to the show's feed
    sid, sku = f.live_session_with(client, tokens)
    broadcaster = container.broadcaster

    async def watch() -> frozenset[str]:
        sub = broadcaster.subscribe(sid)
        try:
            # when a price changes through the API (another operator, another thread)
            r = await asyncio.to_thread(
                client.post, f"/api/v1/sessions/{sid}/skus/{sku}/price",
                headers=tokens["console"], json={"price_fen": 18900})
            assert r.status_code == 200, r.text
            async for change in sub.changes(timeout=5):
                return change.parts
        finally:
            sub.close()
        return frozenset()

    # then the committed change is announced for that show's lineup and audit trail
    assert {"lineup", "audit"} <= asyncio.run(watch())
    assert broadcaster.subscribers(sid) == 0


def test_the_snapshot_a_reconnecting_page_gets_is_fresh(client, tokens):
    sid, sku = f.live_session_with(client, tokens)
    sign_in(client, tokens)
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price", headers=tokens["console"],
                json={"price_fen": 18800}).raise_for_status()
    html = client.get(f"/feed/{sid}/console/snapshot").text
    assert 'id="price-' + sku + '" hx-swap-oob="true"' in html and "¥188.00" in html


@pytest.mark.parametrize("view", ["console", "dashboard"])
def test_the_feed_needs_a_sign_in(client, tokens, view):
    sid, _ = f.live_session_with(client, tokens)
    assert client.get(f"/feed/{sid}/{view}/snapshot").status_code == 401


def test_an_incident_is_opened_timed_and_resolved_from_the_console(client, container, tokens):
    # given a live show, a console operator and another console watching the feed
    sid, _ = f.live_session_with(client, tokens)
    csrf = sign_in(client, tokens)
    headers = {"X-CSRF-Token": csrf}
    broadcaster = container.broadcaster

    async def open_while_watching() -> tuple[int, frozenset[str]]:
        sub = broadcaster.subscribe(sid)
        try:
            # when the operator opens a stream-down incident with a note
            r = await asyncio.to_thread(client.post, f"/console/{sid}/incidents",
                                        data={"kind": "stream_down", "note": "OBS 断流"},
                                        headers=headers)
            async for change in sub.changes(timeout=5):
                return r.status_code, change.parts
        finally:
            sub.close()
        return 0, frozenset()

    status, parts = asyncio.run(open_while_watching())
    # then the other console is told to redraw its incidents panel
    assert status == 200 and "incidents" in parts
    # and the panel shows the open incident in Chinese with a running timer
    html = client.get(f"/feed/{sid}/console/snapshot").text
    panel = html[html.index('id="p-incidents"'):]
    assert "推流中断" in panel and "OBS 断流" in panel and 'class="incident-timer"' in panel
    assert "stream_down" not in visible_text(panel)
    # when it is resolved with one click
    iid = re.search(r"/incidents/(\w+)/resolve", panel).group(1)
    r = client.post(f"/console/{sid}/incidents/{iid}/resolve", headers=headers)
    assert r.status_code == 200 and "已解决" in visible_text(r.text)
    # then the timer stops, the API agrees, and a second click is refused in words
    panel = client.get(f"/feed/{sid}/console/snapshot").text
    assert "incident-timer" not in panel and f"/incidents/{iid}/resolve" not in panel
    api = client.get(f"/api/v1/sessions/{sid}/incidents", headers=tokens["console"]).json()
    assert [i["resolved"] for i in api["incidents"]] == [True]
    again = client.post(f"/console/{sid}/incidents/{iid}/resolve", headers=headers)
    assert 'data-code="incident_resolved"' in again.text
    assert "事故已解决过了" in visible_text(again.text)


def test_an_incident_needs_the_console_form_token_and_a_known_kind(client, tokens):
    sid, _ = f.live_session_with(client, tokens)
    csrf = sign_in(client, tokens)
    assert client.post(f"/console/{sid}/incidents", data={"kind": "other"}).status_code == 403
    r = client.post(f"/console/{sid}/incidents", data={"kind": "meteor"},
                    headers={"X-CSRF-Token": csrf})
    assert 'data-code="unknown_kind"' in r.text and "不是已知的事故类型" in visible_text(r.text)
    assert client.get(f"/api/v1/sessions/{sid}/incidents",
                      headers=tokens["console"]).json()["incidents"] == []


def test_after_the_end_no_product_is_still_being_explained(client, tokens):
    marked = re.compile(r'class="(?:pill live|v-tag)">讲解中<')  # the row's and the shelf's mark
    # given a live show explaining its product, listed on the viewers' shelf
    sid, sku = f.live_session_with(client, tokens)
    for path, body in ((f"skus/{sku}/list", None), ("explaining", {"sku_id": sku})):
        client.post(f"/api/v1/sessions/{sid}/{path}", headers=tokens["console"],
                    json=body).raise_for_status()
    sign_in(client, tokens, "admin")
    assert marked.search(client.get(f"/console/{sid}").text)
    assert marked.search(client.get(f"/live/{sid}/shelf").text)
    # when the show ends
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["console"]).raise_for_status()
    # then neither the console, its live redraw nor the viewers' shelf marks it explained
    for html in (client.get(f"/console/{sid}").text,
                 client.get(f"/feed/{sid}/console/snapshot").text,
                 client.get(f"/live/{sid}/shelf").text):
        assert not marked.search(html)
