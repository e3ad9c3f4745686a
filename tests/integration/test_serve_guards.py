"""`liveroom serve` run wrongly: a second server on the same database or the same port is
refused with a clear message; a worker killed with -9 is started again."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.servers import LIVEROOM, answers, free_port, kill_group, serve, wait_until

pytestmark = pytest.mark.slow


def _env(tmp_path: Path, db: str) -> dict[str, str]:
    return {**os.environ, "LIVEROOM_DATABASE_URL": f"sqlite:///{tmp_path / db}",
            "LIVEROOM_VAR_DIR": str(tmp_path / "var"), "LIVEROOM_STOCK_BACKEND": "memory",
            "LIVEROOM_REDIS_URL": "", "LIVEROOM_ENV": "development"}


def _refused(env: dict[str, str], port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LIVEROOM, "serve", "--port", str(port)], env=env, timeout=60,
                          capture_output=True, text=True)


def test_a_second_server_on_the_same_database_or_port_is_refused(tmp_path: Path) -> None:
    # given a server selling with the in-process ledger
    env = _env(tmp_path, "a.db")
    port = free_port()
    proc = serve(env, port)
    try:
        # when a second one starts on the same database, then it refuses and says why
        same_db = _refused(env, free_port())
        assert same_db.returncode == 2
        assert "stock_ledger_in_use" in same_db.stderr
        assert "already selling" in " ".join(same_db.stderr.split())
        # when another one starts on the same port, then it refuses too (granian would
        # have shared the port silently)
        same_port = _refused(_env(tmp_path, "b.db"), port)
        assert same_port.returncode == 2
        assert "port_in_use" in same_port.stderr
        # and the first server still answers
        assert answers(f"http://127.0.0.1:{port}/api/v1/health")
    finally:
        kill_group(proc)


def _workers(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def test_a_killed_worker_is_started_again(tmp_path: Path) -> None:
    # given a server with one worker
    port = free_port()
    proc = serve(_env(tmp_path, "w.db"), port)
    try:
        [worker] = _workers(proc.pid)
        # when the worker is killed with -9
        os.kill(worker, signal.SIGKILL)
        # then a new worker answers within seconds, and the server did not exit
        took = wait_until(lambda: answers(f"http://127.0.0.1:{port}/api/v1/health")
                          and worker not in _workers(proc.pid), 20, "worker respawn")
        assert proc.poll() is None
        assert took < 20
    finally:
        kill_group(proc)
