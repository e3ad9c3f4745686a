"""The stock-ledger port: one contract, three back-ends (memory, redis, sql) in adapters/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from liveroom.core.errors import DomainError
from liveroom.inventory.model import Outcome


class StockUnavailable(DomainError):
    """The ledger could not answer now (database or Redis down); nothing was reserved."""

    status = 503
    code = "try_again"


class UnstorableOrder(DomainError):
    """The database refused this order's data (it got past the door's checks); it was set
    aside as a dead letter and nothing was reserved. Retrying the same input cannot help."""

    status = 422
    code = "order_unstorable"


@dataclass(frozen=True)
class PurchaseRequest:
    sale_id: str
    buyer_id: str
    quantity: int
    idempotency_key: str
    channel: str | None = None
    utm: dict[str, Any] | None = None
    early: bool = False  # the buyer's tier may buy in the sale's member priority window


@dataclass(frozen=True)
class PurchaseReply:
    """The answer a buyer gets; a retried idempotency key gets exactly this again."""

    outcome: Outcome
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def status_code(self) -> int:
        return 201 if self.outcome == Outcome.RESERVED else 409


@dataclass(frozen=True)
class Held:
    """Units of a closed order to give back to a flash sale."""

    order_id: str
    sale_id: str
    buyer_id: str
    quantity: int


class StockLedger(Protocol):
    name: str

    async def start(self) -> None:
        """Begin background work (group commit, persister, watchdog)."""

    async def stop(self) -> None:
        """Finish in-flight work; nothing confirmed is dropped."""

    async def reserve(self, req: PurchaseRequest) -> PurchaseReply:
        """Atomically check the sale is open, the buyer's limit and the stock; on success
        an order exists (or is durably queued) before this returns."""

    async def release(self, held: list[Held]) -> None:
        """Return units after the database has closed their orders (expiry, cancel)."""

    async def remaining(self, sale_id: str) -> int | None:
        """Live units left, or None if the ledger does not hold the sale (ask the DB)."""

    async def rebuild(self, sale_id: str) -> None:
        """Forget the sale's counters and rebuild them from order rows."""

    async def flush(self) -> None:
        """Make every reservation answered so far visible in the database."""

    def status_changed(self, sale_id: str, status: str) -> None:
        """The console started or stopped a sale (called from the outbox relay)."""


def expires(now: datetime, minutes: int) -> datetime:
    return now + timedelta(minutes=minutes)
