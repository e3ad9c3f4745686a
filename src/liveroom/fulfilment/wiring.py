"""Wiring of fulfilment: its handlers (ship-by confirmation and every shipping move)."""

from __future__ import annotations

from liveroom.fulfilment.handlers import HANDLERS
from liveroom.runtime import Core


def wire_fulfilment(c: Core) -> None:
    c.bus.register(HANDLERS)  # type: ignore[arg-type]
