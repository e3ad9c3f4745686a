from __future__ import annotations

import pytest

from liveroom.comments.model import INTENTS
from liveroom.comments.normalize import detect_language, normalize, normalize_many
from liveroom.comments.rules import FastClassifier


def _intents(texts: list[str]) -> list[str]:
    scores = FastClassifier().score(normalize_many(texts))
    return [INTENTS[i] for i in scores.intent]


def test_fullwidth_and_cjk_punctuation_are_normalised() -> None:
    # given a comment typed with a full-width input method
    text = "ＨＯＷ　ＭＵＣＨ？"
    # when normalised
    result = normalize(text)
    # then it is plain lower-case ASCII
    assert result == "how much?"


def test_batch_normalisation_matches_single() -> None:
    texts = ["多少钱？", "ＯＫ", "a\x01b"]
    assert normalize_many(texts) == [normalize("多少钱？"), "ok", "a b"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这个多少钱呀", "price_question"),
        ("什么时候发货？", "logistics_question"),
        ("尺码偏大吗", "product_question"),
        ("退货怎么退", "aftersales"),
        ("扣1", "purchase_intent"),
        ("2号拍了", "purchase_intent"),
        ("已上车", "purchase_intent"),
        ("卖假货的骗子", "complaint"),
        ("卡了卡了", "technical"),
        ("付不了款", "technical"),
        ("主播好美", "chitchat"),
        ("how much is this", "price_question"),
        ("payment failed", "technical"),
        ("包油吗", "logistics_question"),  # common typo of 包邮
        ("优惠卷肿么领", "price_question"),  # 卷/券 and 肿么/怎么 typos
    ],
)
def test_fast_rules_label_canonical_live_comments(text: str, expected: str) -> None:
    assert _intents([text]) == [expected]


def test_negated_form_wins_over_its_substring() -> None:
    # given "付不了款" (cannot pay) which contains no "付款了" (paid)
    # when classified
    # then it is a technical problem, not a purchase
    assert _intents(["付不了款怎么回事"]) == ["technical"]


def test_short_english_words_need_word_boundaries() -> None:
    # "hi" must not fire inside "this" or "ship"
    scores = FastClassifier().score(normalize_many(["this ship"]))
    assert INTENTS[scores.intent[0]] != "chitchat" or scores.features[0].max() == 0


def test_a_question_turns_down_purchase_words() -> None:
    assert _intents(["2号还有吗"]) == ["product_question"]


def test_rules_report_when_they_are_unsure() -> None:
    scores = FastClassifier().score(normalize_many(["扣1", "今天外面下雨了"]))
    assert scores.sure.tolist() == [True, False]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("多少钱", "zh"),
        ("how much", "en"),
        ("这个price多少", "mixed"),
        ("yyds主播", "zh"),
        ("1", "zh"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(normalize(text)) == language
