"""Wiring of fulfilment: its handlers (ship-by confirmation and every shipping move)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liveroom.fulfilment.handlers import HANDLERS

if TYPE_CHECKING:
    from liveroom.bootstrap import Container


def wire_fulfilment(c: Container) -> None:
    c.bus.register(HANDLERS)  # type: ignore[arg-type]
