"""Intent / sensitive / sentiment on every *development* set at once (no FAQ, no encoder).

    PYTHONPATH=src .venv/bin/python bench/comments_devsets.py [--errors SET] [--by-class]

Sets: eval, dev, check, dev2, dev3 (packaged data/) and holdout1 (bench/data/holdout/, spent by
issue 14's first two passes and used as a development set since the third). Never pass a
set that is still held out: this script prints errors.
"""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path

from sklearn.metrics import f1_score

from liveroom.comments.model import INTENTS
from liveroom.comments.pipeline import CommentAnalyzer

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "eval": "eval.jsonl", "dev": "intent_dev.jsonl", "check": "intent_check.jsonl",
    "dev2": "intent_dev2.jsonl", "dev3": "intent_dev3.jsonl",
    "holdout1": ROOT / "bench/data/holdout/intent.jsonl",
}


def load(name: str) -> list[dict]:
    source = SETS[name]
    if isinstance(source, Path):
        raw = source.read_text("utf-8")
    else:
        raw = resources.files("liveroom.comments").joinpath(f"data/{source}").read_text("utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def score(analyzer: CommentAnalyzer, rows: list[dict]) -> dict[str, float]:
    results = analyzer.analyze_batch([r["text"] for r in rows])
    gold = [r["intent"] for r in rows]
    pred = [a.intent for a in results]
    tp = sum(r["sensitive"] and a.sensitive for r, a in zip(rows, results, strict=True))
    fp = sum(not r["sensitive"] and a.sensitive for r, a in zip(rows, results, strict=True))
    fn = sum(r["sensitive"] and not a.sensitive for r, a in zip(rows, results, strict=True))
    out = {
        "f1": f1_score(gold, pred, labels=list(INTENTS), average="macro"),
        "sens_p": tp / (tp + fp) if tp + fp else 0.0,
        "sens_r": tp / (tp + fn) if tp + fn else 0.0,
        "senti": sum(r["sentiment"] == a.sentiment for r, a in zip(rows, results, strict=True))
        / len(rows),
    }
    per_class = f1_score(gold, pred, labels=list(INTENTS), average=None)
    out.update({f"f1_{name[:5]}": float(v) for name, v in zip(INTENTS, per_class, strict=True)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", choices=list(SETS), action="append", default=[])
    parser.add_argument("--by-class", action="store_true")
    parser.add_argument("--only", choices=["intent", "sensitive", "sentiment"])
    args = parser.parse_args()
    analyzer = CommentAnalyzer(use_encoder=False)
    for name in SETS:
        rows = load(name)
        s = score(analyzer, rows)
        line = f"{name:9s} n={len(rows):4d} F1 {s['f1']:.3f}  sens P {s['sens_p']:.3f} " \
               f"R {s['sens_r']:.3f}  senti {s['senti']:.3f}"
        if args.by_class:
            line += "  | " + " ".join(f"{k[3:]} {v:.2f}" for k, v in s.items() if k[:3] == "f1_")
        print(line)
    for name in args.errors:
        rows = load(name)
        for r, a in zip(rows, analyzer.analyze_batch([r["text"] for r in rows]), strict=True):
            marks = []
            if r["intent"] != a.intent and args.only in (None, "intent"):
                marks.append(f"intent {r['intent'][:8]}->{a.intent[:8]}({a.source[0]})")
            if r["sensitive"] != a.sensitive and args.only in (None, "sensitive"):
                marks.append(f"sens {r['sensitive']}->{a.sensitive} {a.risk_terms}")
            if r["sentiment"] != a.sentiment and args.only in (None, "sentiment"):
                marks.append(f"senti {r['sentiment']}->{a.sentiment}")
            if marks:
                print(f"  {r['text']!r}: {'; '.join(marks)}")


if __name__ == "__main__":
    main()
