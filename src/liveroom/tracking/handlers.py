"""Handlers: ingest tracking batches, create tracked links, run the warm-up campaign."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from liveroom.adapters.sql.tracking_repo import TrackingRepo
from liveroom.console.commands import CreateCoupon
from liveroom.console.handlers import create_coupon
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid, NotFound
from liveroom.core.ids import new_id
from liveroom.planning.model import Status
from liveroom.tracking import campaign as rules
from liveroom.tracking.channels import CHANNELS, channel_for_utm, tagged_url, utm_for
from liveroom.tracking.commands import (
    ConfigureCampaign,
    CreateChannelCoupons,
    CreateLink,
    IngestEvents,
    QueueReminders,
    RecordVisit,
    Reserve,
    TickWarmupTask,
)
from liveroom.tracking.model import (
    MAX_BATCH,
    SERVER_SOURCE,
    UTM_FIELDS,
    VIEWER_PAGES,
    Rejection,
    TrackingEvent,
    page_view_fact,
    validate_batch,
)
from liveroom.tracking.warmup import TASK_KEYS

_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o/1/l: people type these


@dataclass(frozen=True)
class IngestResult:
    stored: list[TrackingEvent]
    duplicates: list[str]
    rejected: list[Rejection]

    def to_json(self) -> dict[str, Any]:
        return {"accepted": len(self.stored), "duplicates": len(self.duplicates),
                "rejected": [r.to_json() for r in self.rejected],
                "duplicate_ids": self.duplicates[:100]}


def require_open_log(session: Any, now: datetime, grace: timedelta) -> None:
    """Events are taken while the show is live, or within `grace` after it ended (a late
    client batch); before and after that the show's figures cannot be changed."""
    if session.status == Status.LIVE:
        return
    if (session.status == Status.ENDED and session.ended_at is not None
            and now <= session.ended_at + grace):
        return
    raise Conflict("tracking events are accepted only while the show is live (and shortly "
                   "after it ends)", code="session_not_live", session_status=session.status.value)


def sender_of(actor: Any) -> str:
    return f"{actor.role.value}:{actor.id}"


def ingest(cmd: IngestEvents, uow: Any, ctx: Context) -> IngestResult:
    if not isinstance(cmd.events, list) or not 1 <= len(cmd.events) <= MAX_BATCH:
        raise Invalid(f"events: a list of 1–{MAX_BATCH} events", code="invalid_batch",
                      field="events")
    session = uow.sessions.get(cmd.session_id)
    now = ctx.clock.now()
    require_open_log(session, now, timedelta(seconds=ctx.settings.tracking_grace_seconds))
    repo = TrackingRepo(uow.conn)
    valid, rejected = validate_batch(cmd.events, cmd.session_id, now,
                                     repo.lineup_skus(cmd.session_id))
    if rejected and cmd.atomic:
        raise Invalid(f"{len(rejected)} of {len(cmd.events)} events are invalid; none stored",
                      code="batch_rejected", rejected=[r.to_json() for r in rejected])
    inserted = repo.add_events(valid, now, sender_of(ctx.actor))
    uow.commit()
    stored = [e for e in valid if e.event_id in inserted]
    dupes = [e.event_id for e in valid if e.event_id not in inserted]
    return IngestResult(stored, dupes, rejected)


def create_link(cmd: CreateLink, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(Status.PLANNED, Status.REHEARSAL, Status.LIVE)
    if cmd.channel not in CHANNELS:
        raise Invalid(f"channel must be one of {sorted(CHANNELS)}", code="unknown_channel",
                      field="channel")
    if cmd.kind not in ("live", "reservation"):
        raise Invalid("kind is live or reservation", field="kind")
    if cmd.spend_fen < 0:
        raise Invalid("spend cannot be negative", field="spend_fen")
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    utm = utm_for(cmd.channel, cmd.campaign or f"live_{session.id[-8:]}", cmd.koc or "")
    path = "reserve" if cmd.kind == "reservation" else "live"
    url = tagged_url(f"{cmd.base_url}{path}/{session.id}", utm, lc=code)
    link = {"id": new_id(), "code": code, "session_id": session.id, "kind": cmd.kind,
            "channel": cmd.channel, "koc": cmd.koc, "team": cmd.team, "utm": utm, "url": url,
            "spend_fen": cmd.spend_fen, "coupon_code": cmd.coupon_code,
            "created_by": ctx.actor.name, "created_at": ctx.clock.now()}
    TrackingRepo(uow.conn).add_link(link)
    uow.audit.record(ctx.actor, "campaign.link", session_id=session.id, target=code,
                     after={"channel": cmd.channel, "kind": cmd.kind, "koc": cmd.koc,
                            "spend_fen": cmd.spend_fen})
    uow.commit()
    return link_json(link)


def link_json(link: Any) -> dict[str, Any]:
    data = dict(link) if isinstance(link, dict) else dict(link._mapping)
    data["created_at"] = data["created_at"].isoformat()
    return data


def configure(cmd: ConfigureCampaign, uow: Any, ctx: Context) -> dict[str, Any]:
    uow.sessions.get(cmd.session_id)
    config = rules.validate_config(dict(cmd.config))
    TrackingRepo(uow.conn).save_campaign(cmd.session_id, config, ctx.clock.now())
    uow.audit.record(ctx.actor, "campaign.configure", session_id=cmd.session_id,
                     after=config)
    uow.commit()
    return config


def reserve(cmd: Reserve, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(Status.PLANNED, Status.REHEARSAL, Status.LIVE)
    repo = TrackingRepo(uow.conn)
    config = repo.campaign(cmd.session_id)
    channel, team, inviter = "other", None, cmd.invited_by
    if cmd.link_code:
        link = repo.link(cmd.link_code)
        if link.session_id != cmd.session_id:
            raise NotFound("that link belongs to another session", code="link_not_found")
        channel, team, inviter = link.channel, link.team, inviter or link.koc
    if inviter == cmd.buyer_id:
        inviter = None  # inviting yourself earns nothing
    if team is None and inviter:
        prior = repo.reservation(cmd.session_id, inviter)
        team = (prior.team if prior is not None else None) or rules.team_of_captain(
            config, inviter)
    created = repo.reserve({"session_id": cmd.session_id, "buyer_id": cmd.buyer_id,
                            "channel": channel, "link_code": cmd.link_code,
                            "invited_by": inviter, "team": team,
                            "created_at": ctx.clock.now()})
    row = repo.reservation(cmd.session_id, cmd.buyer_id)
    rank = repo.reservation_rank(cmd.session_id, row.seq)
    invites = repo.invites(cmd.session_id, cmd.buyer_id)
    uow.commit()
    return {"reserved": True, "created": created, "rank": rank, "channel": row.channel,
            "team": row.team, "invites": invites,
            "rewards": rules.rewards_for(config, rank, invites)}


def record_visit(cmd: RecordVisit, uow: Any, ctx: Context) -> dict[str, Any]:
    """Tag a viewer page's visit with its link and UTM: a known link's channel wins over the
    query string (people share links, and edit them); an unknown code counts as no link."""
    if cmd.page not in VIEWER_PAGES:
        raise Invalid(f"page is one of {VIEWER_PAGES}", field="page")
    session = uow.sessions.get(cmd.session_id)
    repo = TrackingRepo(uow.conn)
    utm = {k: v for k, v in cmd.utm.items() if k in UTM_FIELDS and isinstance(v, str)}
    link = repo.links_by_code([cmd.link_code]) if cmd.link_code else []
    link_code = None
    if link and link[0].session_id == session.id:
        link_code, utm = link[0].code, dict(link[0].utm)
    channel = (link[0].channel if link_code else
               channel_for_utm(utm.get("utm_source", "")) or "other")
    event = page_view_fact(session.id, cmd.visitor, cmd.page, channel, utm, link_code,
                           ctx.clock.now())
    fresh = repo.add_events([event], ctx.clock.now(), SERVER_SOURCE)
    uow.commit()
    return {"recorded": bool(fresh), "channel": channel, "link_code": link_code}


def tick_warmup(cmd: TickWarmupTask, uow: Any, ctx: Context) -> dict[str, Any]:
    if cmd.task not in TASK_KEYS:
        raise Invalid(f"task is one of {sorted(TASK_KEYS)}", code="unknown_warmup_task",
                      field="task")
    session = uow.sessions.get(cmd.session_id)
    session.require(Status.PLANNED, Status.REHEARSAL, Status.LIVE)
    repo = TrackingRepo(uow.conn)
    before = repo.warmup_ticks(session.id).get(cmd.task)
    now = ctx.clock.now()
    if cmd.done:
        repo.tick_warmup(session.id, cmd.task, ctx.actor.name, now, cmd.note)
    else:
        repo.untick_warmup(session.id, cmd.task)
    uow.audit.record(ctx.actor, "campaign.warmup_tick", session_id=session.id, target=cmd.task,
                     before={"done_by": before.done_by} if before else None,
                     after={"done": cmd.done, "note": cmd.note})
    uow.commit()
    return {"task": cmd.task, "done": cmd.done, "done_by": ctx.actor.name if cmd.done else None,
            "done_at": now.isoformat() if cmd.done else None}


def queue_reminders(cmd: QueueReminders, uow: Any, ctx: Context) -> dict[str, Any]:
    """Queue one message per reserved buyer; a second call queues nobody twice."""
    session = uow.sessions.get(cmd.session_id)
    repo = TrackingRepo(uow.conn)
    text = cmd.text or repo.campaign(cmd.session_id).get(
        "reminder_text", f"您预约的直播「{session.title}」开播啦，点击进入直播间领专属福利！")
    now = ctx.clock.now()
    queued = repo.queue_messages(
        {"id": new_id(), "session_id": session.id, "buyer_id": r.buyer_id, "kind": cmd.kind,
         "channel": r.channel, "text": text, "status": "queued", "created_at": now}
        for r in repo.reservations(session.id))
    uow.commit()
    return {"queued": queued}


def channel_coupons(cmd: CreateChannelCoupons, uow: Any, ctx: Context) -> dict[str, Any]:
    """Exclusive coupon codes per channel (渠道专属券), made with the console's coupons."""
    unknown = [c for c in cmd.channels if c not in CHANNELS]
    if unknown or not cmd.channels:
        raise Invalid(f"unknown channels {unknown}", code="unknown_channel", field="channels")
    out = []
    kind = "threshold" if cmd.threshold_fen else "fixed"
    for channel in cmd.channels:
        code = f"{channel[:4].upper()}{''.join(secrets.choice(_CODE_ALPHABET) for _ in range(6))}"
        made = create_coupon(CreateCoupon(
            session_id=cmd.session_id, name=f"{CHANNELS[channel].zh}专属券", kind=kind,
            discount_fen=cmd.discount_fen, threshold_fen=cmd.threshold_fen, total=cmd.total,
            channel=channel, code=code.upper(), issue_now=True, override=cmd.override,
            override_reason=cmd.override_reason), uow, ctx)
        out.append({"channel": channel, "coupon_id": made["id"], "code": code.upper()})
    # create_coupon commits each coupon (with its audit row); the connection begins a new
    # transaction for the next one, so a failure leaves the earlier channels' codes intact.
    return {"coupons": out}


HANDLERS = {IngestEvents: ingest, CreateLink: create_link, ConfigureCampaign: configure,
            Reserve: reserve, QueueReminders: queue_reminders, RecordVisit: record_visit,
            CreateChannelCoupons: channel_coupons, TickWarmupTask: tick_warmup}
