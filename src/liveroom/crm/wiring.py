"""Wires members into the container: the handlers, and the order events that move points
(paid → earn; an operator's refund or an after-sales refund → reversal). Every event may
arrive twice (the relay delivers at least once): the ledger's unique key counts it once."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from liveroom.crm.commands import EarnPoints, ReversePoints
from liveroom.crm.handlers import HANDLERS
from liveroom.identity.model import SYSTEM
from liveroom.runtime import Core

log = logging.getLogger(__name__)


def install(c: Core) -> None:
    c.bus.register(HANDLERS)

    def run(cmd: EarnPoints | ReversePoints) -> None:
        try:
            c.bus.handle(cmd, SYSTEM, relay=False)
        except SQLAlchemyError:  # the next event of the order settles it; the relay goes on
            log.exception("member points not settled: %s", cmd)

    c.events.subscribe("OrderPaid", lambda env: run(EarnPoints(env.payload["order_id"])))
    for name in ("OrderRefunded", "AfterSaleRefunded"):
        c.events.subscribe(name, lambda env: run(ReversePoints(env.payload["order_id"])))
