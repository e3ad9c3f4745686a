"""Checks `liveroom serve` makes before it starts any worker: each names what is wrong and
how to fix it, instead of a server that starts and then loses or oversells."""

from __future__ import annotations

import errno
import socket

import redis

from liveroom.adapters.redis.redis_durability import persistence, refuse_volatile
from liveroom.adapters.sql.ledger_lock import LedgerLock
from liveroom.bootstrap import Container
from liveroom.core.errors import Conflict
from liveroom.orders.wiring import OrderSettings


class PortInUse(Conflict):
    code = "port_in_use"


def refuse_bound_port(host: str, port: int) -> None:
    """granian binds with SO_REUSEPORT: a second server on a busy port would start and share
    it silently (each taking some of the requests). A plain bind tells."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "in use"
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise PortInUse(f"{host}:{port} is already in use (another liveroom server?): "
                            "stop it or choose another --port") from None


def refuse_second_ledger(c: Container) -> None:
    """The in-process ledger's lock, tried once here for a clear message; the worker takes it
    for real when it starts (and would refuse there too)."""
    lock = LedgerLock(c.engine)
    lock.acquire()
    lock.release()


def refuse_volatile_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        refuse_volatile(persistence(client), OrderSettings().allow_volatile_redis)
    finally:
        client.close()
