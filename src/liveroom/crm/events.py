"""Past-tense events of members, written to the outbox. Amounts in fen."""

from __future__ import annotations

from dataclasses import dataclass

from liveroom.core.messages import Event


@dataclass(frozen=True)
class MemberPriceSet(Event):
    session_id: str
    sku_id: str
    tier: str
    price_fen: int
    overridden: bool
