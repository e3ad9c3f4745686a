"""A Bilibili live danmaku client: connect, authenticate, heartbeat every 30 s, turn frames
into typed events, reconnect with capped exponential backoff and jitter.

The receive loop only parses and puts events on a bounded queue (``put_nowait``; when the
consumer lags, the oldest event is dropped and counted), so a slow consumer never stalls
the socket and the platform never disconnects us for not reading. The transport is a port
(``connect(url) -> Socket``) so tests replay recorded frames; ``websockets`` is the real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from liveroom.connectors.bilibili import protocol
from liveroom.connectors.bilibili.messages import BilibiliParser
from liveroom.connectors.events import ConnectorEvent

log = logging.getLogger(__name__)
DEFAULT_URL = "wss://broadcastlv.chat.bilibili.com/sub"


class Socket(Protocol):
    async def send(self, data: bytes) -> None: ...

    async def recv(self) -> bytes: ...

    async def close(self) -> None: ...


Connect = Callable[[str], Awaitable[Socket]]


@dataclass(frozen=True)
class Backoff:
    first: float = 1.0
    factor: float = 2.0
    cap: float = 60.0
    jitter: float = 0.2  # ± share, so a fleet of connectors does not reconnect in step

    def delay(self, attempt: int, rng: random.Random) -> float:
        base = min(self.cap, self.first * self.factor ** attempt)
        return base * (1 + rng.uniform(-self.jitter, self.jitter))


class BilibiliClient:
    def __init__(self, room_id: int, connect: Connect, *, uid: int = 0, token: str = "",
                 url: str = DEFAULT_URL, queue_size: int = 10_000,
                 backoff: Backoff | None = None, heartbeat_s: float = 30.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rng: random.Random | None = None, max_attempts: int | None = None) -> None:
        self.room_id = room_id
        self.parser = BilibiliParser(room_id)
        self.events: asyncio.Queue[ConnectorEvent] = asyncio.Queue(queue_size)
        self.dropped = 0
        self.connections = 0
        self.received = 0  # frames
        self.delays: list[float] = []
        self._connect, self._uid, self._token, self._url = connect, uid, token, url
        self._backoff = backoff or Backoff()
        self._heartbeat_s = heartbeat_s
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._max_attempts = max_attempts

    async def run(self) -> None:
        """Stay connected until cancelled (or after ``max_attempts`` connection attempts)."""
        failures, tries = 0, 0
        while self._max_attempts is None or tries < self._max_attempts:
            tries += 1
            received_before = self.received
            try:
                await self._session()
            except (OSError, EOFError, protocol.ProtocolError, ConnectionError) as exc:
                log.warning("bilibili room %s: connection lost (%s: %s)", self.room_id,
                            exc.__class__.__name__, exc)
            # A session that delivered frames was healthy: start the backoff afresh.
            failures = 1 if self.received > received_before else failures + 1
            delay = self._backoff.delay(failures, self._rng)
            self.delays.append(delay)
            await self._sleep(delay)

    async def _session(self) -> None:
        socket = await self._connect(self._url)
        self.connections += 1
        heartbeat = None
        try:
            await socket.send(protocol.auth_packet(self.room_id, self._uid, self._token))
            heartbeat = asyncio.create_task(self._beat(socket))
            while True:
                frame = await socket.recv()
                self.received += 1
                for message in protocol.commands(frame):
                    event = self.parser.parse(message)
                    if event is not None:
                        self._offer(event)
        finally:
            if heartbeat is not None:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat
            await socket.close()

    def _offer(self, event: ConnectorEvent) -> None:
        if self.events.full():
            self.events.get_nowait()
            self.dropped += 1
        self.events.put_nowait(event)

    async def _beat(self, socket: Socket) -> None:
        while True:
            await socket.send(protocol.heartbeat_packet())
            await asyncio.sleep(self._heartbeat_s)  # real time: the platform's deadline


async def websockets_connect(url: str) -> Socket:
    """The real transport (the ``websockets`` package)."""
    import websockets  # noqa: PLC0415 — optional: only live connections need it

    try:
        ws = await websockets.connect(url, max_size=2**22, open_timeout=10)
    except websockets.InvalidHandshake as exc:
        # The server answered but refused the upgrade (a proxy page, 403, 5xx): a
        # connection failure like any other, so the caller's backoff applies.
        raise ConnectionError(f"websocket handshake refused: {exc}") from exc

    class _Socket:
        async def send(self, data: bytes) -> None:
            await ws.send(data)

        async def recv(self) -> bytes:
            try:
                frame = await ws.recv()
            except websockets.ConnectionClosed as exc:
                raise ConnectionError(str(exc)) from exc
            return frame if isinstance(frame, bytes) else frame.encode()

        async def close(self) -> None:
            await ws.close()

    return _Socket()
