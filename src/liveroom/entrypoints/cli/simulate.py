"""`liveroom simulate SESSION`: drive a session on a running server with a simulated
audience, through the public API only."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.live import Live

from liveroom.config import get_settings
from liveroom.entrypoints.cli.demo import progress_panel
from liveroom.simulator.driver import SimConfig, SimStats, Simulator
from liveroom.simulator.params import SimParams

out = Console()


def simulate(
    session: Annotated[str, typer.Argument(help="the session id")],
    base_url: Annotated[str, typer.Option(help="the server")] = "http://127.0.0.1:8000",
    token: Annotated[str, typer.Option(envvar="LIVEROOM_TOKEN",
                                       help="connector/ops bearer token (events, comments)")
                     ] = "",
    console_token: Annotated[str, typer.Option(help="also play the console operator: start "
                                                    "the session and flash sales on cue")
                             ] = "",
    seed: Annotated[int, typer.Option(help="audience seed")] = 7,
    speed: Annotated[float, typer.Option(help="show seconds per wall second (0 = as fast "
                                              "as possible)")] = 120.0,
    viewers: Annotated[int | None, typer.Option(help="override the viewer count")] = None,
    params: Annotated[Path | None, typer.Option(help="JSON file overriding defaults.json")
                      ] = None,
    warmup: Annotated[bool, typer.Option(help="send the warm-up reservations first")] = True,
) -> None:
    """Simulate an audience for SESSION (buyer JWTs are signed with LIVEROOM_BUYER_SECRET,
    as the platform's login gateway would)."""
    if not token:
        out.print("[red]--token (or LIVEROOM_TOKEN) is required[/red]")
        raise typer.Exit(2)
    cfg = SimConfig(session, {"Authorization": f"Bearer {token}"},
                    get_settings().buyer_secret, seed=seed, speed=speed,
                    params=SimParams.load(params, viewers=viewers),
                    console_headers={"Authorization": f"Bearer {console_token}"}
                    if console_token else None, run_warmup=warmup)
    stats = asyncio.run(_run(base_url, cfg))
    result = {k: v for k, v in vars(stats).items() if k not in ("answers", "missing_routes")}
    result["answers"] = dict(stats.answers)
    result["missing_routes"] = sorted(stats.missing_routes)
    print(json.dumps(result, ensure_ascii=False, default=str))


async def _run(base_url: str, cfg: SimConfig) -> SimStats:
    wall0 = time.monotonic()
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        with Live(progress_panel(SimStats(), 120, wall0), console=out,
                  refresh_per_second=4) as live:
            def tick(stats: SimStats) -> None:
                live.update(progress_panel(stats, 120, wall0))

            return await Simulator(client, cfg, None, tick).run()
