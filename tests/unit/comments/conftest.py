from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liveroom.comments.model import Comment
from liveroom.comments.pipeline import CommentAnalyzer

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> CommentAnalyzer:
    # Lexical FAQ matching only: the sentence encoder has its own (slower) test.
    return CommentAnalyzer(use_encoder=False, model_dir=tmp_path_factory.mktemp("models"))


@pytest.fixture
def t0() -> datetime:
    return T0


@pytest.fixture
def make_comment() -> object:
    return _make_comment


def _make_comment(
    text: str, *, buyer: str = "b1", seconds: float = 0.0, cid: str | None = None
) -> Comment:
    return Comment(
        id=cid or f"c-{buyer}-{seconds}-{text}",
        session_id="s1",
        buyer_id=buyer,
        nickname=buyer,
        text=text,
        ts=T0 + timedelta(seconds=seconds),
    )
