"""The `liveroom` command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from granian import Granian
from granian.constants import Interfaces
from rich.console import Console

from liveroom.bootstrap import bootstrap
from liveroom.comments.rooms import CommentSettings
from liveroom.config import InsecureSettings, get_settings
from liveroom.core.errors import DomainError
from liveroom.core.i18n import normalise
from liveroom.entrypoints.cli import preflight
from liveroom.entrypoints.cli.comments import app as comments_app
from liveroom.entrypoints.cli.connect import app as connect_app
from liveroom.entrypoints.cli.demo import demo
from liveroom.entrypoints.cli.simulate import simulate
from liveroom.identity.handlers import AddUser, IssueToken, RevokeTokens
from liveroom.identity.model import SYSTEM
from liveroom.planning.views import latest_session
from liveroom.review import render
from liveroom.review.views import review

app = typer.Typer(help="liveroom: operations for live-stream selling (直播电商运营)",
                  no_args_is_help=True)
user_app = typer.Typer(help="Operators and their bearer tokens", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(comments_app, name="comments", help="Live-comment intelligence in batch")
app.add_typer(connect_app, name="connect", help="Forward a live platform's comments")
err = Console(stderr=True)
app.command()(demo)
app.command()(simulate)


def fail(exc: DomainError) -> None:
    err.print(f"[red]error[/red] {exc.code}: {exc.message}")
    raise typer.Exit(2)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(help="worker processes")] = 1) -> None:
    """Serve the API, the console and the dashboard."""
    settings = get_settings()
    try:
        settings.require_safe_secrets()
    except InsecureSettings as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from exc
    if workers > 1 and settings.effective_stock_backend == "memory":
        err.print("[red]error[/red] the embedded stock ledger lives in one process: use "
                  "--workers 1, or set LIVEROOM_REDIS_URL (or LIVEROOM_STOCK_BACKEND=sql "
                  "with PostgreSQL) to run several workers")
        raise typer.Exit(2)
    if workers > 1 and not (settings.redis_url and CommentSettings().distributed):
        err.print("[yellow]note[/yellow] without LIVEROOM_REDIS_URL each worker keeps its "
                  "own comment rooms (question queue, alert windows): route a session's "
                  "comments to one worker, or run --workers 1 for the comment pipeline "
                  "(docs/deploy.md)")

    try:
        preflight.refuse_bound_port(host, port)
        c = bootstrap()  # migrate once, before any worker starts
        try:
            if settings.effective_stock_backend == "memory":
                preflight.refuse_second_ledger(c)
            elif settings.effective_stock_backend == "redis":
                preflight.refuse_volatile_redis(settings.redis_url)
        finally:
            c.close()
    except DomainError as exc:
        fail(exc)
    os.environ["LIVEROOM_MIGRATE_ON_START"] = "0"
    # A worker that dies (a crash, an OOM kill) is started again instead of taking the
    # server down; granian gives up if the same worker dies again within a few seconds.
    Granian("liveroom.entrypoints.api.main:create", factory=True, interface=Interfaces.ASGI,
            address=host, port=port, workers=workers, log_access=False,
            respawn_failed_workers=True, respawn_interval=0.5).serve()


@user_app.command("add")
def user_add(name: str, role: Annotated[str, typer.Option(help="admin, host, console, ops, "
                                                               "cs, merchant, connector")],
             display_name: str = "",
             password: Annotated[str, typer.Option(help="for the web sign-in (8+ characters)")]
             = "") -> None:
    """Create an operator and print a bearer token (the password is for the web login)."""
    c = bootstrap()
    try:
        out = c.bus.handle(AddUser(name, role, display_name, password), SYSTEM)
    except DomainError as exc:
        fail(exc)
    finally:
        c.close()
    print(out["token"])


@user_app.command("token")
def user_token(name: str) -> None:
    """Issue another bearer token for an operator."""
    c = bootstrap()
    try:
        print(c.bus.handle(IssueToken(name, "cli"), SYSTEM)["token"])
    except DomainError as exc:
        fail(exc)
    finally:
        c.close()


@user_app.command("revoke")
def user_revoke(name: str) -> None:
    """Revoke every token of an operator."""
    c = bootstrap()
    try:
        out = c.bus.handle(RevokeTokens(name), SYSTEM)
    except DomainError as exc:
        fail(exc)
    finally:
        c.close()
    print(f"revoked {out['revoked']} token(s) of {name}")


@app.command()
def report(session: Annotated[str, typer.Argument(help="session id, or 'latest'")],
           fmt: Annotated[str, typer.Option("--format", help="html, xlsx, pdf, md or json")]
           = "html",
           out: Annotated[Path, typer.Option(help="directory to write into")] = Path(
               "var/reports")) -> None:
    """Write the post-broadcast review (复盘) of a session."""
    c = bootstrap()
    try:
        with c.read() as conn, conn.begin():
            sid = latest_session(conn) if session == "latest" else session
            data = review(conn, sid, c.clock.now(), c.metrics_cache.segments)
        path = render.write(data, fmt, out, c.settings.timezone, normalise(c.settings.locale))
    except DomainError as exc:
        fail(exc)
    finally:
        c.close()
    print(path)
