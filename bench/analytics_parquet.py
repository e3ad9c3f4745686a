"""The analytics benchmark's event log written straight as compacted Parquet segments
(the files `adapters/sql/log_segments.py` reads), vectorised with NumPy: 10M events in
seconds instead of the ~10 minutes a row-by-row database load takes on the shared box.

The mix, viewers (N/10) and two-hour spread are those of `bench/analytics_events.py`; the
rows are the settled part of the log, so the database holds only the session, its lineup
and the (empty) tail after the last segment: what a show looks like once the live reader
compacted it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl
from bench.analytics_events import CHANNELS, MIX

from liveroom.adapters.sql.log_segments import LogSegments
from liveroom.metrics.batch import LOG_SCHEMA

SEGMENT = 1_000_000


def frame(total: int, offset: int, size: int, skus: list[str], start: datetime,
          seed: int) -> pl.DataFrame:
    """Events offset+1 … offset+size of a show of `total` events (seq = their index)."""
    rng = np.random.default_rng(seed + offset)
    kinds = [k for k, _ in MIX]
    weights = np.array([w for _, w in MIX], dtype=float)
    kind_ix = rng.choice(len(kinds), size=size, p=weights / weights.sum())
    index = np.arange(offset, offset + size, dtype=np.int64)
    leave, like = kinds.index("leave"), kinds.index("like")
    num = np.where(kind_ix == leave, rng.integers(10, 900, size=size).astype(float),
                   np.where(kind_ix == like, rng.integers(1, 20, size=size).astype(float),
                            np.nan))
    product = np.isin(kind_ix, [kinds.index(k) for k in
                                ("product_impression", "product_click", "add_to_cart")])
    start_us = int(start.timestamp() * 1_000_000)
    return pl.DataFrame({
        "seq": index + 1,
        "type": pl.Series(kinds).gather(pl.Series(kind_ix, dtype=pl.UInt32)),
        "buyer_id": pl.Series(rng.integers(0, max(1, total // 10), size=size)),
        "ts": start_us + index * 7_200_000_000 // max(1, total),
        "channel": pl.Series(CHANNELS).gather(
            pl.Series(rng.integers(0, len(CHANNELS), size=size), dtype=pl.UInt32)),
        "sku_id": pl.Series(skus).gather(
            pl.Series(rng.integers(0, len(skus), size=size), dtype=pl.UInt32)),
        "product": product,
        "num": pl.Series(num).fill_nan(None),
        "counted": kind_ix == kinds.index("payment_failure"),
    }).with_columns(
        ("v" + pl.col("buyer_id").cast(pl.String)).alias("buyer_id"),
        pl.from_epoch("ts", time_unit="us").dt.replace_time_zone("UTC"),
        pl.when(pl.col("product")).then(pl.col("sku_id")).otherwise(None).alias("sku_id"),
        pl.lit(False).alias("recent"),
    ).drop("product").cast({**LOG_SCHEMA, "recent": pl.Boolean})


def write_segments(root: Path, sid: str, n: int, skus: list[str], start: datetime,
                   seed: int = 1) -> int:
    """Write N events as segments of SEGMENT rows under root/<sid>, as the live reader's
    compaction writes them (buyers coded); the last seq."""
    segments = LogSegments(root)
    for offset in range(0, n, SEGMENT):
        segments.append(sid, frame(n, offset, min(SEGMENT, n - offset), skus, start, seed))
    return n
