"""Commands and events of live-ops interventions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from liveroom.core.messages import Command, Event


@dataclass(frozen=True)
class InterveneCarts(Command):
    """One click on the console: answer the carts abandoned for `after_minutes` or more
    with a short coupon on the shelf (`coupon`) or a message to those buyers (`message`)."""

    action: ClassVar[str] = "console.coupon"
    session_id: str
    kind: str  # coupon | message
    discount_fen: int = 0
    minutes: int = 10  # the coupon's countdown
    after_minutes: int = 5
    text: str = ""


@dataclass(frozen=True)
class CartsIntervened(Event):
    session_id: str
    intervention_id: str
    kind: str
    buyers: int
