"""Keeps the catalogue's observed history current: after a show ends and after a refund
(the operator's, or an after-sales refund or return)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.eventbus import Envelope
from liveroom.adapters.sql import schema as t
from liveroom.catalog.commands import RefreshProductStats
from liveroom.identity.model import SYSTEM
from liveroom.runtime import Core

log = logging.getLogger(__name__)


def install(c: Core) -> None:
    def refresh(cmd: RefreshProductStats) -> None:
        try:
            c.bus.handle(cmd, SYSTEM, relay=False)
        except SQLAlchemyError:  # the next show or refund recounts; the relay must go on
            log.exception("product history refresh failed: %s", cmd)

    def on_status(env: Envelope) -> None:
        if env.payload.get("after") == "ended":
            refresh(RefreshProductStats(session_id=env.payload["session_id"]))

    def on_refund(env: Envelope) -> None:
        sku_ids = env.payload.get("sku_ids") or []
        with c.read() as conn:
            pids = conn.execute(select(t.skus.c.product_id).distinct()
                                .where(t.skus.c.id.in_(sku_ids))).scalars().all()
        refresh(RefreshProductStats(product_ids=tuple(pids)))

    c.events.subscribe("SessionStatusChanged", on_status)
    c.events.subscribe("OrderRefunded", on_refund)
    c.events.subscribe("AfterSaleRefunded", on_refund)  # partial refunds, returns
