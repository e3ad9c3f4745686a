"""Compacted Parquet segments of the tracking log: a local, rebuildable cache.

The log is append-only (database triggers) and a row at or below the settled seq can no
longer change or appear, so a settled range of a session's rows can be written once to
a Parquet file and read back in milliseconds instead of re-reading the database. The
database stays the record: a missing, unreadable or unwritable directory only means the
rows are read from the database again. A segment named `<after>-<upto>.parquet` holds the
session's rows with after < seq ≤ upto."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import polars as pl

from liveroom.adapters.sql.tracking_log import read_log
from liveroom.metrics.batch import LOG_SCHEMA

log = logging.getLogger(__name__)
SEGMENT_ROWS = 100_000  # compact once this many settled rows are outside any segment
_NAME = re.compile(r"^(\d{12})-(\d{12})\.parquet$")


class LogSegments:
    def __init__(self, root: Path, segment_rows: int = SEGMENT_ROWS) -> None:
        self.root = root
        self.segment_rows = segment_rows

    def read(self, conn: Any, sid: str, recent_from: Any) -> pl.DataFrame:
        """The session's whole log (as tracking_log.read_log returns it): the segments in
        seq order, then the rows after them from the database; settled rows of a long tail
        become a new segment for the next reader."""
        folder = self.root / _safe(sid)
        frames, upto = self._chain(folder)
        tail = read_log(conn, sid, upto, recent_from)
        settled = _settled(tail)
        if settled.height >= self.segment_rows:
            self._write(folder, upto, settled)
        return pl.concat([*frames, tail]) if frames else tail

    def scan(self, conn: Any, sid: str) -> pl.LazyFrame:
        """The session's whole log as a lazy frame (LOG_SCHEMA's columns): the segments
        scanned, not loaded, so that a reader that needs a few columns or aggregates reads
        only those; then the rows after them from the database."""
        folder = self.root / _safe(sid)
        spans, scans, at = self._spans(folder), [], 0
        while at in spans:
            path = folder / f"{at:012d}-{spans[at]:012d}.parquet"
            try:
                scan = pl.scan_parquet(path)
                scan.collect_schema()  # reads the footer: a damaged file fails here
            except (OSError, pl.exceptions.ComputeError) as exc:
                log.warning("log segment %s unreadable, reading the database: %s", path, exc)
                break
            scans.append(scan.select(*LOG_SCHEMA))
            at = spans[at]
        tail = read_log(conn, sid, at).select(*LOG_SCHEMA).lazy()
        return pl.concat([*scans, tail]) if scans else tail

    def compact(self, conn: Any, sid: str, settled: int) -> None:
        """During a show: once `segment_rows` of the session's settled rows lie past the last
        segment, write them as the next one, so that the review at the end and a restart
        read the database only for the last minutes."""
        folder = self.root / _safe(sid)
        upto = self._chain_end(folder)
        if settled - upto < self.segment_rows:  # seq is global: an upper bound of the rows
            return
        rows = read_log(conn, sid, upto)
        rows = rows.filter(pl.col("seq") <= settled)
        if rows.height >= self.segment_rows:
            self._write(folder, upto, rows)

    def _chain_end(self, folder: Path) -> int:
        spans = self._spans(folder)
        at = 0
        while at in spans:
            at = spans[at]
        return at

    def _spans(self, folder: Path) -> dict[int, int]:
        spans: dict[int, int] = {}
        if folder.is_dir():
            for path in folder.iterdir():
                m = _NAME.match(path.name)
                if m:
                    after, upto = int(m[1]), int(m[2])
                    spans[after] = max(spans.get(after, after), upto)
        return spans

    def _chain(self, folder: Path) -> tuple[list[pl.DataFrame], int]:
        """Contiguous segments from seq 0; of two starting at one place, the longer."""
        spans = self._spans(folder)
        frames, at = [], 0
        while at in spans:
            path = folder / f"{at:012d}-{spans[at]:012d}.parquet"
            try:
                frames.append(pl.read_parquet(path))
            except (OSError, pl.exceptions.ComputeError) as exc:
                log.warning("log segment %s unreadable, reading the database: %s", path, exc)
                break
            at = spans[at]
        return frames, at

    def _write(self, folder: Path, after: int, rows: pl.DataFrame) -> None:
        upto = int(rows["seq"].max())  # type: ignore[arg-type]
        target = folder / f"{after:012d}-{upto:012d}.parquet"
        temp = folder / f".{target.name}.{os.getpid()}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            rows.drop("recent").with_columns(pl.lit(False).alias("recent")).write_parquet(temp)
            os.replace(temp, target)  # readers see a whole file or none
        except OSError as exc:
            log.warning("log segment %s not written (the database is read instead): %s",
                        target, exc)


def _settled(tail: pl.DataFrame) -> pl.DataFrame:
    """The prefix of rows that arrived before the horizon (none recent before them)."""
    recent = tail["recent"]
    if not recent.any():
        return tail
    return tail.head(int(recent.arg_max()))  # type: ignore[arg-type]


def _safe(sid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", sid)
