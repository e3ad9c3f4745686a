"""Issue 14, FAQ that generalises: answers read sentence by sentence, generic shopping
synonyms (tracking numbers, pinyin payment names, load, box contents) and neighbours."""

from __future__ import annotations

import pytest

from liveroom.comments.encoder import SentenceEncoder
from liveroom.comments.faq import FaqMatcher, MatchParams, answer_sentences
from liveroom.comments.model import FaqEntry
from liveroom.comments.normalize import normalize

KIT = [
    FaqEntry("track", "快递单号怎么查？", "发货后在订单详情页能看到物流信息。"),
    FaqEntry("courier", "发什么快递？", "默认韵达，可补差价发顺丰。"),
    FaqEntry("pay", "怎么付款？", "支持支付宝、花呗和信用卡。"),
    FaqEntry("table", "桌子结实吗？", "钢管桌腿，承重80公斤。"),
    FaqEntry("kit", "包装里有什么？", "桌板一块、桌腿四根、螺丝包和说明书。"),
    FaqEntry(
        "flask",
        "保温杯怎么样？",
        "杯身316不锈钢，保温12小时。容量500毫升，放得进车载杯架。杯盖可拆洗，配一个替换密封圈。",
    ),
]


def test_an_answer_is_split_into_sentences_and_long_clauses() -> None:
    sentences = answer_sentences(normalize("全国包邮，新疆西藏每单补运费15元。支持7.5折。"))
    assert sentences == ("全国包邮", "新疆西藏每单补运费15元", "支持7.5折")


@pytest.mark.parametrize(
    ("text", "faq_id"),
    [
        ("运单号在哪看", "track"),  # 运单号 = 快递单号 = tracking
        ("huabei ok?", "pay"),  # pinyin of 花呗
        ("会不会坐塌", "table"),  # load, said only in the answer
        ("what comes in the box", "kit"),
    ],
)
def test_generic_shopping_synonyms_match_without_the_encoder(text: str, faq_id: str) -> None:
    assert FaqMatcher(KIT, encoder=SentenceEncoder(enabled=False)).match(text).faq_id == faq_id


def test_a_topic_the_entry_never_mentions_lowers_its_score() -> None:
    # "丢件" (a parcel problem) is answered neither by the question nor by the answer of
    # "发什么快递", which only shares "快递" with it
    lexical = SentenceEncoder(enabled=False)
    lenient = FaqMatcher(KIT, encoder=lexical, params=MatchParams(topic_uncovered=1.0))
    matcher = FaqMatcher(KIT, encoder=lexical)
    lost = "快递丢件了怎么办"
    assert matcher.match(lost).confidence < lenient.match(lost).confidence
    assert matcher.match("发啥快递").confidence == lenient.match("发啥快递").confidence


def test_one_sentence_of_a_long_answer_answers_a_short_question() -> None:
    # the spare seal is one clause of four; the whole answer's embedding dilutes it
    # (without the uncovered-topic factor: "坏了" is a warranty topic the entry lacks)
    matcher = FaqMatcher(KIT, encoder=SentenceEncoder(), params=MatchParams(topic_uncovered=1.0))
    assert matcher.match("密封圈坏了有备用的吗").faq_id == "flask"
