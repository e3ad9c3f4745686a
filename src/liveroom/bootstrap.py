"""The composition root: builds the engine, unit of work, buses and every domain's ports.

Two steps. `Core` holds what every domain's wiring needs (settings, clock, engine, buses,
the optional Redis client and the start/stop hooks). Each domain's `wiring.py` takes the
core and returns its typed ports; `Container` is the core plus those ports, and it is what
routes, the CLI and tests receive. Nothing is looked up by name."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from liveroom.adapters.notifications import ChannelRouter
from liveroom.adapters.payments import PaymentProvider
from liveroom.adapters.redis.tracking_stream import TrackingStream
from liveroom.adapters.replay_guard import build_replay_guard
from liveroom.aftersales.wiring import SlaWatch, wire_aftersales
from liveroom.catalog.wiring import install as install_catalog
from liveroom.comments.ports import CommentLog
from liveroom.comments.rooms import Rooms
from liveroom.comments.wiring import wire_comments
from liveroom.comments.worker import CommentPipeline
from liveroom.config import Settings, get_settings
from liveroom.connectors.replies import ReplyHub
from liveroom.connectors.webhook import ReplayGuard
from liveroom.console.ports import Broadcaster
from liveroom.console.wiring import wire_live
from liveroom.core.clock import Clock, SystemClock
from liveroom.core.ratelimit import Limits, RateLimiter
from liveroom.crm.early_access import EarlyAccess
from liveroom.crm.wiring import install as install_members
from liveroom.fulfilment.wiring import wire_fulfilment
from liveroom.identity.wiring import install as install_limits
from liveroom.inventory.ledger import StockLedger
from liveroom.liveops.wiring import install_liveops
from liveroom.metrics.views import MetricsCache
from liveroom.metrics.wiring import wire_alerts
from liveroom.orders.wiring import BackgroundWork, wire_orders
from liveroom.outreach.wiring import wire_outreach
from liveroom.runtime import Core, build_core
from liveroom.tracking.wiring import install as install_tracking


@dataclass
class Container(Core):
    limiter: RateLimiter
    limits: Limits
    metrics_cache: MetricsCache
    notifier: ChannelRouter  # the one notification port: log, SMS, 企业微信, 公众号
    tracking_stream: TrackingStream | None
    campaign_worker: ThreadPoolExecutor
    stock: StockLedger
    payments: PaymentProvider
    order_work: BackgroundWork
    comment_rooms: Rooms
    comment_pipeline: CommentPipeline
    comment_replies: ReplyHub
    comment_log: CommentLog  # the embedded pipeline, or the Redis Streams log (comments/)
    webhook_replays: ReplayGuard
    broadcaster: Broadcaster
    sla_watch: SlaWatch
    early_access: EarlyAccess  # 会员优先购, asked by the flash purchase before the ledger

    def close(self) -> None:
        self.engine.dispose()
        if self.redis is not None:
            self.redis.close()


def bootstrap(settings: Settings | None = None, clock: Clock | None = None,
              run_migrations: bool = True) -> Container:
    core = build_core(settings or get_settings(), clock or SystemClock(), run_migrations)
    limiter, limits = install_limits(core)  # rate limits: sign-in, purchases, orders, comments
    install_catalog(core)  # observed product history after shows and refunds
    notifier = wire_outreach(core)  # the channels configured by LIVEROOM_*, else the log
    tracking = install_tracking(core, notifier)  # metrics cache, tracking stream, reminders
    orders = wire_orders(core, notifier)  # stock ledger, payments, the sweeper
    wire_fulfilment(core)  # ship-by dates and shipping moves
    comments = wire_comments(core)  # comment pipeline and rooms
    sla_watch = wire_aftersales(core, orders.payments)  # after-sales and the SLA breach job
    broadcaster = wire_live(core)  # change notices for open consoles and big screens
    wire_alerts(core, tracking.metrics_cache)  # stored metric alerts, acks, comment replies
    # carts, host sync: after the live feed it notifies
    install_liveops(core, broadcaster, tracking.campaign_worker, notifier)
    members = install_members(core, notifier)  # points, prices, reminders
    return Container(
        **vars(core), limiter=limiter, limits=limits,
        metrics_cache=tracking.metrics_cache, notifier=notifier,
        tracking_stream=tracking.stream, campaign_worker=tracking.campaign_worker,
        stock=orders.stock, payments=orders.payments, order_work=orders.work,
        comment_rooms=comments.rooms, comment_pipeline=comments.pipeline,
        comment_replies=comments.replies, comment_log=comments.log,
        webhook_replays=build_replay_guard(core.engine, core.redis),
        broadcaster=broadcaster, sla_watch=sla_watch, early_access=members.early_access)
