"""Stock rules shared by every back-end: open/closed sales, limits, the in-memory book,
safety stock and oversell remedies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from liveroom.adapters.sql.stock_store import FlashOrder
from liveroom.inventory.model import (
    Candidate,
    Outcome,
    SaleBook,
    SaleTerms,
    below_safety,
    choose_remedy,
    decide,
    restock_by,
    sale_open,
)
from liveroom.orders.events import OrderReserved

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def terms(quantity: int = 2, limit: int = 1, starts_at: datetime | None = None) -> SaleTerms:
    return SaleTerms("fs", "s", "sku", 990, quantity, limit, "live", starts_at)


def test_a_sale_is_open_when_live_or_when_its_hour_has_come() -> None:
    assert sale_open("live", None, NOW)
    assert not sale_open("created", None, NOW)
    assert not sale_open("stopped", NOW - timedelta(hours=1), NOW)
    assert sale_open("created", NOW, NOW)
    assert not sale_open("created", NOW + timedelta(seconds=1), NOW)


def test_decide_checks_open_then_limit_then_stock() -> None:
    base = dict(sold=0, quantity=1, held=0, want=1, limit=1)
    assert decide(open_=True, **base) == Outcome.RESERVED
    assert decide(open_=False, **{**base, "sold": 1}) == Outcome.NOT_STARTED
    assert decide(open_=True, **{**base, "held": 1, "sold": 1}) == Outcome.LIMIT_EXCEEDED
    assert decide(open_=True, **{**base, "sold": 1}) == Outcome.SOLD_OUT
    assert decide(open_=True, **{**base, "want": 0}) == Outcome.LIMIT_EXCEEDED


def test_the_book_never_sells_beyond_stock_or_limit() -> None:
    book = SaleBook(terms(quantity=3, limit=2))
    got = [book.try_reserve(f"o{i}", b, 1, "live", NOW) for i, b in enumerate("aaabbc")]
    assert got == [Outcome.RESERVED, Outcome.RESERVED, Outcome.LIMIT_EXCEEDED,
                   Outcome.RESERVED, Outcome.SOLD_OUT, Outcome.SOLD_OUT]
    assert (book.sold, book.remaining, book.held) == (3, 0, {"a": 2, "b": 1})


def test_release_is_idempotent_per_order() -> None:
    book = SaleBook.from_rows(terms(quantity=2), [("o1", "a", 1), ("o2", "b", 1)])
    assert book.release("o1") and not book.release("o1") and not book.release("zz")
    assert (book.sold, book.held) == (1, {"b": 1})
    assert book.try_reserve("o3", "a", 1, "live", NOW) == Outcome.RESERVED


def test_safety_stock_and_restock_date() -> None:
    assert below_safety(5, 5) and not below_safety(6, 5) and not below_safety(0, 0)
    assert restock_by(date(2026, 11, 27), 7) == date(2026, 12, 4)


def test_oversell_remedy_prefers_an_equal_or_better_substitute_in_stock() -> None:
    options = [Candidate("cheap", 500, 10), Candidate("same", 1000, 10),
               Candidate("dear", 1500, 10), Candidate("empty", 1000, 0)]
    assert choose_remedy(1000, 1, options) == ("substitute", "same", 0)
    assert choose_remedy(1000, 20, options) == ("compensation", None, 4000)
    assert choose_remedy(100, 1, []) == ("compensation", None, 100)


def test_the_hot_path_event_row_matches_the_event_class() -> None:
    o = FlashOrder("o1", "fs", "s", "sku", 990, "b", 2, "k", NOW, NOW, "douyin", None)
    expected = OrderReserved("o1", "s", "b", 1980, ["sku"], 2, "douyin", "flash", "fs")
    row = o.event_row()
    assert (row["name"], row["payload"]) == ("OrderReserved", expected.payload())
