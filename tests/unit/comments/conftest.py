from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

try:
    import liveroom.comments  # noqa: F401
except ModuleNotFoundError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))

from liveroom.comments.model import Comment  # noqa: E402
from liveroom.comments.pipeline import CommentAnalyzer  # noqa: E402

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
