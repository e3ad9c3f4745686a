"""Two processes starting at once on a fresh PostgreSQL database: migrations take turns."""

from __future__ import annotations

import threading

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from liveroom.adapters.sql.db import MIGRATION_LOCK, alembic_config, make_engine, migrate
from tests.conftest import _drop_pg, _pg_database

pytestmark = pytest.mark.postgres


def test_two_servers_migrating_a_fresh_database_at_once_both_succeed():
    url = _pg_database()
    engines = [make_engine(url), make_engine(url)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(engine) -> None:
        start.wait()
        try:
            migrate(engine)
        except BaseException as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=run, args=(e,)) for e in engines]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        with engines[0].connect() as conn:
            heads = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            assert set(heads) == set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
            held = conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                     " AND objid = :k"), {"k": MIGRATION_LOCK & 0xFFFFFFFF})
            assert held.scalar() == 0  # released after
    finally:
        for e in engines:
            e.dispose()
        _drop_pg(url)
