"""One in-process stock ledger per database: the lock its owner holds for its whole life.

The embedded ledger counts stock in the server's memory. Two servers on one database would
each count the same units and together sell twice the quantity, so the ledger takes this lock
before it sells and a second one is refused. PostgreSQL: a session advisory lock on a
connection kept for the purpose (released by the server when the process dies, even by
kill -9). SQLite: an exclusive flock on a file next to the database (released by the kernel
when the process dies). The flash_sales CHECK (sold <= quantity) is the backstop behind it."""

from __future__ import annotations

import fcntl
import os
import zlib
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text

from liveroom.core.errors import Conflict

# Advisory locks are per database; a fixed key names "the in-process stock ledger" in it.
ADVISORY_KEY = zlib.crc32(b"liveroom:memory-stock-ledger")


class LedgerLocked(Conflict):
    code = "stock_ledger_in_use"


def lock_file_for(engine: Engine) -> Path | None:
    """The lock file of a SQLite database (None for an in-memory one)."""
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).resolve().with_name(Path(database).name + ".ledger-lock")


def _in_use(where: str, holder: str) -> LedgerLocked:
    return LedgerLocked(
        f"another liveroom server ({holder}) is already selling from {where} with the "
        "in-process stock ledger; two would sell the same stock twice. Stop it, or run "
        "several servers with LIVEROOM_REDIS_URL (or LIVEROOM_STOCK_BACKEND=sql with "
        "PostgreSQL)")


class LedgerLock:
    """Take with acquire() (raises LedgerLocked if held elsewhere), give back with release()."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._file: IO[str] | None = None
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._file is not None or self._conn is not None

    def acquire(self) -> None:
        if self.held:
            return
        if self.engine.dialect.name == "postgresql":
            self._acquire_advisory()
        else:
            self._acquire_file()

    def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            finally:
                conn.close()
        if self._file is not None:
            f, self._file = self._file, None
            f.close()  # closing the descriptor drops the flock

    def _acquire_advisory(self) -> None:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                               {"k": ADVISORY_KEY}).scalar_one()
            holder = "" if got else _advisory_holder(conn)
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            raise _in_use(f"PostgreSQL database {self.engine.url.database}", holder)
        self._conn = conn

    def _acquire_file(self) -> None:
        path = lock_file_for(self.engine)
        if path is None:
            return  # an in-memory database belongs to this process alone
        f = path.open("a+")
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "unknown process"
            f.close()
            raise _in_use(f"SQLite database {self.engine.url.database}", holder) from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}\n")
        f.flush()
        self._file = f


def _advisory_holder(conn: Connection) -> str:
    pid = conn.execute(text(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND objid::bigint = :k AND database = (SELECT oid FROM pg_database "
        "WHERE datname = current_database())"), {"k": ADVISORY_KEY}).scalar()
    return f"PostgreSQL backend pid {pid}" if pid is not None else "unknown process"
