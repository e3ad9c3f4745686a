from __future__ import annotations

from datetime import timedelta

import pytest

from liveroom.comments.lottery import CommitmentMismatch, KeywordLottery, commit, draw_winners
from liveroom.comments.model import CommentAnalysis
from liveroom.comments.queue import InvalidTransition, QuestionQueue, answer, assign, dismiss


def _question(intent: str, faq_id: str | None = None) -> CommentAnalysis:
    return CommentAnalysis(intent=intent, sensitive=False, faq_id=faq_id)  # type: ignore[arg-type]


def test_same_question_from_many_viewers_is_one_card(make_comment) -> None:
    # given 200 viewers asking the shipping question, typed a little differently
    queue = QuestionQueue()
    variants = ["什么时候发货", "什么时候发货？", "主播什么时候发货呀", "什么时候发货呢"]
    for i in range(200):
        comment = make_comment(variants[i % 4], buyer=f"b{i}", seconds=i)
        queue.add(comment, _question("logistics_question"))
    # when the host looks at the queue
    cards = queue.open_cards()
    # then there is one card counting 200 askers with a few samples
    assert len(cards) == 1
    assert cards[0].count == 200
    assert 1 < len(cards[0].samples) <= 5
    assert len(cards[0].comment_ids) == 200


def test_repeats_by_one_buyer_do_not_inflate_the_count(make_comment) -> None:
    queue = QuestionQueue()
    for i in range(5):
        queue.add(make_comment("多少钱", buyer="same", seconds=i), _question("price_question"))
    assert queue.open_cards()[0].count == 1


def test_faq_answered_and_non_questions_stay_out(make_comment) -> None:
    queue = QuestionQueue()
    assert queue.add(make_comment("扣1"), _question("purchase_intent")) is None
    assert queue.add(make_comment("几天发货"), _question("logistics_question", "ship")) is None
    assert queue.open_cards() == []


def test_priority_payment_then_technical_aftersales_price_product_logistics(make_comment) -> None:
    # given one of each kind, the logistics one asked by many
    queue = QuestionQueue()
    asks = [
        ("几天到", "logistics_question"),
        ("面料是什么", "product_question"),
        ("有优惠券吗", "price_question"),
        ("怎么退货", "aftersales"),
        ("画面卡了", "technical"),
        ("付不了款", "technical"),
    ]
    for n, (text, intent) in enumerate(asks):
        queue.add(make_comment(text, buyer=f"b{n}"), _question(intent))
    for i in range(50):
        queue.add(make_comment("几天到", buyer=f"x{i}"), _question("logistics_question"))
    # when sorted
    order = [c.samples[0] for c in queue.open_cards()]
    # then urgency beats volume
    assert order == ["付不了款", "画面卡了", "怎么退货", "有优惠券吗", "面料是什么", "几天到"]


def test_count_then_buyer_value_break_ties(make_comment) -> None:
    queue = QuestionQueue()
    queue.add(make_comment("面料是什么", buyer="a"), _question("product_question"), 10.0)
    queue.add(make_comment("能机洗吗", buyer="b"), _question("product_question"), 500.0)
    queue.add(make_comment("有几个颜色", buyer="c"), _question("product_question"))
    queue.add(make_comment("有几个颜色", buyer="d"), _question("product_question"))
    assert [c.samples[0] for c in queue.open_cards()] == ["有几个颜色", "能机洗吗", "面料是什么"]


def test_card_transitions_are_pure(make_comment) -> None:
    queue = QuestionQueue()
    card = queue.add(make_comment("能退吗"), _question("aftersales"))
    assert card is not None
    # when assigned then answered
    assigned = assign(card, "客服小王")
    done = answer(assigned, "支持七天无理由")
    # then the original is untouched and each step is a new value
    assert card.status == "open"
    assert (assigned.status, assigned.assignee) == ("assigned", "客服小王")
    assert (done.status, done.answer) == ("answered", "支持七天无理由")
    with pytest.raises(InvalidTransition):
        dismiss(done)
    with pytest.raises(InvalidTransition):
        assign(done, "someone")


def test_queue_operations_remove_cards_from_the_open_list(make_comment) -> None:
    queue = QuestionQueue()
    a = queue.add(make_comment("能退吗", buyer="a"), _question("aftersales"))
    b = queue.add(make_comment("多少钱", buyer="b"), _question("price_question"))
    assert a is not None and b is not None
    queue.answer(a.id, "可以")
    queue.dismiss(b.id)
    assert queue.open_cards() == []
    # and a new ask of an answered question opens a fresh card
    again = queue.add(make_comment("能退吗", buyer="c"), _question("aftersales"))
    assert again is not None and again.id != a.id


def test_lottery_entrants_one_per_buyer_inside_the_window(make_comment, t0) -> None:
    # given comments before, inside and after the window, one buyer typing twice
    seed = "s3cr3t-seed"
    lottery = KeywordLottery("主播最美", t0, t0 + timedelta(seconds=60), commit(seed), 2)
    comments = [
        make_comment("主播最美", buyer="early", seconds=-1),
        make_comment("主播 最美！", buyer="a", seconds=1),
        make_comment("主播最美", buyer="a", seconds=2),
        make_comment("主播最美呀", buyer="b", seconds=3),
        make_comment("别的话", buyer="c", seconds=4),
        make_comment("ＺＢ主播最美", buyer="d", seconds=5),
        make_comment("主播最美", buyer="late", seconds=61),
    ]
    # when entrants are collected
    entrants = lottery.entrants(comments)
    # then each eligible buyer appears once, sorted
    assert entrants == ["a", "b", "d"]


def test_lottery_draw_is_reproducible_and_order_independent() -> None:
    entrants = [f"buyer{i}" for i in range(1000)]
    first = draw_winners("seed-1", entrants, 3)
    assert first == draw_winners("seed-1", list(reversed(entrants)), 3)
    assert first != draw_winners("seed-2", entrants, 3)
    assert len(set(first)) == 3


def test_lottery_rejects_a_seed_that_does_not_match_the_commitment(t0) -> None:
    lottery = KeywordLottery("口令", t0, t0 + timedelta(minutes=1), commit("real-seed"))
    assert lottery.draw("real-seed", ["a", "b"]) in (["a"], ["b"])
    with pytest.raises(CommitmentMismatch):
        lottery.draw("other-seed", ["a", "b"])
