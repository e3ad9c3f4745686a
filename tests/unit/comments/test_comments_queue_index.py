"""The gram index of the question queue clusters exactly as the linear Jaccard scan did."""

from __future__ import annotations

import random
from typing import Any

from liveroom.comments.model import CommentAnalysis
from liveroom.comments.normalize import char_ngrams
from liveroom.comments.queue import SIMILARITY, QuestionQueue

TEMPLATES = ["{n}号链接还有吗", "身高16{n}穿什么码", "这个锅能用电磁炉吗", "什么时候发货{n}",
             "is the {n} pan non-stick?", "有{n}色吗", "能退吗", "多少钱{n}", "{n}", "蹲{n}号"]
INTENTS: list[Any] = ["product_question", "logistics_question", "price_question"]


class LinearScanQueue(QuestionQueue):
    """The reference: the scan over every card that the index replaced."""

    def _similar(self, intent: str, text: str) -> str | None:
        grams = char_ngrams(text)
        best, best_score = None, SIMILARITY
        for card_id, other in self._grams.items():
            card = self._cards[card_id]
            if card.status != "open" or card.intent != intent or not other:
                continue
            score = len(grams & other) / len(grams | other)
            if score >= best_score:
                best, best_score = card_id, score
        return best


def test_indexed_clustering_matches_the_linear_scan_on_random_streams(make_comment) -> None:
    for seed in range(5):
        # given the same random stream of questions, with cards closed along the way
        rng = random.Random(seed)
        indexed, reference = QuestionQueue(), LinearScanQueue()
        for i in range(1500):
            text = rng.choice(TEMPLATES).format(n=rng.randint(1, 60))
            analysis = CommentAnalysis(intent=rng.choice(INTENTS), sensitive=False)
            comment = make_comment(text, buyer=f"b{rng.randint(1, 300)}", seconds=i)
            got, want = indexed.add(comment, analysis), reference.add(comment, analysis)
            # then every question lands on the same card
            assert got is not None and want is not None
            assert got.id == want.id, (seed, i, text)
            if rng.random() < 0.05:
                action = rng.choice(["answer", "assign", "dismiss"])
                for queue in (indexed, reference):
                    if action == "answer":
                        queue.answer(got.id, "ok")
                    elif action == "assign" and got.status == "open":
                        queue.assign(got.id, "cs")
                    elif action == "dismiss":
                        queue.dismiss(got.id)
        assert indexed.open_cards() == reference.open_cards()
