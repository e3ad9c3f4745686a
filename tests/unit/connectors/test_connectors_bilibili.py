"""The Bilibili connector against recorded messages, and its reconnect loop."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import zlib
from pathlib import Path
from typing import Any

import pytest

from liveroom.connectors.bilibili import protocol
from liveroom.connectors.bilibili.client import Backoff, BilibiliClient
from liveroom.connectors.bilibili.messages import IGNORED, BilibiliParser
from liveroom.connectors.events import (
    CommentReceived,
    GiftReceived,
    LikeReceived,
    LiveStatusChanged,
    OnlineCountChanged,
    SuperChatReceived,
    ViewerInteracted,
    WatchedChanged,
)
from liveroom.connectors.forward import comment_item

RECORDED = Path(__file__).parent / "fixtures" / "bilibili_room_21452505.jsonl"


def recorded() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDED.read_text("utf-8").splitlines() if line]


def test_recorded_messages_become_typed_events() -> None:
    parser = BilibiliParser(21452505)
    events = [e for e in (parser.parse(m) for m in recorded()) if e is not None]
    kinds = [type(e) for e in events]
    assert kinds == [CommentReceived, CommentReceived, GiftReceived, GiftReceived,
                     SuperChatReceived, ViewerInteracted, ViewerInteracted, LikeReceived,
                     WatchedChanged, OnlineCountChanged, LiveStatusChanged]
    first, second = events[0], events[1]
    assert isinstance(first, CommentReceived) and isinstance(second, CommentReceived)
    assert (first.buyer_id, first.nickname, first.text, first.msg_id) == (
        "10086", "小鹿乱撞", "尺码怎么选", "6A1B7C33")
    assert first.ts.isoformat() == "2025-11-27T11:00:00.123000+00:00"
    assert second.text == "付不了款怎么办"  # cmd with ":" parameters
    free, paid = events[2], events[3]
    assert isinstance(free, GiftReceived) and free.value_fen == 0
    assert isinstance(paid, GiftReceived) and paid.value_fen == 200 and paid.count == 2
    assert events[4].value_fen == 3000  # type: ignore[attr-defined]
    assert [e.kind for e in events[5:7]] == ["enter", "follow"]  # type: ignore[attr-defined]
    assert events[8].watched == 64200  # type: ignore[attr-defined]
    assert events[10].live is False  # type: ignore[attr-defined]
    assert parser.malformed == 1  # the truncated DANMU_MSG is counted and logged


def test_ignored_types_are_silent_and_unknown_ones_are_logged_once(
        caplog: pytest.LogCaptureFixture) -> None:
    parser = BilibiliParser(1)
    with caplog.at_level(logging.WARNING):
        for message in recorded():
            parser.parse(message)
    unknown_logs = [r for r in caplog.records if "unknown cmd" in r.getMessage()]
    assert len(unknown_logs) == 1 and "NEW_FEATURE_2026" in unknown_logs[0].getMessage()
    assert parser.unknown == {"NEW_FEATURE_2026"}
    assert {"ENTRY_EFFECT", "STOP_LIVE_ROOM_LIST", "LIKE_INFO_V3_UPDATE"} <= IGNORED
    assert not any("ENTRY_EFFECT" in r.getMessage() for r in caplog.records)


def test_packets_round_trip_including_zlib_frames() -> None:
    messages = recorded()[:3]
    inner = b"".join(protocol.encode(protocol.SEND_MSG_REPLY, m, version=protocol.VER_JSON)
                     for m in messages)
    frame = protocol.encode(protocol.SEND_MSG_REPLY, zlib.compress(inner),
                            version=protocol.VER_ZLIB)
    frame += protocol.encode(protocol.HEARTBEAT_REPLY, (6420).to_bytes(4, "big"))
    assert protocol.commands(frame) == messages
    auth = protocol.split(protocol.auth_packet(21452505, token="t"))[0]
    assert auth.operation == protocol.AUTH and json.loads(auth.body)["protover"] == 2
    with pytest.raises(protocol.ProtocolError):
        protocol.split(frame[:10])


def test_comment_events_forward_with_platform_scoped_ids() -> None:
    event = BilibiliParser(1).parse(recorded()[0])
    assert isinstance(event, CommentReceived)
    assert comment_item(event) == {"buyer_id": "bilibili:10086", "nickname": "小鹿乱撞",
                                   "text": "尺码怎么选", "ts": "2025-11-27T11:00:00.123000+00:00",
                                   "id": "bilibili:6A1B7C33"}


class ScriptedSocket:
    """Replays recorded frames, then fails like a dropped connection."""

    def __init__(self, frames: list[bytes]) -> None:
        self.frames = list(frames)
        self.sent: list[bytes] = []

    async def send(self, data: bytes) -> None:
        self.sent.append(data)

    async def recv(self) -> bytes:
        await asyncio.sleep(0)
        if not self.frames:
            raise ConnectionError("closed by peer")
        return self.frames.pop(0)

    async def close(self) -> None:
        return None


def test_client_reconnects_with_backoff_and_keeps_receiving() -> None:
    frame = b"".join(protocol.encode(protocol.SEND_MSG_REPLY, m, version=protocol.VER_JSON)
                     for m in recorded()[:2])
    attempts: list[str] = []

    async def connect(url: str) -> ScriptedSocket:
        attempts.append(url)
        if len(attempts) in (1, 2):
            raise OSError("network unreachable")
        return ScriptedSocket([frame])

    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    client = BilibiliClient(21452505, connect, backoff=Backoff(first=1, factor=2, jitter=0),
                            sleep=fake_sleep, rng=random.Random(1), max_attempts=3)
    asyncio.run(client.run())
    # two refused connections back off 2 s then 4 s; the third delivers two comments and,
    # having been healthy, restarts the backoff at its first step when it drops
    assert len(attempts) == 3 and client.connections == 1
    assert slept == [2.0, 4.0, 2.0]
    got = [client.events.get_nowait() for _ in range(client.events.qsize())]
    assert [e.text for e in got[:2]] == ["尺码怎么选", "付不了款怎么办"]  # type: ignore[attr-defined]


def test_a_slow_consumer_never_blocks_the_receive_loop() -> None:
    client = BilibiliClient(1, connect=None, queue_size=2)  # type: ignore[arg-type]
    parser = BilibiliParser(1)
    for message in recorded()[:2] * 3:
        event = parser.parse(message)
        assert event is not None
        client._offer(event)  # noqa: SLF001 — the receive loop's only call
    assert client.events.qsize() == 2 and client.dropped == 4
