"""Engine creation and migrations. Engines are built by the composition root, never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take control so that
        # a unit of work starts a real (immediate) transaction.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the lock up front (no read→write upgrade deadlocks under WAL);
    # readers marked read_only start a deferred transaction and never block writers.
    deferred = conn.get_execution_options().get("read_only")
    conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def dialect_insert(conn: Connection, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT, in the connection's dialect."""
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"liveroom runs on SQLite or PostgreSQL, not {name}")


def insert_ignoring_duplicates(conn: Connection, table: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING: the upsert that replaces check-then-act."""
    return dialect_insert(conn, table).on_conflict_do_nothing()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


# pg_advisory_lock key held while migrating: "lrmigr" as a big-endian integer.
MIGRATION_LOCK = int.from_bytes(b"lrmigr", "big")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of every branch. On PostgreSQL under an
    advisory lock held on a connection of its own, so that processes starting together
    migrate one after the other (the later ones find nothing left to do); SQLite's
    BEGIN IMMEDIATE already serialises writers."""
    if engine.dialect.name != "postgresql":
        _upgrade(engine)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            _upgrade(engine)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})


def _upgrade(engine: Engine) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
