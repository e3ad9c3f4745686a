"""Private servers for fault tests: a Redis and a PostgreSQL cluster of the test's own, on
their own ports and directories, which the test may kill and restart. The shared servers
of the machine are never stopped."""

from __future__ import annotations

import glob
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

LIVEROOM = str(Path(sys.executable).parent / "liveroom")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until check() held; raise after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not happen within {timeout} s")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def serve(env: dict[str, str], port: int, *extra: str, timeout: float = 90,
          log: Path | None = None, host: str = "127.0.0.1",
          wrap: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
    """`liveroom serve` in its own process group (kill -9 of the group takes its workers).
    Its log goes to a file (a pipe nobody reads would block the server once full). `wrap`
    runs it through another command (`ip netns exec …`, which execs it: same pid)."""
    log = log or Path(tempfile.gettempdir()) / f"liveroom-serve-{port}.log"
    with log.open("ab") as out:
        proc = subprocess.Popen([*wrap, LIVEROOM, "serve", "--host", host, "--port", str(port),
                                 *extra], env=env, stdout=subprocess.DEVNULL, stderr=out,
                                start_new_session=True)
    try:
        wait_until(lambda: proc.poll() is not None or
                   answers(f"http://{host}:{port}/api/v1/health"), timeout, "server start")
    except RuntimeError:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    if proc.poll() is not None:
        raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
    return proc


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


class PrivateRedis:
    def __init__(self, tmp: Path, *options: str, bind: tuple[str, ...] = ("127.0.0.1",)
                 ) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.dir = tmp / f"redis-{self.port}"
        self.dir.mkdir()
        self.options = options
        self.bind = bind
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> float:
        import redis  # noqa: PLC0415 — tests that never start a Redis do not need it

        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", *self.bind, "--dir",
             str(self.dir), "--save", "", *self.options],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False
        try:
            return wait_until(up, 10, "private Redis start")
        finally:
            client.close()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


class PrivatePostgres:
    """initdb + pg_ctl in a temporary directory, as the postgres user when run as root."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        # Not under pytest's tmp_path: that is private to root, and root cannot run postgres.
        self.dir = Path(tempfile.mkdtemp(prefix=f"liveroom-pg-{self.port}-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                pytest.skip("root cannot run PostgreSQL and runuser is missing")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                   "-A", "trust", "--no-sync"])

    def _run(self, cmd: list[str]) -> None:
        subprocess.run([*self.as_user, *cmd], check=True, capture_output=True)

    def start(self, listen: str = "127.0.0.1") -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                   str(self.dir / "log"), "-o",
                   f"-p {self.port} -k {self.dir} -c listen_addresses={listen} -c fsync=off",
                   "start"])

    def trust(self, cidr: str) -> None:
        """Let clients from `cidr` in without a password (before start)."""
        with (self.data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {cidr} trust\n")

    def stop(self, mode: str = "fast") -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop"])

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class NetworkCut:
    """A network namespace joined to this one by a veth pair. A process started in it
    (`wrap`) reaches this side only through the pair, which `cut()` takes down (packets are
    dropped, as when a cable is pulled) and `heal()` brings back. The pair's addresses are a
    /30 of the link-local range, which nothing outside this machine has. Needs root and
    iproute2 (the test is skipped otherwise); everything goes with `remove()`."""

    def __init__(self) -> None:
        if os.geteuid() != 0 or shutil.which("ip") is None:
            pytest.skip("network namespaces need root and iproute2")
        tag = uuid.uuid4().hex[:6]
        self.name, self.outside, self.inside = f"lr{tag}", f"lrh{tag}", f"lrn{tag}"
        block = f"169.254.{random.randint(1, 254)}"
        low = 4 * random.randint(0, 62)
        self.host_ip, self.ns_ip = f"{block}.{low + 1}", f"{block}.{low + 2}"
        try:
            self._ip("netns", "add", self.name)
        except subprocess.CalledProcessError as exc:
            pytest.skip(f"no network namespaces here: {exc.stderr.strip()}")
        try:
            self._ip("link", "add", self.outside, "type", "veth", "peer", "name", self.inside,
                     "netns", self.name)
            self._ip("addr", "add", f"{self.host_ip}/30", "dev", self.outside)
            self._ip("link", "set", self.outside, "up")
            for args in (("addr", "add", f"{self.ns_ip}/30", "dev", self.inside),
                         ("link", "set", self.inside, "up"), ("link", "set", "lo", "up")):
                self._ip("-n", self.name, *args)
        except subprocess.CalledProcessError:
            self.remove()
            raise

    @property
    def wrap(self) -> tuple[str, ...]:
        return ("ip", "netns", "exec", self.name)

    def cut(self) -> None:
        self._ip("link", "set", self.outside, "down")

    def heal(self) -> None:
        self._ip("link", "set", self.outside, "up")

    def remove(self) -> None:
        """The namespace and the pair (deleting one end deletes the other)."""
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)

    @staticmethod
    def _ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, text=True)
