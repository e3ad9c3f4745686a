"""Wiring of outreach: one notifier for the whole container, a router over the channels
configured by LIVEROOM_* settings (adapters/notifications_http.py), the log by default."""

from __future__ import annotations

import httpx

from liveroom.adapters.notifications import ChannelRouter
from liveroom.adapters.notifications_http import OutreachSettings, configured_channels
from liveroom.outreach.model import RetryPolicy, Routing
from liveroom.runtime import Core


def build_notifier(s: OutreachSettings, client: httpx.Client) -> ChannelRouter:
    return ChannelRouter(
        configured_channels(s, client),
        policy=RetryPolicy(max_attempts=s.notify_max_attempts, backoff_s=s.notify_backoff_s),
        routing=Routing(s.notify_buyer_channel, s.notify_ops_channel))


def wire_outreach(c: Core) -> ChannelRouter:
    s = OutreachSettings()
    client = httpx.Client(timeout=s.notify_timeout_s)

    async def close_client() -> None:
        client.close()
    c.lifecycle.shutdown.append(close_client)
    return build_notifier(s, client)
