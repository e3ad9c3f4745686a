"""A small real HTTP server on 127.0.0.1 standing in for an SMS gateway, a 企业微信 robot
or the 公众号 API: it records every request and answers from a script of replies."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeProvider:
    replies: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # then 200 {}
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_reply(self) -> tuple[int, dict[str, Any]]:
        with self.lock:
            return self.replies.pop(0) if self.replies else (200, {"errcode": 0, "id": "ok"})


@contextmanager
def fake_provider(*replies: tuple[int, dict[str, Any]]) -> Iterator[FakeProvider]:
    fake = FakeProvider(list(replies))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — the http.server hook's name
            size = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(size) or b"{}")
            fake.seen.append(Seen(self.path, dict(self.headers.items()), body))
            status, answer = fake.next_reply()
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return  # quiet in test output

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
