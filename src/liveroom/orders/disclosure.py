"""Reads of buyers' personal data (names, phones, addresses) leave a trace in the audit
trail: who read or exported which orders, and when (《个人信息保护法》: access to personal
information is recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from liveroom.core.bus import Context
from liveroom.core.messages import Command

READ_ORDER = "orders.contact_read"  # one order's detail with its contact
LIST_ORDERS = "orders.contact_list"  # a page of a session's orders with contacts
EXPORT_ORDERS = "orders.export"  # a session's orders as a CSV or XLSX file


@dataclass(frozen=True)
class RecordPersonalDataRead(Command):
    action: ClassVar[str] = "orders.see_personal_data"
    what: str  # READ_ORDER, LIST_ORDERS or EXPORT_ORDERS
    session_id: str | None
    target: str  # the order id, or the file / page that was read
    orders: int
    detail: dict[str, Any] | None = None


def record_read(cmd: RecordPersonalDataRead, uow: Any, ctx: Context) -> None:
    uow.audit.record(ctx.actor, cmd.what, session_id=cmd.session_id, target=cmd.target,
                     after={"orders": cmd.orders, **(cmd.detail or {})})
    uow.commit()


HANDLERS = {RecordPersonalDataRead: record_read}
