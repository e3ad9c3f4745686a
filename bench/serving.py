"""What every benchmark needs to measure the real thing: a free port, the `liveroom` CLI
(for an operator token) and `liveroom serve` started and waited for."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLI = str(Path(sys.executable).parent / "liveroom")


def server_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) of the servers and their worker processes, from /proc: on
    a shared machine this, not the wall clock, tells what a request costs."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(stat.parent.name) in pids or int(fields[1]) in pids:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def operator_token(env: dict[str, str], role: str = "admin", name: str = "bench") -> str:
    return subprocess.run([CLI, "user", "add", name, "--role", role], env=env,
                          capture_output=True, text=True, check=True).stdout.strip()


def wait_healthy(base: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)  # a benchmark's set-up, not a request path
    raise RuntimeError("server did not come up")


def embedded_server(prefix: str, work: Path | None = None,
                    ) -> tuple[subprocess.Popen[bytes], str, str]:
    """`liveroom serve` on a fresh embedded (SQLite) database in `work` (its var dir,
    `liveroom.db`; a new temporary one by default): (process, base URL, an admin token).
    The caller terminates the process."""
    work = work or Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "LIVEROOM_VAR_DIR": str(work), "LIVEROOM_DATABASE_URL": "",
           "LIVEROOM_REDIS_URL": ""}
    token = operator_token(env)
    port = free_port()
    proc = subprocess.Popen([CLI, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}", token
