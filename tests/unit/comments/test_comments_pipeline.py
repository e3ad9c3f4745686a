from __future__ import annotations

import pytest

from liveroom.comments.model import CommentAnalysis, FaqEntry
from liveroom.comments.pipeline import CommentAnalyzer
from liveroom.comments.risk import RiskLexicon


def test_analyze_returns_every_field(analyzer: CommentAnalyzer) -> None:
    # given a purchase comment with a spec
    # when analysed
    result = analyzer.analyze("要粉色M码")
    # then intent, purchase flag and item are filled in
    assert isinstance(result, CommentAnalysis)
    assert result.intent == "purchase_intent"
    assert result.purchase_intent is True
    assert result.item_ref == "粉色M码"
    assert result.language == "zh"
    assert result.sensitive is False
    assert 0.0 <= result.confidence <= 1.0


def test_batch_keeps_order_and_duplicates(analyzer: CommentAnalyzer) -> None:
    texts = ["扣1", "多少钱", "扣1", "卡了"]
    intents = [a.intent for a in analyzer.analyze_batch(texts)]
    assert intents == ["purchase_intent", "price_question", "purchase_intent", "technical"]


def test_doubt_is_a_sensitive_product_question(analyzer: CommentAnalyzer) -> None:
    # issue 14: a hedged authenticity doubt is flagged, but stays a neutral question
    result = analyzer.analyze("不是假货吧？正品吗")
    assert (result.intent, result.sensitive, result.sentiment) == (
        "product_question", True, "neu")
    assert result.risk_terms == ["doubt:假货吧"]


@pytest.mark.parametrize("text", ["是正品吗", "有防伪码吗", "is it authentic?"])
def test_neutral_authenticity_question_is_not_sensitive(
    analyzer: CommentAnalyzer, text: str
) -> None:
    assert analyzer.analyze(text).sensitive is False


@pytest.mark.parametrize(
    "text", ["主播你个废物", "客服是智障吗", "神经病吧 乱改价", "sjb", "you idiot"]
)
def test_insult_is_a_sensitive_negative_complaint(analyzer: CommentAnalyzer, text: str) -> None:
    result = analyzer.analyze(text)
    assert (result.intent, result.sensitive, result.sentiment) == ("complaint", True, "neg")


def test_plain_price_complaint_is_not_sensitive(analyzer: CommentAnalyzer) -> None:
    result = analyzer.analyze("太贵了 感觉被割韭菜了")
    assert (result.intent, result.sensitive) == ("complaint", False)


def test_risky_comment_is_a_negative_complaint(analyzer: CommentAnalyzer) -> None:
    result = analyzer.analyze("卖假货的骗子 我要投诉")
    assert result.intent == "complaint"
    assert result.sensitive is True
    assert "投诉" in result.risk_terms
    assert result.sentiment == "neg"


def test_model_handles_what_rules_are_unsure_about(analyzer: CommentAnalyzer) -> None:
    result = analyzer.analyze("今天外面下雨了")
    assert result.intent == "chitchat"
    assert result.source == "model"


def test_emoji_only_comment_is_chitchat(analyzer: CommentAnalyzer) -> None:
    assert analyzer.analyze("😍😍😍").intent == "chitchat"


def test_advert_is_spam_and_not_a_purchase(analyzer: CommentAnalyzer) -> None:
    result = analyzer.analyze("加微信领红包 vx123456")
    assert result.spam is True
    assert result.purchase_intent is False


def test_english_and_mixed_comments(analyzer: CommentAnalyzer) -> None:
    en, mixed = analyzer.analyze_batch(["when will it ship?", "这个price多少"])
    assert (en.intent, en.language) == ("logistics_question", "en")
    assert (mixed.intent, mixed.language) == ("price_question", "mixed")


def test_faq_only_answers_questions(tmp_path) -> None:  # noqa: ANN001
    # given an FAQ about shipping
    faq = [FaqEntry("ship", "什么时候发货", "48小时内发货")]
    analyzer = CommentAnalyzer(faq=faq, use_encoder=False, model_dir=tmp_path)
    # when a question and a statement mention shipping
    question, statement = analyzer.analyze_batch(["什么时候发货呀", "已拍 发货快点"])
    # then only the question gets the FAQ answer
    assert (question.faq_id, question.reply) == ("ship", "48小时内发货")
    assert statement.faq_id is None


def test_set_faq_and_risk_edits_invalidate_cached_results(tmp_path) -> None:  # noqa: ANN001
    risk = RiskLexicon()
    analyzer = CommentAnalyzer(risk_terms=risk, use_encoder=False, model_dir=tmp_path)
    assert analyzer.analyze("什么时候发货").faq_id is None
    assert analyzer.analyze("纯纯割麦子").sensitive is False
    analyzer.set_faq([FaqEntry("ship", "什么时候发货", "48小时内发货")])
    risk.add("割麦子")
    assert analyzer.analyze("什么时候发货").faq_id == "ship"
    assert analyzer.analyze("纯纯割麦子").sensitive is True


@pytest.mark.parametrize("text", ["加我微信 低价代购", "加我v 领内部券", "加我vx拿货价"])
def test_add_me_on_wechat_adverts_are_spam_not_purchases(analyzer: CommentAnalyzer,
                                                         text: str) -> None:
    # given the most common advert form, with 我 between 加 and the app
    # when analysed
    result = analyzer.analyze(text)
    # then it is spam, labelled chitchat, never a purchase
    assert result.spam is True and result.intent == "chitchat"
    assert result.purchase_intent is False
