"""After-sales rules: what is approved at once, what goes to a person, what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liveroom.aftersales import model
from liveroom.aftersales.model import Kind, OrderFacts, Stage, Status
from liveroom.core.errors import Conflict, Invalid

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def paid(*, total: int = 12000, refunded: int = 0, shipping: str | None = None,
         since: datetime | None = None, days: int = 7, status: str = "paid") -> OrderFacts:
    return OrderFacts(status, total, refunded, shipping, since, days)


def test_an_unshipped_paid_order_gets_its_full_refund_at_once() -> None:
    verdict = model.assess(Kind.REFUND_ONLY, None, paid(), NOW)
    assert (verdict.status, verdict.stage, verdict.amount_fen) == (
        Status.APPROVED, Stage.REFUNDED, 12000)
    assert verdict.auto and verdict.hold_reason is None


def test_a_full_amount_named_explicitly_is_the_same_standard_case() -> None:
    assert model.assess(Kind.REFUND_ONLY, 12000, paid(), NOW).status == Status.APPROVED


def test_a_partial_refund_goes_to_a_person() -> None:
    verdict = model.assess(Kind.REFUND_ONLY, 3000, paid(), NOW)
    assert (verdict.status, verdict.amount_fen, verdict.hold_reason) == (
        Status.PENDING_REVIEW, 3000, "partial")


def test_a_refund_of_shipped_goods_goes_to_a_person() -> None:
    facts = paid(shipping="in_transit", since=NOW - timedelta(days=1))
    verdict = model.assess(Kind.REFUND_ONLY, None, facts, NOW)
    assert (verdict.status, verdict.hold_reason) == (Status.PENDING_REVIEW, "shipped")


def test_what_is_left_after_an_earlier_refund_is_the_default_amount() -> None:
    verdict = model.assess(Kind.REFUND_ONLY, None, paid(refunded=2000), NOW)
    assert (verdict.status, verdict.amount_fen) == (Status.APPROVED, 10000)


@pytest.mark.parametrize("amount,refunded", [(12001, 0), (10001, 2000)])
def test_more_than_paid_minus_refunded_is_refused(amount: int, refunded: int) -> None:
    with pytest.raises(Invalid) as err:
        model.assess(Kind.REFUND_ONLY, amount, paid(refunded=refunded), NOW)
    assert err.value.code == "amount_exceeds_refundable"
    assert err.value.details["refundable_fen"] == 12000 - refunded


def test_a_zero_amount_is_refused() -> None:
    with pytest.raises(Invalid) as err:
        model.assess(Kind.REFUND_ONLY, 0, paid(), NOW)
    assert err.value.code == "invalid_amount"


def test_a_fully_refunded_or_unpaid_order_has_nothing_to_ask_for() -> None:
    with pytest.raises(Conflict) as err:
        model.assess(Kind.REFUND_ONLY, None, paid(refunded=12000), NOW)
    assert err.value.code == "nothing_to_refund"
    with pytest.raises(Conflict) as err:
        model.assess(Kind.REFUND_ONLY, None, paid(status="reserved"), NOW)
    assert err.value.code == "order_not_paid"


def test_a_return_within_seven_days_of_delivery_is_approved_and_waits_for_the_goods() -> None:
    facts = paid(shipping="delivered", since=NOW - timedelta(days=6, hours=23))
    verdict = model.assess(Kind.RETURN, None, facts, NOW)
    assert (verdict.status, verdict.stage, verdict.amount_fen) == (
        Status.APPROVED, Stage.AWAITING_RETURN, 12000)


def test_a_return_counts_from_shipment_while_the_parcel_travels() -> None:
    assert model.assess(Kind.RETURN, None, paid(shipping="shipped", since=NOW),
                        NOW).status == Status.APPROVED


def test_a_return_after_the_window_goes_to_a_person() -> None:
    facts = paid(shipping="delivered", since=NOW - timedelta(days=7, minutes=1))
    verdict = model.assess(Kind.RETURN, None, facts, NOW)
    assert (verdict.status, verdict.hold_reason) == (Status.PENDING_REVIEW, "out_of_window")


def test_a_product_without_no_reason_returns_always_goes_to_a_person() -> None:
    facts = paid(shipping="delivered", since=NOW, days=model.no_reason_days("生鲜水果"))
    assert model.assess(Kind.RETURN, None, facts, NOW).hold_reason == "out_of_window"
    assert model.no_reason_days("厨具") == 7


def test_a_partial_return_goes_to_a_person() -> None:
    facts = paid(shipping="delivered", since=NOW)
    assert model.assess(Kind.RETURN, 6000, facts, NOW).hold_reason == "partial"


def test_nothing_can_be_returned_or_exchanged_before_it_ships() -> None:
    for kind in (Kind.RETURN, Kind.EXCHANGE):
        with pytest.raises(Conflict) as err:
            model.assess(kind, None, paid(), NOW)
        assert err.value.code == "not_shipped"


def test_an_exchange_pays_nothing_and_goes_to_a_person() -> None:
    facts = paid(shipping="delivered", since=NOW)
    verdict = model.assess(Kind.EXCHANGE, None, facts, NOW)
    assert (verdict.status, verdict.amount_fen, verdict.hold_reason) == (
        Status.PENDING_REVIEW, 0, "exchange")
    with pytest.raises(Invalid) as err:
        model.assess(Kind.EXCHANGE, 500, facts, NOW)
    assert err.value.code == "exchange_has_no_amount"


def test_decisions_move_a_case_only_forward() -> None:
    assert model.approve(Kind.REFUND_ONLY, "review").refund_now
    assert model.approve(Kind.RETURN, "review").stage == Stage.AWAITING_RETURN
    assert model.reject("review").status == Status.REJECTED
    assert model.receive(Kind.RETURN, "awaiting_return").refund_now
    exchange = model.receive(Kind.EXCHANGE, "awaiting_return")
    assert (exchange.stage, exchange.refund_now) == (Stage.REPLACEMENT_CREATED, False)
    for move in (lambda: model.approve(Kind.RETURN, "awaiting_return"),
                 lambda: model.reject("refunded"),
                 lambda: model.receive(Kind.RETURN, "review")):
        with pytest.raises(Conflict) as err:
            move()
        assert err.value.code == "invalid_aftersales_state"


def test_the_clock_shows_the_next_deadline_until_the_case_is_done() -> None:
    first, done = timedelta(hours=2), timedelta(hours=48)
    fresh = model.sla_clock(NOW, None, None, first, done)
    assert (fresh.which, fresh.left(NOW + timedelta(minutes=40))) == (
        "first_response", timedelta(hours=1, minutes=20))
    answered = model.sla_clock(NOW, NOW, None, first, done)
    assert (answered.which, answered.deadline) == ("completion", NOW + done)
    assert model.sla_clock(NOW, NOW, NOW, first, done).deadline is None
    assert model.clock_text(timedelta(hours=1, minutes=20, seconds=5)) == (1, 20, False)
    assert model.clock_text(timedelta(minutes=-95)) == (1, 35, True)


def test_the_order_short_number_is_its_ids_tail() -> None:
    assert model.short_number("01jabcdefghjkmnpqrstvwxyz9") == "STVWXYZ9"
