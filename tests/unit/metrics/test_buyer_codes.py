"""Buyer codes (metrics.buyers) are a function of the log alone: a buyer's code is the rank
of their first event in seq order, whether the log is coded whole or a segment at a time
against the buyers of the segments before (as the compaction does during a show), and the
counts engine gives the same figures either way."""

from __future__ import annotations

import random
from datetime import timedelta

import polars as pl
import pytest

from liveroom.metrics.batch import frame_from_events
from liveroom.metrics.buyers import CODED, CodedLog, code_buyers, coded_log
from liveroom.metrics.counts import counts_frame

from .test_batch_equals_fold import START, generated_log, generated_orders


def test_codes_are_ranks_of_first_appearance():
    log = pl.DataFrame({"seq": [1, 2, 3, 4, 5], "buyer_id": ["x", "y", "x", "z", "y"]})
    coded, buyers = code_buyers(log)
    assert coded["who"].to_list() == [0, 1, 0, 2, 1]
    assert buyers.rows() == [("x", 0), ("y", 1), ("z", 2)]


@pytest.mark.parametrize("seed", range(8))
def test_coding_segment_by_segment_gives_the_codes_of_the_whole(seed):
    log = frame_from_events(generated_log(seed, 400))
    whole, all_buyers = code_buyers(log)
    rng = random.Random(seed)
    cuts = sorted({0, log.height, *(rng.randint(0, log.height) for _ in range(4))})
    known, parts = None, []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        part, fresh = code_buyers(log.slice(lo, hi - lo), known)
        parts.append(part)
        known = fresh if known is None else pl.concat([known, fresh])
    assert pl.concat(parts)["who"].equals(whole["who"])
    assert known is not None and known.equals(all_buyers)
    # the counts engine reads the segment-coded log as it reads the plain one
    orders = generated_orders(seed)
    keep = {o.buyer_id for o in orders}
    now = START + timedelta(minutes=40)
    segmented = CodedLog(pl.concat(parts).select(CODED).lazy(), known)
    assert (counts_frame(segmented, keep).snapshot(orders, now, since=START)
            == counts_frame(log, keep).snapshot(orders, now, since=START))


def test_a_log_out_of_seq_order_is_coded_in_seq_order():
    log = frame_from_events(generated_log(2, 200))
    shuffled = coded_log(log.sample(fraction=1.0, shuffle=True, seed=3))
    ordered = coded_log(log)
    assert shuffled.buyers.equals(ordered.buyers)
    assert shuffled.events.collect().equals(ordered.events.collect())
