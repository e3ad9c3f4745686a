"""`liveroom connect bilibili`: a local websocket server replays the recorded room and the
comments arrive at (a stand-in for) the liveroom API; unreachable endpoints fail cleanly."""

from __future__ import annotations

import asyncio
import json
import socket
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner
from websockets.asyncio.server import ServerConnection, serve

from liveroom.connectors.bilibili import protocol
from liveroom.entrypoints.cli.connect import Unreachable, run_bilibili
from liveroom.entrypoints.cli.main import app

RECORDED = Path(__file__).parent / "fixtures" / "bilibili_room_21452505.jsonl"


def recorded_frames() -> list[bytes]:
    """The recorded messages as the server sends them: zlib-packed SEND_MSG_REPLY frames,
    three messages to a frame, as Bilibili batches them."""
    messages = [json.loads(line) for line in RECORDED.read_text("utf-8").splitlines() if line]
    frames = []
    for i in range(0, len(messages), 3):
        inner = b"".join(protocol.encode(protocol.SEND_MSG_REPLY, m, version=protocol.VER_JSON)
                         for m in messages[i:i + 3])
        frames.append(protocol.encode(protocol.SEND_MSG_REPLY, zlib.compress(inner),
                                      version=protocol.VER_ZLIB))
    return frames


class FakeLiveroom:
    """The liveroom API's side of the wire: health, and 202 for comment batches."""

    def __init__(self) -> None:
        self.posted: list[dict[str, Any]] = []
        self.auth: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.auth.add(request.headers.get("authorization", ""))
        if request.url.path == "/api/v1/health":
            return httpx.Response(200, json={"status": "ok"})
        items = json.loads(request.content)["comments"]
        self.posted.append({"path": request.url.path, "items": items})
        return httpx.Response(202, json={"accepted": len(items), "duplicates": 0})


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_recorded_room_is_forwarded_through_a_local_websocket_server() -> None:
    auth_packets: list[bytes] = []

    async def replay(ws: ServerConnection) -> None:
        auth_packets.append(bytes(await ws.recv()))  # type: ignore[arg-type]
        await ws.send(protocol.encode(protocol.AUTH_REPLY, {"code": 0},
                                      version=protocol.VER_JSON))
        for frame in recorded_frames():
            await ws.send(frame)
        await ws.wait_closed()

    async def scenario() -> tuple[Any, FakeLiveroom]:
        api = FakeLiveroom()
        async with serve(replay, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            result = await run_bilibili(
                21452505, "s1", base_url="http://liveroom.test", token="tok",
                ws_url=f"ws://127.0.0.1:{port}/sub", duration=1.0,
                transport=httpx.MockTransport(api))
        return result, api

    # given a server replaying the recorded room, when the connector runs for a second
    result, api = asyncio.run(scenario())
    # then it authenticated for the room and the two danmaku (not gifts, not the super chat
    # a viewer paid for, not the malformed one) reached the session, with platform ids
    header = protocol.HEADER.unpack_from(auth_packets[0])
    assert header[3] == protocol.AUTH
    assert json.loads(auth_packets[0][protocol.HEADER.size:])["roomid"] == 21452505
    items = [i for batch in api.posted for i in batch["items"]]
    assert {b["path"] for b in api.posted} == {"/api/v1/sessions/s1/comments"}
    assert [i["text"] for i in items] == ["尺码怎么选", "付不了款怎么办"]
    assert items[0]["buyer_id"] == "bilibili:10086" and items[0]["id"] == "bilibili:6A1B7C33"
    assert api.auth == {"Bearer tok"}
    assert (result.forwarded, result.failed, result.connections) == (2, 0, 1)
    assert result.frames == len(recorded_frames()) + 1  # plus the auth reply


def test_an_unreachable_bilibili_server_is_a_clear_error() -> None:
    url = f"ws://127.0.0.1:{closed_port()}/sub"
    with pytest.raises(Unreachable, match=f"cannot reach Bilibili at {url}"):
        asyncio.run(run_bilibili(1, "s1", base_url="http://liveroom.test", token=None,
                                 ws_url=url, transport=httpx.MockTransport(FakeLiveroom())))


def test_the_command_fails_without_a_traceback_when_the_network_is_unreachable() -> None:
    # given no liveroom API listening, when the command runs
    port = closed_port()
    result = CliRunner().invoke(app, ["connect", "bilibili", "21452505", "--session", "s1",
                                      "--base-url", f"http://127.0.0.1:{port}"])
    # then it exits 1 with a one-line reason
    assert result.exit_code == 1
    assert "unreachable" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Unreachable)
