"""会员优先购 and 会员专享券 as rules: a flash sale's member window before it opens to
everyone, who may buy in it, and who may claim a member coupon. Pure: no I/O."""

from __future__ import annotations

from datetime import datetime, timedelta

from liveroom.core.errors import DomainError, Invalid
from liveroom.crm.model import TierRules

MAX_WINDOW_MINUTES = 24 * 60


class MembersOnly(DomainError):
    """A coupon (or another benefit) only some members may take."""

    status = 403
    code = "members_only"


def members_from(rules: TierRules, tier: str | None, minutes: int,
                 starts_at: datetime | None) -> datetime | None:
    """When the member window of a sale opening at `starts_at` begins; None without one.
    A window needs a scheduled opening (the hour everyone else waits for)."""
    if tier is None and not minutes:
        return None
    if tier is None:
        raise Invalid("a member window needs priority_tier", code="priority_tier_required",
                      field="priority_tier")
    rules.rank(tier)
    if starts_at is None:
        raise Invalid("a member window needs starts_at: the moment the sale opens to everyone",
                      code="priority_needs_schedule", field="starts_at")
    if not 1 <= minutes <= MAX_WINDOW_MINUTES:
        raise Invalid(f"priority_minutes must be 1–{MAX_WINDOW_MINUTES}",
                      code="invalid_priority_window", field="priority_minutes")
    return starts_at - timedelta(minutes=minutes)


def tier_at_least(rules: TierRules, tier: str | None, required: str) -> bool:
    return tier is not None and rules.rank(tier) >= rules.rank(required)


def may_buy_early(rules: TierRules, tier: str | None, required: str | None,
                  window_from: datetime | None, opens_at: datetime | None,
                  now: datetime) -> bool:
    """Inside [window_from, opens_at) a buyer of the required tier or higher may buy."""
    if required is None or window_from is None or opens_at is None:
        return False
    return window_from <= now < opens_at and tier_at_least(rules, tier, required)


def check_coupon_audience(rules: TierRules, tier: str | None, segment: str | None,
                          min_tier: str | None, want_segment: str | None) -> None:
    """Raises MembersOnly unless the buyer is in the coupon's audience."""
    if min_tier is not None and not tier_at_least(rules, tier, min_tier):
        raise MembersOnly(f"this coupon is for {rules.label(min_tier)} members and above",
                          min_tier=min_tier)
    if want_segment is not None and segment != want_segment:
        raise MembersOnly("this coupon is for another member segment", segment=want_segment)
