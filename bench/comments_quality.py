"""Quality of comment intelligence on the held-out sets.

    .venv/bin/python bench/comments_quality.py [--faq-set eval|dev] [--no-encoder] [--errors]
    .venv/bin/python bench/comments_quality.py --holdout bench/data/holdout

``--holdout DIR`` scores a set written apart from this project (``intent.jsonl`` with
{text, intent, sensitive, sentiment}; ``faq.json`` with {faq: [{id, question, answer}],
queries: [{text, faq_id|null}]}) next to the dev sets (eval.jsonl, faq_dev.json) and prints
one table. Its errors are never printed: nothing may be tuned on it.

Intent macro-F1, sensitive precision/recall, sentiment accuracy on data/eval.jsonl;
FAQ top-1 and no-match precision on data/faq_eval.json (faq_dev.json tuned the threshold).
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from importlib import resources
from pathlib import Path

from sklearn.metrics import classification_report, f1_score

from liveroom.comments.model import INTENTS, FaqEntry
from liveroom.comments.pipeline import CommentAnalyzer


def _data(name: str | Path) -> str:
    """A packaged data file by name, or any file by path (a hold-out set)."""
    if isinstance(name, Path):
        return name.read_text("utf-8")
    return resources.files("liveroom.comments").joinpath(f"data/{name}").read_text("utf-8")


def comment_quality(
    analyzer: CommentAnalyzer, show_errors: bool, name: str | Path = "eval.jsonl"
) -> dict[str, float]:
    rows = [json.loads(line) for line in _data(name).splitlines() if line.strip()]
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


def faq_rooms(name: str | Path) -> list[tuple[str, list[FaqEntry], list[dict]]]:
    """(room, FAQ, queries) of a set; faq_dev.json holds several rooms, faq_eval.json one."""
    spec = json.loads(_data(name))
    rooms = [("default", [FaqEntry(**e) for e in spec["faq"]], spec["queries"])]
    for room in spec.get("rooms", []):
        rooms.append((room["name"], [FaqEntry(**e) for e in room["faq"]], room["queries"]))
    return rooms


def faq_metrics(pairs: list[tuple[dict, str | None]]) -> dict[str, float]:
    """pairs: (query with its gold faq_id, predicted faq_id)."""
    answerable = [(q, p) for q, p in pairs if q["faq_id"]]
    said_none = [(q, p) for q, p in pairs if p is None]
    negatives = [(q, p) for q, p in pairs if q["faq_id"] is None]
    return {
        "faq_queries": len(pairs),
        "faq_top1": sum(q["faq_id"] == p for q, p in answerable) / max(1, len(answerable)),
        "faq_no_match_precision": (
            sum(q["faq_id"] is None for q, _ in said_none) / len(said_none) if said_none else 0.0
        ),
        "faq_no_match_recall": sum(p is None for _, p in negatives) / max(1, len(negatives)),
    }


def faq_quality(
    analyzer: CommentAnalyzer, name: str | Path, show_errors: bool
) -> dict[str, float]:
    pairs: list[tuple[dict, str | None]] = []
    for room, entries, queries in faq_rooms(name):
        analyzer.set_faq(entries)
        results = analyzer.analyze_batch([q["text"] for q in queries])
        for q, a in zip(queries, results, strict=True):
            pairs.append((q, a.faq_id))
            if show_errors and q["faq_id"] != a.faq_id:
                print(f"  faq[{room}] {q['text']!r}: {q['faq_id']} -> {a.faq_id} ({a.intent})")
    return faq_metrics(pairs)


# Written for issue 14 before the sentence-split/synonym change; a dev set (tuned on).
FAQ_DEV4 = Path(__file__).parent / "data" / "faq_dev4" / "faq.json"


def calibrate(analyzer: CommentAnalyzer, target_precision: float, min_recall: float) -> None:
    """Grid search of the FAQ blend/threshold/margin on the dev sets only (faq_dev.json and
    faq_dev4); prints the best:
    the highest top-1 among the settings whose no-match precision reaches the target (a
    "no match" should mostly mean the FAQ really has no answer), ties broken by how clearly
    decisions clear their boundary."""
    import itertools
    from dataclasses import replace

    import numpy as np

    from liveroom.comments.faq import DEFAULT_PARAMS, combine

    staged = []  # (room queries, components, matcher)
    dev_rooms = faq_rooms("faq_dev.json") + faq_rooms(FAQ_DEV4)
    for _, entries, queries in dev_rooms:
        analyzer.set_faq(entries)
        normalized, intents, asked, strict = analyzer.faq_inputs([q["text"] for q in queries])
        parts = analyzer._faq.components(normalized, intents, strict)
        staged.append((queries, parts, copy.copy(analyzer._faq), asked))  # keeps its entries
    # Weights sum to 1 (the concept weight is the rest) so that scores stay comparable.
    grid = itertools.product(
        [0.25, 0.3, 0.4, 0.5, 0.55], [0.1, 0.15, 0.2],
        [0.20, 0.22, 0.24, 0.28, 0.32, 0.36, 0.40], [0.0, 0.03, 0.06], [0.8, 0.9, 1.0],
        [0.7, 0.85, 1.0], [0.6, 0.7, 0.8, 0.9, 1.0],
    )
    results = []
    for w_sem, w_lex, threshold, margin, mismatch, conflict, answer in grid:
        w_con = round(1.0 - w_sem - w_lex, 3)
        params = replace(
            DEFAULT_PARAMS, w_semantic=w_sem, w_lexical=w_lex, w_concept=w_con,
            threshold=threshold, margin=margin, intent_mismatch=mismatch,
            topic_conflict=conflict, answer_weight=answer,
        )
        pairs = []
        separation = []  # tie-breaker: how clearly each decision clears its boundary
        for queries, parts, matcher, asked in staged:
            scores = combine(parts, params)
            ids = [e.id for e in matcher.entries]
            for row, (q, m, ask) in enumerate(
                zip(queries, matcher.decide(parts, params), asked, strict=True)
            ):
                pairs.append((q, m.faq_id if ask else None))
                if not ask:
                    continue
                if q["faq_id"] is None:
                    gap = params.threshold - scores[row].max()
                else:
                    col = ids.index(q["faq_id"])
                    others = np.delete(scores[row], col)
                    rival = max(params.threshold, others.max() if len(others) else 0.0)
                    gap = scores[row, col] - rival
                separation.append(min(max(float(gap), -0.2), 0.1))
        metrics = faq_metrics(pairs)
        reached = (
            metrics["faq_no_match_precision"] >= target_precision
            and metrics["faq_no_match_recall"] >= min_recall
        )
        objective = metrics["faq_top1"] + (1.0 if reached else 0.0)
        results.append((round(objective, 6), float(np.mean(separation)), metrics, params))
    results.sort(key=lambda r: (-r[0], -r[1]))
    for objective, sep, metrics, params in results[:8]:
        print(f"{objective:.3f} sep={sep:.4f} {metrics} {params}")


GOALS = {  # issue 14
    "intent_macro_f1": "≥ 0.88", "sensitive_recall": "≥ 0.95", "sensitive_precision": "≥ 0.90",
    "sentiment_accuracy": "≥ 0.80", "faq_top1": "≥ 0.85", "faq_no_match_precision": "≥ 0.80",
}


def holdout_table(analyzer: CommentAnalyzer, holdout: Path) -> None:
    """Dev sets (eval.jsonl + faq_dev.json) and the hold-out set side by side, as Markdown."""
    dev = comment_quality(analyzer, False) | faq_quality(analyzer, "faq_dev.json", False)
    held = comment_quality(analyzer, False, holdout / "intent.jsonl")
    held |= faq_quality(analyzer, holdout / "faq.json", False)
    print("| measure | ours-dev | ours-holdout | goal |\n|---|---|---|---|")
    for key, value in dev.items():
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in (value, held[key])]
        print(f"| {key} | {cells[0]} | {cells[1]} | {GOALS.get(key, '—')} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faq-set", choices=["eval", "dev"], default="eval")
    parser.add_argument("--intent-set", choices=["eval", "dev", "check", "dev2", "dev3"],
                        default="eval",
                        help="eval.jsonl (reported), intent_dev.jsonl (tuning), "
                        "intent_check.jsonl (written after the v2 changes, never tuned on) or "
                        "intent_dev2.jsonl (issue 14 second pass: every sensitive kind) or "
                        "intent_dev3.jsonl (fourth pass: written before its tuning)")
    parser.add_argument("--no-encoder", action="store_true")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--calibrate", action="store_true", help="grid-search FAQ params on dev")
    parser.add_argument("--target-precision", type=float, default=0.88,
                        help="--calibrate: no-match precision the FAQ must reach on dev")
    parser.add_argument("--faq-file", type=Path, metavar="JSON",
                        help="score only this FAQ file (e.g. bench/data/faq_dev4/faq.json)")
    parser.add_argument("--min-recall", type=float, default=0.0,
                        help="--calibrate: no-match recall it must keep (wrong neighbours)")
    parser.add_argument("--holdout", type=Path, metavar="DIR",
                        help="also score DIR/intent.jsonl and DIR/faq.json (never tuned on)")
    args = parser.parse_args()
    started = time.perf_counter()
    analyzer = CommentAnalyzer(use_encoder=not args.no_encoder)
    if args.calibrate:
        calibrate(analyzer, args.target_precision, args.min_recall)
        return
    if args.faq_file:
        for key, value in faq_quality(analyzer, args.faq_file, args.errors).items():
            print(f"{key:26s} {value:.3f}" if isinstance(value, float) else f"{key:26s} {value}")
        return
    if args.holdout:
        holdout_table(analyzer, args.holdout)
        print(f"{'seconds':26s} {time.perf_counter() - started:.1f}")
        return
    intent_file = {
        "eval": "eval.jsonl", "dev": "intent_dev.jsonl", "check": "intent_check.jsonl",
        "dev2": "intent_dev2.jsonl", "dev3": "intent_dev3.jsonl",
    }[args.intent_set]
    metrics = comment_quality(analyzer, args.errors, intent_file)
    metrics |= faq_quality(analyzer, f"faq_{args.faq_set}.json", args.errors)
    for key, value in metrics.items():
        print(f"{key:26s} {value:.3f}" if isinstance(value, float) else f"{key:26s} {value}")
    print(f"{'seconds':26s} {time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
