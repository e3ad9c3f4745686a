"""Who may buy in a flash sale's member window (会员优先购), asked before the stock ledger
decides: the ledger gets a yes/no with the purchase and applies the window atomically
(memory book, Redis Lua, SQL conditional update) like every other rule of the sale."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import Engine, select

from liveroom.adapters.sql.schema import flash_sales
from liveroom.core.clock import Clock, as_aware
from liveroom.crm import views
from liveroom.crm.priority import may_buy_early
from liveroom.crm.rules import tier_rules

Window = tuple[str, datetime, datetime] | None  # (tier, members_from, starts_at)
MAX_CACHED = 10_000


class EarlyAccess:
    """A sale's window is fixed when the sale is created, so each process reads it once;
    the buyer's tier is read only inside a window (outside one this costs a dict lookup)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._windows: dict[str, Window] = {}

    async def early(self, sale_id: str, buyer_id: str) -> bool:
        if sale_id not in self._windows:
            window = await asyncio.to_thread(self._read_window, sale_id)
            if len(self._windows) >= MAX_CACHED:
                self._windows.clear()
            self._windows[sale_id] = window
        window = self._windows[sale_id]
        now = self.clock.now()
        if window is None or not window[1] <= now < window[2]:
            return False
        return await asyncio.to_thread(self._member_may, buyer_id, window, now)

    def _read_window(self, sale_id: str) -> Window:
        s = flash_sales.c
        with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
            row = conn.execute(select(s.priority_tier, s.members_from, s.starts_at)
                               .where(s.id == sale_id)).first()
        if row is None or row.priority_tier is None or row.members_from is None \
                or row.starts_at is None:
            return None
        return row.priority_tier, as_aware(row.members_from), as_aware(row.starts_at)

    def _member_may(self, buyer_id: str, window: tuple[str, datetime, datetime],
                    now: datetime) -> bool:
        rules = tier_rules()
        with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
            tier = views.buyer_tier(conn, rules, buyer_id, now)
        return may_buy_early(rules, tier, window[0], window[1], window[2], now)
