"""Past-tense events of after-sales, written to the outbox. Amounts in fen."""

from __future__ import annotations

from dataclasses import dataclass, field

from liveroom.core.messages import Event


@dataclass(frozen=True)
class AfterSaleChanged(Event):
    case_id: str
    order_id: str
    buyer_id: str
    kind: str
    status: str
    stage: str


@dataclass(frozen=True)
class AfterSaleRefunded(Event):
    """Money went back on a case: the product history counts the order as returned."""

    case_id: str
    order_id: str
    session_id: str
    buyer_id: str
    kind: str
    refund_fen: int
    sku_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SlaBreached(Event):
    case_id: str
    order_id: str
    kind: str  # first_response | completion
    due_at: str
