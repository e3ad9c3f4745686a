"""Injectable clocks: the system clock, a fixed clock for tests, and an accelerated
clock so the simulator can run a two-hour show in about a minute."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start")
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self._now += timedelta(**delta)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class AcceleratedClock:
    """Show time runs `speed` times faster than wall time, from `start`."""

    def __init__(self, start: datetime, speed: float) -> None:
        self.start = start
        self.speed = speed
        self._wall0 = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self._wall0) * self.speed)


def utc(dt: datetime) -> datetime:
    """Normalise an aware datetime to UTC; reject naive ones."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: give a timezone offset")
    return dt.astimezone(UTC)


def local(dt: datetime, tz: str = "Asia/Shanghai") -> datetime:
    return dt.astimezone(ZoneInfo(tz))


def as_aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
