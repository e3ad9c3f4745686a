"""The live feed's fan-out (entrypoints/api/live_fanout.py) on a real container: a page's
comments are never lost (it resumes after the newest one it holds), each change is rendered
once per kind of page and the same bytes go to every page, the clock-driven parts are
redrawn every second even while comments pour in, and viewers' shelves are pushed."""

from __future__ import annotations

import asyncio
import json
import re

from liveroom.console.ports import Change
from liveroom.entrypoints.api import live_comments
from liveroom.entrypoints.api.live_fanout import LiveFanout, Message, Page
from liveroom.entrypoints.api.routes_viewer_web import shelf_update
from liveroom.entrypoints.api.routes_web_live import first_message, render_update
from liveroom.identity.model import SYSTEM
from tests import factories as f


def post_comments(client, tokens, sid: str, n: int) -> None:
    for k in range(0, n, 50):
        r = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                        json={"comments": [{"buyer_id": f"b{k + i}", "nickname": f"观众{k + i}",
                                            "text": f"这个锅好用吗 #{k + i}"}
                                           for i in range(min(50, n - k))]})
        assert r.status_code == 202, r.text


def comments_in(data: bytes) -> tuple[int | None, list[str]]:
    """The id and the comment texts of a message's `comments` event."""
    found = re.search(r"event: comments\n(?:id: (\d+)\n)?data: (.*)\n", data.decode())
    assert found, data[:200]
    items = json.loads(found.group(2))["items"]
    return (int(found.group(1)) if found.group(1) else None), [i["x"] for i in items]


def test_a_console_feed_resumes_after_the_newest_comment_the_page_holds(client, container,
                                                                      tokens):
    # given a live show with 400 comments
    sid, _ = f.live_session_with(client, tokens)
    post_comments(client, tokens, sid, 400)
    # when a page opens its feed with nothing to resume from, it starts with the latest 300
    seq, fresh = comments_in(first_message(container, sid, SYSTEM, "console", "zh_CN").data)
    assert len(fresh) == 300 and fresh[-1] == "这个锅好用吗 #399"
    # a page drawn before any of them (its stream starts after 0) gets every one
    _, drawn_early = comments_in(first_message(container, sid, SYSTEM, "console", "zh_CN",
                                               since=0).data)
    assert len(drawn_early) == 400 and drawn_early[0] == "这个锅好用吗 #0"
    # a page that holds all but the last 10 (it reconnects, or fell behind) gets those 10
    assert seq is not None
    message = first_message(container, sid, SYSTEM, "console", "zh_CN", since=seq - 10)
    event_id, tail = comments_in(message.data)
    assert tail == [f"这个锅好用吗 #{n}" for n in range(390, 400)]
    assert event_id == message.seq == seq  # what the browser sends back as Last-Event-ID
    # and a page drawn now starts its stream with the latest 300, after the 100th
    with container.read() as conn:
        start = live_comments.snapshot_start(conn, sid)
    _, drawn_now = comments_in(first_message(container, sid, SYSTEM, "console", "zh_CN",
                                             since=start).data)
    assert drawn_now == fresh


def test_a_page_that_falls_behind_drops_its_backlog_and_catches_up_once():
    page = Page("s1", "console", "zh_CN", SYSTEM)
    for _ in range(100):
        page.offer(Message(b"event: update\ndata: x\n\n"))
    assert page.behind and page.queue.qsize() == 1  # one wake-up, not 100 messages


class Renders:
    """A stand-in for the page templates: records what each render was asked for."""

    def __init__(self) -> None:
        self.calls: list[frozenset[str]] = []

    def __call__(self, c, sid, actor, view, parts, locale) -> str:
        self.calls.append(parts)
        return f"<p>{','.join(sorted(parts))}</p>"


def test_a_change_is_rendered_once_and_every_page_gets_the_same_bytes(client, container,
                                                                      tokens):
    sid, _ = f.live_session_with(client, tokens)
    renders = Renders()

    async def scenario() -> list[bytes]:
        fanout = LiveFanout(container, renders, shelf_update)
        pages = [await fanout.open(sid, "dashboard", "zh_CN", SYSTEM) for _ in range(50)]
        try:
            container.broadcaster.publish(sid, Change(frozenset({"lineup"})))
            got = [await asyncio.wait_for(p.queue.get(), 5) for p in pages]
            return [m.data for m in got if m is not None]
        finally:
            await fanout.stop()

    got = asyncio.run(scenario())
    assert len(got) == 50 and all(data is got[0] for data in got)  # one object, shared
    assert b"lineup" in got[0] and len(renders.calls) == 1


def test_the_audience_stream_is_paced_and_the_clock_still_ticks_every_second(
        client, container, tokens):
    sid, _ = f.live_session_with(client, tokens)
    renders = Renders()

    async def scenario() -> None:
        fanout = LiveFanout(container, renders, shelf_update)
        await fanout.open(sid, "dashboard", "zh_CN", SYSTEM)
        try:
            for _ in range(50):  # notices every 50 ms for 2.5 s: never a quiet second
                for moved in ("questions", "comments", "alerts"):
                    container.broadcaster.publish(sid, Change(frozenset({moved})))
                await asyncio.sleep(0.05)
        finally:
            await fanout.stop()

    asyncio.run(scenario())
    assert any("questions" in parts for parts in renders.calls)
    assert sum("metrics" in parts for parts in renders.calls) >= 2  # time on air moved on
    # 150 notices of the audience's stream: paced, a few renders a second, not one each
    assert len(renders.calls) <= 20


def test_a_console_price_change_is_pushed_to_every_open_viewer_shelf(client, container,
                                                                     tokens):
    # given a live show whose product is on the shelf, and 20 viewers' live pages open
    sid, sku = f.live_session_with(client, tokens)
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list",
                headers=tokens["console"]).raise_for_status()

    async def scenario() -> list[bytes]:
        fanout = LiveFanout(container, render_update, shelf_update)
        pages = [await fanout.open(sid, "viewer", "zh_CN", None) for _ in range(20)]
        try:
            # when the console changes the price (another thread, through the API)
            r = await asyncio.to_thread(client.post,
                                        f"/api/v1/sessions/{sid}/skus/{sku}/price",
                                        headers=tokens["console"], json={"price_fen": 17900})
            assert r.status_code == 200, r.text
            got = [await asyncio.wait_for(p.queue.get(), 5) for p in pages]
            return [m.data for m in got if m is not None]
        finally:
            await fanout.stop()

    # then every viewer's shelf is redrawn with the new price, from one render
    got = asyncio.run(scenario())
    assert len(got) == 20 and all(data is got[0] for data in got)
    shelf = got[0].decode()
    assert 'id="shelf" hx-swap-oob="innerHTML"' in shelf and "¥179.00" in shelf


async def first_chunk(app, path: str, headers: list[tuple[bytes, bytes]]) -> bytes:
    """The first message of a live feed, as a browser gets it; then the browser leaves."""
    chunks: list[bytes] = []
    got, asked = asyncio.Event(), False

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await got.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])
            got.set()

    path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
             "http_version": "1.1", "method": "GET", "scheme": "http", "path": path,
             "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 1),
             "server": ("testserver", 80)}
    await asyncio.wait_for(app(scope, receive, send), 10)
    return chunks[0]


def test_a_browser_reconnecting_by_itself_gets_the_comments_after_its_last_event_id(
        client, container, tokens):
    # given a live show with 400 comments and a console that held all but the last 10
    sid, _ = f.live_session_with(client, tokens)
    post_comments(client, tokens, sid, 400)
    seq, _ = comments_in(first_message(container, sid, SYSTEM, "console", "zh_CN").data)
    assert seq is not None
    token = tokens["console"]["Authorization"].removeprefix("Bearer ")
    cookie = (b"cookie", f"liveroom_token={token}".encode())
    # when its feed reconnects with the last event id (or is reopened with after=)
    resumed = asyncio.run(first_chunk(client.app, f"/feed/{sid}/console",
                                      [cookie, (b"last-event-id", str(seq - 10).encode())]))
    reopened = asyncio.run(first_chunk(client.app, f"/feed/{sid}/console?after={seq - 3}",
                                       [cookie]))
    # then the first message carries just the comments after it, with the new event id
    assert comments_in(resumed) == (seq, [f"这个锅好用吗 #{n}" for n in range(390, 400)])
    assert comments_in(reopened)[1] == [f"这个锅好用吗 #{n}" for n in range(397, 400)]
