"""Commands of fulfilment (shipping updates reuse orders.commands.UpdateShipping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from liveroom.core.messages import Command


@dataclass(frozen=True)
class ConfirmShipBy(Command):
    """The merchant confirms the computed ship-by date (ship_by None) or sets another."""

    action: ClassVar[str] = "fulfilment.confirm"
    order_id: str
    ship_by: date | None = None
    note: str = ""


@dataclass(frozen=True)
class RecordShipping(Command):
    """One shipping move from a bulk sheet or the page (`source` says which)."""

    action: ClassVar[str] = "orders.write"
    order_id: str
    carrier: str
    tracking_no: str
    status: str = "shipped"
    source: str = "sheet"
