"""The tracking log read as a Polars frame (metrics.batch.LOG_SCHEMA), straight from the
database cursor: no per-row SQLAlchemy processing, no TrackingEvent objects. SQLite is
read with the DB-API cursor in large chunks; PostgreSQL with COPY … TO STDOUT as CSV,
which Polars parses natively (docs/benchmarks.md has the numbers behind the choice)."""

from __future__ import annotations

import gc
import io
from datetime import UTC, datetime
from typing import Any

import polars as pl

from liveroom.metrics.batch import LOG_SCHEMA
from liveroom.tracking.model import SERVER_SOURCE

CHUNK = 200_000
_SQLITE = f"""SELECT seq, type, buyer_id, ts, channel, sku_id,
  CASE type WHEN 'leave' THEN json_extract(props, '$.dwell_seconds')
            WHEN 'like' THEN json_extract(props, '$.count') END,
  CASE WHEN type = 'payment_failure' AND (json_extract(props, '$.source') = '{SERVER_SOURCE}'
            OR json_type(props, '$.order_id') IS NULL) THEN 1 ELSE 0 END,
  CASE WHEN received_at >= ? THEN 1 ELSE 0 END
FROM tracking_events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?"""
_POSTGRES = f"""COPY (SELECT seq, type, buyer_id,
  (extract(epoch from ts) * 1000000)::bigint, channel, sku_id,
  CASE type WHEN 'leave' THEN (props->>'dwell_seconds')::float8
            WHEN 'like' THEN (props->>'count')::float8 END,
  (type = 'payment_failure' AND (props->>'source' = '{SERVER_SOURCE}'
            OR (props->'order_id') IS NULL))::int,
  (received_at >= %s)::int
FROM tracking_events WHERE session_id = %s AND seq > %s ORDER BY seq LIMIT %s)
TO STDOUT (FORMAT csv)"""
_RAW = ["seq", "type", "buyer_id", "ts", "channel", "sku_id", "num", "counted", "recent"]


def read_log(conn: Any, sid: str, after_seq: int = 0,
             recent_from: datetime | None = None, limit: int | None = None) -> pl.DataFrame:
    """Events of a session after `after_seq`, in seq order (the first `limit` of them),
    with LOG_SCHEMA's columns plus `recent` (arrived at or after `recent_from`; never when
    it is None)."""
    horizon = recent_from or datetime(9999, 1, 1, tzinfo=UTC)
    if conn.dialect.name == "postgresql":
        return _postgres(conn, sid, after_seq, horizon, limit)
    return _sqlite(conn, sid, after_seq, horizon, -1 if limit is None else limit)


def _sqlite(conn: Any, sid: str, after_seq: int, horizon: datetime,
            limit: int) -> pl.DataFrame:
    # SQLAlchemy stores aware datetimes on SQLite as their UTC wall time in this format.
    stamp = horizon.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    cursor = conn.connection.dbapi_connection.cursor()
    # A million row tuples would wake the cyclic garbage collector hundreds of times for
    # nothing (tuples of strings hold no cycles): pause it while they exist.
    collecting = gc.isenabled()
    gc.disable()
    try:
        cursor.execute(_SQLITE, (stamp, sid, after_seq, limit))
        frames = []
        while rows := cursor.fetchmany(CHUNK):
            frames.append(pl.DataFrame(rows, schema=_raw_schema(pl.String), orient="row",
                                       strict=False))
        del rows
    finally:
        cursor.close()
        if collecting:
            gc.enable()
    raw = pl.concat(frames) if frames else pl.DataFrame(schema=_raw_schema(pl.String))
    return _typed(raw.with_columns(
        pl.col("ts").str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us",
                                     time_zone="UTC")))


def _postgres(conn: Any, sid: str, after_seq: int, horizon: datetime,
              limit: int | None) -> pl.DataFrame:
    buffer = io.BytesIO()
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(_POSTGRES, (horizon, sid, after_seq, limit)) as copy:
            for block in copy:
                buffer.write(block)
    finally:
        cursor.close()
    if buffer.tell():
        buffer.seek(0)
        raw = pl.read_csv(buffer, has_header=False, new_columns=_RAW,
                          schema=_raw_schema(pl.Int64))
    else:
        raw = pl.DataFrame(schema=_raw_schema(pl.Int64))
    return _typed(raw.with_columns(pl.from_epoch("ts", time_unit="us")
                                   .dt.replace_time_zone("UTC")))


def _raw_schema(ts_type: Any) -> dict[str, Any]:
    return {**LOG_SCHEMA, "ts": ts_type, "counted": pl.Int8, "recent": pl.Int8}


def _typed(raw: pl.DataFrame) -> pl.DataFrame:
    return raw.with_columns(pl.col("counted").cast(pl.Boolean),
                            pl.col("recent").cast(pl.Boolean),
                            pl.col("channel").fill_null(""))
