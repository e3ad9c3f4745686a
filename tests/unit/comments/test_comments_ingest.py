"""Validation of incoming comment items: bad items are rejected one by one, never raised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from liveroom.comments.ingest import IncomingComment, Rejection, validate_batch, validate_item

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("field", ["text", "buyer_id", "nickname", "id"])
@pytest.mark.parametrize("bad", ["a\x00b", "\ud83d hi", "hi \udfff"])
def test_nul_or_lone_surrogates_are_rejected_not_stored(field: str, bad: str) -> None:
    # given an item whose field holds text no database can store
    item = {"buyer_id": "b1", "text": "hi", field: bad}
    # when it is validated
    out = validate_item(0, item, NOW)
    # then it is a rejection naming the field, not a comment that fails the shared flush
    assert isinstance(out, Rejection) and out.code == "invalid_comment"
    assert out.message.startswith(f"{field}:")


@pytest.mark.parametrize("ts", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_timestamp_outside_the_representable_range_is_rejected(ts: str) -> None:
    # given timestamps that overflow when converted to UTC
    item = {"buyer_id": "b1", "text": "hi", "ts": ts}
    # when validated
    out = validate_item(0, item, NOW)
    # then a stable rejection, not an OverflowError (HTTP 500)
    assert isinstance(out, Rejection) and out.code == "invalid_ts"


def test_emoji_and_markup_pass_through_unchanged() -> None:
    # given a comment with emoji and markup (escaping is the renderer's job)
    item = {"buyer_id": "b1", "text": "😀🔥👍🏻 <b>好</b>", "ts": "2026-11-25T19:59:00+08:00"}
    # when validated
    valid, rejected = validate_batch([item], NOW)
    # then the text is kept as sent and the time is UTC
    assert rejected == [] and valid == [IncomingComment(
        None, "b1", "", "😀🔥👍🏻 <b>好</b>", datetime(2026, 11, 25, 11, 59, tzinfo=UTC))]
