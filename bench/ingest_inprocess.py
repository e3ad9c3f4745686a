"""Batch ingest in one process without HTTP: the body parsed as the route parses it, then
`IngestEvents` through the bus (validation, SQLite insert, commit); events per CPU-second.

    LIVEROOM_ENV=development .venv/bin/python -m bench.ingest_inprocess [batches] [--profile]

Results: docs/benchmarks.md ("Issue 12, second pass")."""

from __future__ import annotations

import cProfile
import json
import pstats
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench.analytics import create_show
from fastapi.testclient import TestClient

from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.entrypoints.api.app import create_app
from liveroom.entrypoints.api.routes_tracking import EventsIn
from liveroom.identity.handlers import AddUser, actor_for_token
from liveroom.identity.model import SYSTEM
from liveroom.tracking.commands import IngestEvents


def main() -> None:
    batches = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 40
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    c = bootstrap(Settings(database_url=f"sqlite:///{work / 'b.db'}", var_dir=work))
    token = c.bus.handle(AddUser(f"b-{uuid.uuid4().hex[:6]}", "admin"), SYSTEM)["token"]
    with TestClient(create_app(c), headers={"Authorization": f"Bearer {token}"}) as tc:
        sid, skus = create_show(tc, 5)
    with c.engine.connect() as conn:
        actor = actor_for_token(conn, token)
    now = datetime.now(UTC).isoformat()
    bodies = [json.dumps({"events": [
        {"event_id": f"i-{n * 1000 + i:09d}", "type": "product_click",
         "buyer_id": f"v{(n * 1000 + i) % 5000}", "ts": now, "sku_id": skus[i % 5],
         "channel": "followers"} for i in range(1000)]}).encode() for n in range(batches)]

    def one(body: bytes) -> str:
        parsed = EventsIn.model_validate(json.loads(body))
        return json.dumps(c.bus.handle(IngestEvents(sid, parsed.events, False), actor)
                          .to_json())

    one(bodies[0])
    profiler = cProfile.Profile() if "--profile" in sys.argv else None
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    for body in bodies[1:]:
        one(body)
    if profiler:
        profiler.disable()
    cpu = time.process_time() - cpu
    print(json.dumps({"events": (batches - 1) * 1000, "cpu_s": round(cpu, 3),
                      "events_per_cpu_s": round((batches - 1) * 1000 / cpu)}))
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    c.close()


if __name__ == "__main__":
    main()
