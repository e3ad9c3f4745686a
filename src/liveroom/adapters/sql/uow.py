"""The unit of work: one transaction, rolled back unless committed, with an outbox."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, insert

from liveroom.adapters.sql import repositories as repos
from liveroom.adapters.sql.product_stats_repo import ProductStatsRepo
from liveroom.adapters.sql.schema import outbox
from liveroom.core.clock import Clock
from liveroom.core.messages import Event


class SqlUnitOfWork:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.conn: Connection
        self.committed = False

    def __enter__(self) -> SqlUnitOfWork:
        self.conn = self.engine.connect()
        self.conn.begin()
        self.committed = False
        self.catalog = repos.CatalogRepo(self.conn)
        self.sessions = repos.SessionRepo(self.conn)
        self.console = repos.ConsoleRepo(self.conn)
        self.audit = repos.AuditRepo(self.conn, self.clock)
        self.users = repos.UserRepo(self.conn)
        self.product_stats = ProductStatsRepo(self.conn)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self.committed:
                self.conn.rollback()
        finally:
            self.conn.close()

    def emit(self, event: Event) -> None:
        """Queue an event in the same transaction; published only after commit."""
        self.emit_all([event])

    def emit_all(self, events: list[Event]) -> None:
        """Many events in one executemany (a busy comment room raises thousands at once)."""
        if events:
            now = self.clock.now()
            self.conn.execute(insert(outbox), [
                {"stream": e.stream, "name": e.type_name, "payload": e.payload(),
                 "created_at": now} for e in events])

    def commit(self) -> None:
        self.conn.commit()
        self.committed = True

    def execute(self, statement: Any, *args: Any) -> Any:
        return self.conn.execute(statement, *args)
