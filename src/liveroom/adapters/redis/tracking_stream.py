"""Tracking events on a Redis Stream, read by consumer groups so several workers share the
load. The SQL table stays the record; the stream carries events to stream processors."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import redis

from liveroom.tracking.model import TrackingEvent, parse_ts, validate_event

log = logging.getLogger(__name__)


class TrackingStream:
    def __init__(self, client: Any, stream: str, maxlen: int = 2_000_000) -> None:
        self.client = client
        self.stream = stream
        self.maxlen = maxlen

    def publish(self, events: Sequence[TrackingEvent]) -> int:
        if not events:
            return 0
        pipe = self.client.pipeline(transaction=False)
        for e in events:
            pipe.xadd(self.stream, {"event": json.dumps(e.to_json(), ensure_ascii=False)},
                      maxlen=self.maxlen, approximate=True)
        pipe.execute()
        return len(events)


@dataclass(frozen=True)
class Delivery:
    message_id: str
    event: TrackingEvent


class TrackingConsumer:
    """One member of a consumer group. `poll` blocks on XREADGROUP (not a sleep), hands each
    event to `handle`, and acknowledges only what was handled: a crash re-delivers."""

    def __init__(self, client: Any, stream: str, group: str, name: str) -> None:
        self.client = client
        self.stream = stream
        self.group = group
        self.name = name
        self.unparseable = 0

    def ensure_group(self) -> None:
        try:
            self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):  # the group exists already: fine
                raise

    def read(self, count: int = 500, block_ms: int = 1000) -> list[Delivery]:
        reply = self.client.xreadgroup(self.group, self.name, {self.stream: ">"},
                                       count=count, block=block_ms)
        out = []
        for _stream, messages in reply or []:
            for mid, fields in messages:
                event = self._decode(mid, fields)
                if event is None:
                    # Poison message: acknowledge so it does not loop forever, but count it.
                    self.client.xack(self.stream, self.group, mid)
                    continue
                out.append(Delivery(_text(mid), event))
        return out

    def ack(self, deliveries: Sequence[Delivery]) -> int:
        if not deliveries:
            return 0
        return int(self.client.xack(self.stream, self.group,
                                    *[d.message_id for d in deliveries]))

    def poll(self, handle: Callable[[list[TrackingEvent]], None], count: int = 500,
             block_ms: int = 1000) -> int:
        batch = self.read(count, block_ms)
        if batch:
            handle([d.event for d in batch])
            self.ack(batch)
        return len(batch)

    def _decode(self, mid: Any, fields: dict[Any, Any]) -> TrackingEvent | None:
        raw: Any = fields.get(b"event") or fields.get("event")
        try:
            data = json.loads(raw)
        except (TypeError, ValueError):
            self.unparseable += 1
            log.error("tracking stream %s: message %s is not JSON", self.stream, _text(mid))
            return None
        ts = parse_ts(data.get("ts"))
        if ts is None:
            self.unparseable += 1
            log.error("tracking stream %s: message %s has no valid ts", self.stream, _text(mid))
            return None
        event = validate_event(data, data.get("session_id", ""), ts)
        if isinstance(event, TrackingEvent):
            return event
        self.unparseable += 1
        log.error("tracking stream %s: message %s rejected: %s", self.stream, _text(mid), event)
        return None


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
