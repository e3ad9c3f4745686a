from __future__ import annotations

import pytest

from liveroom.comments.itemref import extract_item_ref, is_bare_purchase_number
from liveroom.comments.sentiment import decide


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("2号", "2"),
        ("2号要了", "2"),
        ("要粉色M码", "粉色M码"),
        ("拍了黑色XL", "黑色XL"),
        ("来一件白色均码", "白色均码"),
        ("link 3 please", "3"),
        ("第3个", "3"),
        ("扣1", None),  # "扣1" means "I'm in", not item 1
        ("冲冲冲", None),
    ],
)
def test_item_reference_extraction(text: str, ref: str | None) -> None:
    assert extract_item_ref(text) == ref


@pytest.mark.parametrize(("text", "expected"), [("1", True), ("111", True), ("2", True),
                                                 ("666", False), ("88", False), ("1号", False)])
def test_bare_numbers_are_purchase_answers_but_cheers_are_not(text: str, expected: bool) -> None:
    assert is_bare_purchase_number(text) is expected


def _decide(**overrides: object) -> tuple[str, float]:
    args: dict[str, object] = {"pos": 0.0, "neg": 0.0, "intent": "chitchat", "question": False,
                               "risky": False, "language": "zh", "text": ""}
    args.update(overrides)
    return decide(**args)  # type: ignore[arg-type]


def test_praise_is_positive() -> None:
    assert _decide(pos=2.0)[0] == "pos"


def test_a_question_with_praise_words_is_neutral() -> None:
    # "好看吗" holds a positive word but asks
    assert _decide(pos=1.0, intent="product_question", question=True)[0] == "neu"


def test_complaints_and_risk_are_negative() -> None:
    assert _decide(intent="complaint")[0] == "neg"
    assert _decide(risky=True, pos=3.0)[0] == "neg"


def test_technical_problems_are_negative() -> None:
    assert _decide(intent="technical")[0] == "neg"


def test_english_uses_vader() -> None:
    assert _decide(language="en", text="I love this, amazing!")[0] == "pos"
    assert _decide(language="en", text="this is awful and I hate it")[0] == "neg"
    assert _decide(language="en", text="the dress is blue")[0] == "neu"
