"""Quality of comment intelligence on the held-out sets.

    .venv/bin/python bench/comments_quality.py [--faq-set eval|dev] [--no-encoder] [--errors]

Intent macro-F1, sensitive precision/recall, sentiment accuracy on data/eval.jsonl;
FAQ top-1 and no-match precision on data/faq_eval.json (faq_dev.json tuned the threshold).
"""

from __future__ import annotations

import argparse
import json
import time
from importlib import resources

from sklearn.metrics import classification_report, f1_score

from liveroom.comments.model import INTENTS, FaqEntry
from liveroom.comments.pipeline import CommentAnalyzer


def _data(name: str) -> str:
    return resources.files("liveroom.comments").joinpath(f"data/{name}").read_text("utf-8")


def comment_quality(analyzer: CommentAnalyzer, show_errors: bool) -> dict[str, float]:
    rows = [json.loads(line) for line in _data("eval.jsonl").splitlines() if line.strip()]
    results = analyzer.analyze_batch([r["text"] for r in rows])
    gold = [r["intent"] for r in rows]
    pred = [a.intent for a in results]
    print(classification_report(gold, pred, labels=list(INTENTS), digits=3, zero_division=0))
    tp = sum(r["sensitive"] and a.sensitive for r, a in zip(rows, results, strict=True))
    fp = sum((not r["sensitive"]) and a.sensitive for r, a in zip(rows, results, strict=True))
    fn = sum(r["sensitive"] and not a.sensitive for r, a in zip(rows, results, strict=True))
    sentiment_ok = sum(r["sentiment"] == a.sentiment for r, a in zip(rows, results, strict=True))
    if show_errors:
        for r, a in zip(rows, results, strict=True):
            marks = []
            if r["intent"] != a.intent:
                marks.append(f"intent {r['intent']}->{a.intent}({a.source})")
            if r["sensitive"] != a.sensitive:
                marks.append(f"sensitive {r['sensitive']}->{a.sensitive}")
            if r["sentiment"] != a.sentiment:
                marks.append(f"sentiment {r['sentiment']}->{a.sentiment}")
            if marks:
                print(f"  {r['text']!r}: {'; '.join(marks)}")
    return {
        "comments": len(rows),
        "intent_macro_f1": f1_score(gold, pred, labels=list(INTENTS), average="macro"),
        "sensitive_precision": tp / (tp + fp) if tp + fp else 0.0,
        "sensitive_recall": tp / (tp + fn) if tp + fn else 0.0,
        "sentiment_accuracy": sentiment_ok / len(rows),
    }


def faq_quality(analyzer: CommentAnalyzer, name: str, show_errors: bool) -> dict[str, float]:
    spec = json.loads(_data(name))
    analyzer.set_faq([FaqEntry(**e) for e in spec["faq"]])
    queries = spec["queries"]
    results = analyzer.analyze_batch([q["text"] for q in queries])
    answerable = [(q, a) for q, a in zip(queries, results, strict=True) if q["faq_id"]]
    said_none = [(q, a) for q, a in zip(queries, results, strict=True) if a.faq_id is None]
    if show_errors:
        for q, a in zip(queries, results, strict=True):
            if q["faq_id"] != a.faq_id:
                print(f"  faq {q['text']!r}: {q['faq_id']} -> {a.faq_id} ({a.intent})")
    return {
        "faq_queries": len(queries),
        "faq_top1": sum(q["faq_id"] == a.faq_id for q, a in answerable) / len(answerable),
        "faq_no_match_precision": (
            sum(q["faq_id"] is None for q, _ in said_none) / len(said_none) if said_none else 0.0
        ),
        "faq_no_match_recall": sum(a.faq_id is None for q, a in zip(queries, results, strict=True)
                                   if q["faq_id"] is None)
        / max(1, sum(q["faq_id"] is None for q in queries)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faq-set", choices=["eval", "dev"], default="eval")
    parser.add_argument("--no-encoder", action="store_true")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    analyzer = CommentAnalyzer(use_encoder=not args.no_encoder)
    metrics = comment_quality(analyzer, args.errors)
    metrics |= faq_quality(analyzer, f"faq_{args.faq_set}.json", args.errors)
    for key, value in metrics.items():
        print(f"{key:26s} {value:.3f}" if isinstance(value, float) else f"{key:26s} {value}")
    print(f"{'seconds':26s} {time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
