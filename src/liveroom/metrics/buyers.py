"""Buyer codes: every buyer of a session's log numbered once, so that per-buyer work runs on
small integers instead of id strings.

A buyer's code is the rank of their first event in the session's log, in seq order (0 for
the first buyer to appear, 1 for the next new one, …). It is a function of the log alone:
coding the log whole, or a segment at a time against the buyers of the segments before it
(as `adapters/sql/log_segments.py` does during a show), gives every buyer the same code;
tests/unit/metrics/test_buyer_codes.py checks it."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

CODE = pl.UInt32
# the columns of a coded log: metrics.batch.LOG_SCHEMA's, with `who` for `buyer_id`
CODED = ("seq", "type", "who", "ts", "channel", "sku_id", "num", "counted")


@dataclass(frozen=True)
class CodedLog:
    """A session's log with buyers coded: `events` has the CODED columns, in seq order;
    `buyers` maps `buyer_id` to `who` for every buyer of the log."""

    events: pl.LazyFrame
    buyers: pl.DataFrame


def no_buyers() -> pl.DataFrame:
    return pl.DataFrame(schema={"buyer_id": pl.String, "who": CODE})


def code_buyers(rows: pl.DataFrame, known: pl.DataFrame | None = None,
                ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`rows` (LOG_SCHEMA, in seq order, all after the rows `known` was coded from) with a
    `who` column; and the buyers of `rows` not in `known`, with their new codes."""
    known = no_buyers() if known is None else known
    seen = rows.select(pl.col("buyer_id").unique(maintain_order=True))
    # the known buyers of these rows only: the joins below stay the size of the rows
    again = known.filter(pl.col("buyer_id").is_in(seen["buyer_id"].implode()))
    fresh = (seen.join(again, on="buyer_id", how="anti", maintain_order="left")
             .with_row_index("who", offset=known.height)
             .select("buyer_id", pl.col("who").cast(CODE)))
    table = pl.concat([again, fresh])
    coded = rows.join(table, on="buyer_id", how="left", maintain_order="left")
    return coded, fresh


def coded_log(log: pl.DataFrame | pl.LazyFrame) -> CodedLog:
    """A plain log (LOG_SCHEMA, e.g. read from the database) coded whole."""
    frame = log.collect() if isinstance(log, pl.LazyFrame) else log
    if not frame["seq"].is_sorted():
        frame = frame.sort("seq")
    coded, buyers = code_buyers(frame)
    return CodedLog(coded.select(CODED).lazy(), buyers)
