"""The vectorised fast path: batch results equal one-by-one results, the model featuriser,
normalisation, English sentiment, and the slang/emoji/English rules added with it."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from liveroom.comments.learned import IntentModel, LabelledComment, LinearNgramModel, ngram_keys
from liveroom.comments.normalize import normalize, normalize_many
from liveroom.comments.pipeline import CommentAnalyzer
from liveroom.comments.sentiment import decide, decide_many, english_compound

MIXED_BATCH = [
    "扣1", "2222", "5555", "666", "多少钱", "包邮不", "拍三件有折扣没", "🤣🤣🤣", "已拍 求快发",
    "count me in", "never buying from this shop again", "the app crashed", "this is a scam",
    "卖假货的骗子", "不是假货吧？正品吗", "要粉色M码", "ＸＬ码还有吗？", "加微信领红包 vx123456",
    "I love this, amazing!", "这个price多少", "", "   ", "主播好美😍",
]


def test_batch_and_single_analysis_agree(analyzer: CommentAnalyzer) -> None:
    # given a batch that exercises every vectorised branch
    batch = analyzer.analyze_batch(MIXED_BATCH)
    # when each comment is analysed alone (fresh cache)
    analyzer._cache = {}
    singles = [analyzer.analyze(t) for t in MIXED_BATCH]
    # then the results are identical field by field
    assert batch == singles


def test_gc_is_back_on_after_a_batch(analyzer: CommentAnalyzer) -> None:
    assert gc.isenabled()
    analyzer.analyze_batch([f"comment {i}" for i in range(500)])
    assert gc.isenabled()


def test_gc_stays_off_if_the_caller_turned_it_off(analyzer: CommentAnalyzer) -> None:
    gc.disable()
    try:
        analyzer.analyze_batch([f"other comment {i}" for i in range(500)])
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("2222", "purchase_intent"),  # answer to "扣2"
        ("包邮不", "logistics_question"),  # sentence-final 不 asks
        ("拍三件有折扣没", "price_question"),  # sentence-final 没 asks
        ("🤣🤣🤣", "chitchat"),
        ("💪💪", "chitchat"),
        ("count me in", "purchase_intent"),
        ("买它买它", "purchase_intent"),
        ("never buying from this shop again", "complaint"),
        ("the app crashed", "technical"),
        ("greetings from Oslo", "chitchat"),
        ("does it come with a case", "product_question"),
        ("the zipper broke, can I get a replacement", "aftersales"),
        ("能放快递柜吗", "logistics_question"),
        ("这个垫子软不软", "product_question"),  # A-not-A question, no particle
    ],
)
def test_slang_emoji_and_english(analyzer: CommentAnalyzer, text: str, intent: str) -> None:
    assert analyzer.analyze(text).intent == intent


@pytest.mark.parametrize("cheer", ["5555", "666", "888", "999", "520"])
def test_cheer_numbers_are_not_purchases(analyzer: CommentAnalyzer, cheer: str) -> None:
    assert analyzer.analyze(cheer).purchase_intent is False


def test_normalize_many_equals_normalize_per_text() -> None:
    texts = ["ＡＢＣ　１２３！", "ÉCOLE Straße", "多少钱？【包邮】", "😀Ｈｉ…", "", "tab\there"]
    texts.append("a\x00b")
    assert normalize_many(texts) == [normalize(t) for t in texts]


def test_ngram_keys_are_the_char_1_to_3_grams_of_the_padded_text() -> None:
    rows, keys = ngram_keys(["ab", "c"])
    base = 0x110000

    def key(gram: str) -> int:
        value = 0
        for ch in gram:
            value = value * base + ord(ch)
        return value

    expected_ab = {key(g) for g in ["a", "b", " a", "ab", "b ", " ab", "ab "]}
    expected_c = {key(g) for g in ["c", " c", "c ", " c "]}
    assert set(keys[rows == 0].tolist()) == expected_ab
    assert set(keys[rows == 1].tolist()) == expected_c


def test_model_probabilities_and_abstention(tmp_path) -> None:  # noqa: ANN001
    rows = [LabelledComment(t, "price_question") for t in ["多少钱", "什么价", "how much"]]
    rows += [LabelledComment(t, "chitchat") for t in ["晚上好", "主播好美", "hello"]]
    model = IntentModel(rows, model_dir=tmp_path)
    proba = model.predict_proba(normalize_many(["多少钱呀", "😶‍🌫️"]))
    assert proba.shape == (2, 8)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert proba[0].argmax() == 1  # price_question column
    np.testing.assert_allclose(proba[1], 1 / 8)  # nothing known: abstain
    # cached on disk and reloaded identically
    again = IntentModel(rows, model_dir=tmp_path).predict_proba(normalize_many(["多少钱呀"]))
    np.testing.assert_allclose(again[0], proba[0], rtol=1e-6)
    assert len(list(tmp_path.glob("intent-*.pkl"))) == 1


@pytest.mark.parametrize(
    "text",
    [
        "i love this, amazing!", "this is awful and i hate it", "the dress is blue",
        "not good at all", "not bad", "it's really very nice but too expensive",
        "worst stream ever!!!", "kinda cute", "i don't like the color", "great price",
    ],
)
def test_english_sentiment_agrees_with_vader(text: str) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    def label(score: float) -> str:
        return "pos" if score >= 0.2 else "neg" if score <= -0.2 else "neu"

    reference = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    assert label(english_compound(text)) == label(reference)


def test_vectorised_sentiment_equals_the_scalar_rule() -> None:
    cases = [
        dict(pos=2.0, neg=0.0, intent="chitchat", question=False, risky=False, language="zh",
             text=""),
        dict(pos=1.0, neg=0.0, intent="product_question", question=True, risky=False,
             language="zh", text=""),
        dict(pos=0.0, neg=0.0, intent="technical", question=False, risky=False, language="zh",
             text=""),
        dict(pos=0.0, neg=0.0, intent="chitchat", question=False, risky=False, language="en",
             text="so happy today"),
        dict(pos=0.0, neg=1.0, intent="chitchat", question=False, risky=False, language="mixed",
             text="这个 terrible"),
        dict(pos=3.0, neg=0.0, intent="purchase_intent", question=False, risky=True,
             language="zh", text=""),
    ]
    labels, scores = decide_many(
        pos=np.array([c["pos"] for c in cases]),
        neg=np.array([c["neg"] for c in cases]),
        complaint=np.array([c["risky"] or c["intent"] == "complaint" for c in cases]),
        technical=np.array([c["intent"] == "technical" for c in cases]),
        question=np.array([c["question"] for c in cases]),
        english=np.array(
            [english_compound(c["text"]) if c["language"] != "zh" else 0.0 for c in cases]
        ),
        has_english=np.array([c["language"] != "zh" for c in cases]),
        mixed=np.array([c["language"] == "mixed" for c in cases]),
    )
    for case, label, score in zip(cases, labels, scores, strict=True):
        assert decide(**case) == (label, pytest.approx(score))  # type: ignore[arg-type]
    assert labels == ["pos", "neu", "neg", "pos", "neg", "neg"]


def test_broken_unicode_and_odd_input_do_not_break_a_batch(analyzer: CommentAnalyzer) -> None:
    # a lone surrogate (from a badly escaped JSON string), control characters, a very long text
    odd = ["\ud83d好看", "a\x01b\x00c", "多少钱" * 2_000, "𠀋𠀋 多少钱", "\u200b\u200b"]
    results = analyzer.analyze_batch(odd)
    assert len(results) == len(odd)
    assert results[2].intent == "price_question"
    assert results[3].intent == "price_question"


def test_hash_lookup_finds_every_vocabulary_key_and_nothing_else() -> None:
    from liveroom.comments.learned import hash_table

    rng = np.random.default_rng(3)
    vocab = np.unique(rng.integers(0, 2**62, 5000))
    table = hash_table(vocab)
    assert len(table) >= 4 * len(vocab) and sorted(table[table >= 0].tolist()) == list(
        range(len(vocab)))
    model = LinearNgramModel(vocab, np.ones(len(vocab), np.float32),
                             np.zeros((len(vocab), 8), np.float32), np.zeros(8, np.float32))
    queries = np.concatenate([vocab, rng.integers(0, 2**62, 5000)])
    expected = np.searchsorted(vocab, queries)
    expected = np.where(vocab[np.minimum(expected, len(vocab) - 1)] == queries, expected, -1)
    assert (model.columns(queries) == expected).all()
