"""A real `liveroom serve` on a free port, SQLite in a temp dir, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CLI = str(Path(sys.executable).parent / "liveroom")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    """Poll the health route of a child server; a loaded machine may need a minute."""
    with httpx.Client(base_url=url) as client:
        for _ in range(1200):
            try:
                if client.get("/api/v1/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr
                                   else "server exited")
            subprocess.run(["sleep", "0.05"], check=True)  # polling a child, not a request
    raise RuntimeError("server did not come up")


class Server:
    def __init__(self, var_dir: Path) -> None:
        self.env = {**os.environ, "LIVEROOM_VAR_DIR": str(var_dir), "LIVEROOM_DATABASE_URL": "",
                    "LIVEROOM_REDIS_URL": ""}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> str:
        out = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True,
                             check=True, timeout=60)
        return out.stdout.strip()

    def start(self) -> None:
        self.proc = subprocess.Popen([CLI, "serve", "--port", str(self.port)], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until_up(self.url, self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("e2e"))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    return {"executable_path": CHROMIUM, "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a test saves its screenshots: a temporary folder, or the folder named by
    LIVEROOM_SCREENSHOT_DIR (`LIVEROOM_SCREENSHOT_DIR=docs/screenshots make test` refreshes
    the documentation's pictures; a plain run leaves the working tree untouched)."""
    folder = Path(os.environ.get("LIVEROOM_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
