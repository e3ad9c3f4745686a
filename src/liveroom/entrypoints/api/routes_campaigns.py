"""The warm-up campaign (预热): configuration, buyers' reservations, the reservation curve,
the invitation PK leaderboard, go-live reminders and channel-exclusive coupon codes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field

from liveroom.adapters.notifications import dispatch
from liveroom.adapters.sql.tracking_repo import TrackingRepo
from liveroom.core.clock import as_aware
from liveroom.core.money import MAX_FEN
from liveroom.entrypoints.api.deps import Buyer, ContainerDep, Operator, Reader
from liveroom.entrypoints.api.schemas import Body, Bounded, Code, Id, Line, LongText, Text
from liveroom.tracking import campaign as rules
from liveroom.tracking.commands import (
    ConfigureCampaign,
    CreateChannelCoupons,
    QueueReminders,
    Reserve,
)

router = APIRouter(tags=["campaign"])


class TeamIn(Bounded):
    name: Id
    captain: Id  # the KOC's buyer id
    members: Annotated[list[Id], Field(max_length=500)] = Field(default_factory=list)


class InviteRewardIn(Bounded):
    invites: Annotated[int, Field(gt=0)]
    reward: Text


class CampaignIn(Body):
    reward_first_n: Annotated[int, Field(ge=0)] = 0
    first_n_reward: Text = ""
    invite_rewards: Annotated[list[InviteRewardIn], Field(max_length=50)] = Field(
        default_factory=list)
    teams: Annotated[list[TeamIn], Field(max_length=200)] = Field(default_factory=list)
    team_prize: Text = ""
    reminder_text: Annotated[LongText, Field(max_length=1000)] = ""


class ReserveIn(Body):
    link_code: Annotated[str, Field(max_length=16), Line] | None = None
    invited_by: Id | None = None


class ReminderIn(Body):
    kind: Code = "go_live"
    text: Annotated[LongText, Field(max_length=1000)] = ""


class ChannelCouponsIn(Body):
    channels: Annotated[list[Code], Field(min_length=1, max_length=50)]
    discount_fen: Annotated[int, Field(gt=0, le=MAX_FEN, strict=True)]
    threshold_fen: Annotated[int, Field(ge=0, le=MAX_FEN, strict=True)] = 0
    total: Annotated[int, Field(gt=0, le=2**31 - 1)] = 100
    override: bool = False
    override_reason: Annotated[str, Field(max_length=200)] = ""


@router.put("/sessions/{sid}/campaign")
def configure(sid: str, body: CampaignIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(ConfigureCampaign(sid, body.model_dump()),  # type: ignore[no-any-return]
                        actor)


@router.get("/sessions/{sid}/campaign")
def campaign(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    repo = TrackingRepo(conn)
    config = repo.campaign(sid)
    facts = _facts(repo, sid)
    by_channel: dict[str, int] = {}
    for f in facts:
        by_channel[f.channel] = by_channel.get(f.channel, 0) + 1
    return {"config": config, "reservations": len(facts), "by_channel": by_channel,
            "curve": rules.reservation_curve(facts),
            "leaderboard": rules.leaderboard(config, facts)}


@router.get("/sessions/{sid}/campaign/leaderboard")
def leaderboard(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    repo = TrackingRepo(conn)
    return rules.leaderboard(repo.campaign(sid), _facts(repo, sid))


@router.post("/sessions/{sid}/reservations")
def reserve(sid: str, body: ReserveIn, c: ContainerDep, buyer: Buyer) -> dict[str, Any]:
    """A buyer's 预约 (idempotent: a second call returns the same rank)."""
    return c.bus.handle(Reserve(sid, buyer, body.link_code, body.invited_by),  # type: ignore[no-any-return]
                        buyer)


@router.post("/sessions/{sid}/reminders")
def remind(sid: str, body: ReminderIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    out: dict[str, Any] = c.bus.handle(QueueReminders(sid, body.kind, body.text), actor)
    out.update(dispatch(c.engine, c.notifier, c.clock, sid))
    return out


@router.post("/sessions/{sid}/campaign/channel-coupons", status_code=201)
def channel_coupons(sid: str, body: ChannelCouponsIn, c: ContainerDep,
                    actor: Operator) -> dict[str, Any]:
    return c.bus.handle(CreateChannelCoupons(sid, **body.model_dump()),  # type: ignore[no-any-return]
                        actor)


def _facts(repo: TrackingRepo, sid: str) -> list[rules.ReservationFact]:
    return [rules.ReservationFact(r.buyer_id, r.channel, as_aware(r.created_at), r.invited_by,
                                  r.team) for r in repo.reservations(sid)]
