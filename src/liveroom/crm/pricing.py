"""The member price a buyer gets in a show, for order pricing and the viewer's shelf: the
lowest price set for the buyer's tier or a lower one, when below the live price."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liveroom.crm import views
from liveroom.crm.rules import tier_rules


class MemberPricing:
    """Loads the show's member prices once, and the buyer's tier only if there are any."""

    def __init__(self, conn: Any, session_id: str, buyer_id: str | None, now: datetime) -> None:
        self.rules = tier_rules()
        self.prices = views.member_prices_of(conn, session_id)
        self.tier = views.buyer_tier(conn, self.rules, buyer_id, now) \
            if self.prices and buyer_id else None

    def offer(self, sku_id: str, live_price_fen: int) -> tuple[str, int] | None:
        """(tier the price was set for, price) when the buyer's member price beats live."""
        found = views.price_for_tier(self.rules, self.prices.get(sku_id, {}), self.tier)
        return found if found is not None and found[1] < live_price_fen else None

    def unit_price(self, sku_id: str, live_price_fen: int) -> int:
        found = self.offer(sku_id, live_price_fen)
        return live_price_fen if found is None else found[1]

    def tier_label(self, code: str) -> str:
        return self.rules.label(code)
