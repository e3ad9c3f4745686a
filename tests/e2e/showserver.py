"""A server whose clock follows a simulated show (test-only): the simulator sets the show
time through POST /__test__/clock, so "time on air", the per-minute charts and the events
the simulated audience sends all agree, and a two-hour show plays in seconds."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from fastapi import APIRouter, FastAPI

from liveroom.bootstrap import bootstrap
from liveroom.config import get_settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app


def create() -> FastAPI:
    clock = FixedClock(datetime.now(UTC))
    clock_route = APIRouter()

    @clock_route.post("/__test__/clock")
    def set_clock(at: str) -> dict[str, str]:
        clock.set(datetime.fromisoformat(at))
        return {"now": clock.now().isoformat()}

    settings = get_settings()
    return create_app(bootstrap(settings, clock=clock), extra_routers=[clock_route])


if __name__ == "__main__":
    from granian import Granian
    from granian.constants import Interfaces

    Granian("tests.e2e.showserver:create", factory=True, interface=Interfaces.ASGI,
            address="127.0.0.1", port=int(sys.argv[1]), log_access=False).serve()
