"""Classifier throughput on one core.

    .venv/bin/python bench/comments_throughput.py [--n 100000]

Pins the process to one CPU and one BLAS thread. Texts are the labelled comments with
random suffixes so that (almost) every text is unique and the result cache does not help,
except in the last scenario, which replays a realistic stream with repeats.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy loads: one core means one
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # BLAS thread as well

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from importlib import resources  # noqa: E402

from liveroom.comments.normalize import normalize_many  # noqa: E402
from liveroom.comments.pipeline import CommentAnalyzer  # noqa: E402
from liveroom.comments.risk import RiskLexicon  # noqa: E402
from liveroom.comments.rules import FastClassifier  # noqa: E402

SUFFIXES = ["", "", "!", "~", "😊", "啊", " 主播", "??", "👍", " ", "呀", "哈"]


def corpus(n: int, seed: int = 7) -> list[str]:
    base: list[str] = []
    for name in ("train.jsonl", "eval.jsonl"):
        raw = resources.files("liveroom.comments").joinpath(f"data/{name}").read_text("utf-8")
        base += [json.loads(line)["text"] for line in raw.splitlines() if line.strip()]
    rng = random.Random(seed)
    return [f"{rng.choice(base)}{rng.choice(SUFFIXES)}{i}" for i in range(n)]


def realistic_stream(n: int, seed: int = 8) -> list[str]:
    # Live rooms repeat: ~40% of comments come from a short list of hot phrases.
    hot = ["扣1", "1", "666", "多少钱", "什么时候发货", "已拍", "来了", "主播好美", "上车", "2号"]
    fresh = corpus(n, seed)
    rng = random.Random(seed)
    return [rng.choice(hot) if rng.random() < 0.4 else fresh[i] for i in range(n)]


def timed(label: str, n: int, fn: Callable[[], object], repeat: int = 3) -> float:
    best = min(_once(fn) for _ in range(repeat))
    rate = n / best
    print(f"{label:58s} {rate:>12,.0f} comments/s  ({best * 1000:.0f} ms for {n:,})")
    return rate


def _once(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts = corpus(args.n)
    fast, risk = FastClassifier(), RiskLexicon()

    def fast_path() -> None:
        normalized = normalize_many(texts)
        fast.score(normalized)
        risk.find_many(normalized)

    timed("fast path: normalise + automaton intents + risk terms", args.n, fast_path)
    rules_only = CommentAnalyzer(use_model=False)
    timed(
        "analyze_batch, rules only (all fields, no FAQ)",
        args.n,
        lambda: CommentAnalyzer.analyze_batch(_fresh(rules_only), texts),
        repeat=2,
    )
    full = CommentAnalyzer()
    full.classify_intents(["warm up"])  # trains or loads the model outside the timing
    timed(
        "analyze_batch, rules + model where unsure (no FAQ)",
        args.n,
        lambda: CommentAnalyzer.analyze_batch(_fresh(full), texts),
        repeat=2,
    )
    stream = realistic_stream(args.n)
    timed(
        "analyze_batch, realistic stream with repeats (cache)",
        args.n,
        lambda: CommentAnalyzer.analyze_batch(_fresh(full), stream),
        repeat=2,
    )
    unsure = (~fast.score(normalize_many(texts)).sure).mean()
    print(f"share of comments the rules were unsure about (sent to the model): {unsure:.1%}")


def _fresh(analyzer: CommentAnalyzer) -> CommentAnalyzer:
    analyzer._cache = {}  # measure classification, not the cache of the previous round
    return analyzer


if __name__ == "__main__":
    main()
