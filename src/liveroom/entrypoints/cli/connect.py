"""``liveroom connect bilibili ROOM_ID --session SID``: a live room's danmaku into liveroom.

Wires the Bilibili client (receive loop, heartbeat, reconnect with backoff) to the forwarder
(batched POSTs to ``/api/v1/sessions/{sid}/comments`` with platform-scoped ids). Both ends
are checked before running: an unreachable liveroom API or Bilibili server is a one-line
error and exit code 1, not a traceback. Once connected, a lost connection is retried with
backoff for as long as the command runs.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Annotated

import httpx
import typer
from rich.console import Console

from liveroom.connectors.bilibili.client import (
    DEFAULT_URL,
    BilibiliClient,
    Connect,
    Socket,
    websockets_connect,
)
from liveroom.connectors.forward import Forwarder

app = typer.Typer(help="Run a platform connector that forwards live comments",
                  no_args_is_help=True)
out = Console(stderr=True)


class Unreachable(Exception):
    """An endpoint could not be reached at start-up (the message says which and why)."""


@dataclass
class ConnectorRun:
    frames: int
    forwarded: int
    failed: int
    dropped: int
    connections: int


def _first_attempt_checked(connect: Connect, url: str) -> Connect:
    attempts = 0

    async def checked(target: str) -> Socket:
        nonlocal attempts
        attempts += 1
        try:
            return await connect(target)
        except (OSError, ConnectionError) as exc:
            if attempts == 1:  # never connected: a wrong URL or no network, not a blip
                raise Unreachable(f"cannot reach Bilibili at {url}: {exc}") from exc
            raise

    return checked


async def _check_api(http: httpx.AsyncClient, base_url: str) -> None:
    try:
        r = await http.get("/api/v1/health")
    except httpx.TransportError as exc:
        raise Unreachable(f"liveroom API at {base_url} is unreachable: {exc}") from exc
    if r.status_code != 200:
        raise Unreachable(f"liveroom API at {base_url} answered {r.status_code} on /health")


async def run_bilibili(room_id: int, session_id: str, *, base_url: str, token: str | None,
                       ws_url: str = DEFAULT_URL, uid: int = 0, key: str = "",
                       duration: float | None = None, connect: Connect = websockets_connect,
                       transport: httpx.AsyncBaseTransport | None = None) -> ConnectorRun:
    """Run until cancelled (or for ``duration`` seconds), then post what is left."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10,
                                 transport=transport) as http:
        await _check_api(http, base_url)
        client = BilibiliClient(room_id, _first_attempt_checked(connect, ws_url), uid=uid,
                                token=key, url=ws_url)
        forwarder = Forwarder(http, session_id)
        receiving = asyncio.create_task(client.run())
        forwarding = asyncio.create_task(forwarder.run(client.events))
        interrupted = False
        try:
            done, _ = await asyncio.wait({receiving}, timeout=duration)
            if receiving in done:
                receiving.result()  # Unreachable (or a bug) surfaces here
        except asyncio.CancelledError:
            interrupted = True  # Ctrl-C: still post what was received before stopping
        finally:
            for task in (receiving, forwarding):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await forwarder.close(client.events)
        if interrupted:
            raise asyncio.CancelledError
    return ConnectorRun(client.received, forwarder.sent, forwarder.failed, client.dropped,
                        client.connections)


@app.command()
def bilibili(
    room_id: Annotated[int, typer.Argument(help="Bilibili live room id")],
    session: Annotated[str, typer.Option("--session", help="liveroom session id")],
    base_url: Annotated[str, typer.Option(help="liveroom API")] = "http://127.0.0.1:8000",
    token: Annotated[str | None, typer.Option(envvar="LIVEROOM_TOKEN",
                                              help="bearer token of a connector user")] = None,
    ws_url: Annotated[str, typer.Option(help="Bilibili danmaku server")] = DEFAULT_URL,
    uid: Annotated[int, typer.Option(help="Bilibili uid (0: anonymous)")] = 0,
    key: Annotated[str, typer.Option(help="danmaku key from getDanmuInfo")] = "",
    seconds: Annotated[float | None, typer.Option(
        "--for", help="stop after this many seconds (default: until Ctrl-C)")] = None,
) -> None:
    """Forward a Bilibili live room's comments to a liveroom session."""
    out.print(f"connecting Bilibili room {room_id} → session {session} at {base_url}")
    try:
        result = asyncio.run(run_bilibili(room_id, session, base_url=base_url, token=token,
                                          ws_url=ws_url, uid=uid, key=key, duration=seconds))
    except Unreachable as exc:
        out.print(f"[red]error[/red] {exc}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        out.print("stopped")
        return
    out.print(f"frames {result.frames}, comments forwarded {result.forwarded}, "
              f"failed {result.failed}, dropped {result.dropped}, "
              f"connections {result.connections}")
