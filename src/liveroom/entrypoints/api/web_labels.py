"""What a person reads instead of a code: enum values, error codes, audit actions and
alert kinds become catalogue messages (English ids, translated by web_i18n)."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from liveroom.core.money import fmt_fen
from liveroom.entrypoints.api.web_i18n import DEFAULT, translations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention marks ids for extraction
    return message


LABELS: dict[str, dict[str, str]] = {
    "status": {"planned": N_("Planned"), "rehearsal": N_("Rehearsal"),
               "live": N_("On air"), "ended": N_("Ended")},
    "tier": {"traffic": N_("Traffic item"), "profit": N_("Profit item"),
             "flagship": N_("Flagship item")},
    "coupon": {"threshold": N_("Spend-and-save"), "fixed": N_("Instant discount")},
    "coupon_status": {"draft": N_("Draft"), "issued": N_("Issued"),
                      "paused": N_("Paused"), "ended": N_("Finished")},
    "flash": {"created": N_("Not started"), "live": N_("Selling"),
              "stopped": N_("Paused"), "closed": N_("Finished")},
    "lottery": {"open": N_("Taking entries"), "drawn": N_("Drawn")},
    "lottery_kind": {"lottery": N_("Lucky bag"), "red_packet": N_("Red packet"),
                     "password_red_packet": N_("Password red packet")},
    "alert": {"risk": N_("Risky words"), "negative_surge": N_("Negative comments rising"),
              "flood": N_("Comment flooding"), "viewer_drop": N_("Viewers dropping"),
              "conversion_drop": N_("Conversion dropping"),
              "payment_failure_rate": N_("Payments failing"),
              "cart_failure_rate": N_("Carts not paid")},
    # the one-click answer the console offers next to an alert (metrics.alerts)
    "alert_action": {"lucky_bag": N_("Launch lucky bag"), "coupon": N_("Issue a coupon"),
                     "explain": N_("Explain a traffic item"),
                     "announce": N_("Pin an announcement")},
    "sentiment": {"pos": N_("Positive"), "neu": N_("Neutral"), "neg": N_("Negative")},
    "channel": {"recommendation": N_("Recommendation feed"), "followers": N_("Followers page"),
                "feed_ads": N_("Feed ads"), "kol": N_("Influencer promotion"),
                "community": N_("Community groups"), "sms": N_("Text messages"),
                "official_account": N_("Official account"), "wecom": N_("WeCom"),
                "other": N_("Other")},
    "incident": {"stream_down": N_("Stream down"), "host_change": N_("Host change"),
                 "oversell": N_("Oversold"), "public_opinion": N_("Public opinion"),
                 "payment": N_("Payment trouble"), "other": N_("Other")},
    "severity": {"info": N_("Notice"), "warning": N_("Warning"),
                 "critical": N_("Critical")},
    "intent": {"product_question": N_("Product question"),
               "price_question": N_("Price question"),
               "logistics_question": N_("Delivery question"),
               "aftersales": N_("After-sales"), "purchase_intent": N_("Wants to buy"),
               "complaint": N_("Complaint"), "technical": N_("Cannot pay or order"),
               "chitchat": N_("Chat")},
    "role": {"admin": N_("Administrator"), "host": N_("Host"), "console": N_("Console operator"),
             "ops": N_("Operations"), "cs": N_("Customer service"), "merchant": N_("Merchant"),
             "connector": N_("Platform connector")},
    "segment": {"warmup": N_("Warm-up"), "opening": N_("Opening"),
                "product": N_("Product talk"), "promotion": N_("Promotion peak"),
                "closing": N_("Closing")},
    "funnel": {"impressions": N_("Room impressions"), "enters": N_("Entered the room"),
               "product_impressions": N_("Saw a product"), "clicks": N_("Clicked a product"),
               "carts": N_("Added to cart"), "orders": N_("Placed an order"),
               "paid": N_("Paid")},
}

# The guard's rules and the other refusals an operator meets on the console.
ERRORS: dict[str, str] = {
    "price_below_cost": N_("below cost price"),
    "price_below_floor": N_("below the floor price"),
    "price_drop_too_large": N_("a larger drop than allowed against the list price"),
    "price_digit_slip": N_("about ten times off the planned price (a slipped digit?)"),
    "price_not_positive": N_("the price must be above zero"),
    "invalid_price": N_("not a price in yuan"),
    "override_reason_required": N_("an override needs a reason"),
    "quantity_over_stock": N_("more units than in stock"),
    "invalid_state": N_("not possible in the current state"),
    "session_not_live": N_("the show is not on air"),
    "sku_not_in_lineup": N_("the product is not in the lineup"),
    "sku_not_listed": N_("the product is not listed"),
    "invalid_coupon": N_("the coupon is not valid"),
    "duplicate_coupon_code": N_("the coupon code is taken"),
    "invalid_ladder": N_("the price ladder is not valid"),
    "ladder_finished": N_("the ladder has no steps left"),
    "invalid_lottery": N_("the lucky bag is not valid"),
    "lottery_already_drawn": N_("already drawn"),
    "lottery_still_open": N_("still taking entries"),
    "question_card_not_found": N_("the question is gone"),
    "comment_not_found": N_("the comment is gone"),
    "reply_empty": N_("a reply needs words"),
    "reply_too_long": N_("a reply has at most 200 characters"),
    "alert_not_found": N_("the alert is gone"),
    "incident_not_found": N_("the incident is gone"),
    "incident_resolved": N_("the incident is resolved already"),
    "unknown_kind": N_("not a known kind of incident"),
    "csrf_failed": N_("the form did not come from this console; reload the page"),
    "forbidden": N_("your role may not do this"),
    "invalid": N_("the input is not valid"),
    "conflict": N_("not possible in the current state"),
    "not_found": N_("not found"),
}

AUDIT: dict[str, str] = {
    "console.price": N_("%(who)s changed the price of %(item)s %(before)s → %(after)s"),
    "console.list": N_("%(who)s listed %(item)s"),
    "console.unlist": N_("%(who)s unlisted %(item)s"),
    "console.explain": N_("%(who)s started explaining %(item)s"),
    "console.announce": N_("%(who)s pinned an announcement"),
    "console.coupon.create": N_("%(who)s created a coupon"),
    "console.flash_sale.create": N_("%(who)s created a flash sale for %(item)s"),
    "console.flash_sale.start": N_("%(who)s started a flash sale"),
    "console.flash_sale.stop": N_("%(who)s paused a flash sale"),
    "console.flash_sale.close": N_("%(who)s closed a flash sale"),
    "console.ladder.create": N_("%(who)s set a price ladder for %(item)s"),
    "comments.mute": N_("%(who)s muted a viewer"),
    "comments.ban": N_("%(who)s banned a viewer"),
    "comments.hide": N_("%(who)s hid a comment"),
    "comments.ticket": N_("%(who)s opened an after-sales ticket"),
    "comments.card.answer": N_("%(who)s marked a question answered"),
    "comments.card.dismiss": N_("%(who)s dismissed a question"),
    "incident.open": N_("%(who)s opened an incident"),
    "incident.resolve": N_("%(who)s resolved an incident"),
    "comments.reply": N_("%(who)s replied to a comment in the room"),
    "alert.acknowledge": N_("%(who)s acknowledged an alert"),
    "session.create": N_("%(who)s created the show"),
    "session.lineup": N_("%(who)s set the lineup"),
    "session.segments": N_("%(who)s set the run-of-show"),
    "checklist.tick": N_("%(who)s ticked the pre-show checklist"),
    "session.rehearse": N_("%(who)s started the rehearsal"),
    "session.start": N_("%(who)s went on air"),
    "session.end": N_("%(who)s ended the show"),
}


def _tr(ctx: Context) -> Any:
    return translations(str(ctx.get("locale") or DEFAULT))


@pass_context
def label(ctx: Context, value: Any, group: str) -> str:
    """An enum value in words; an unknown value says so rather than showing the code."""
    msgid = LABELS.get(group, {}).get(str(getattr(value, "value", value)))
    return str(_tr(ctx).gettext(msgid or N_("Other")))


@pass_context
def refusal(ctx: Context, error: Any, product: str = "") -> str:
    """A refused action in words: the product, then every rule it broke."""
    tr = _tr(ctx)
    codes = [v.get("code") for v in (error.details or {}).get("violations", [])] or [error.code]
    generic = {404: "not_found", 403: "forbidden", 409: "conflict"}.get(error.status, "invalid")
    rules = "；".join(tr.gettext(ERRORS.get(c or "", ERRORS[generic])) for c in codes)
    name = product or (error.details or {}).get("product") or ""
    if name:
        return str(tr.gettext(N_("%(item)s: refused, %(rules)s")) % {"item": name, "rules": rules})
    return str(tr.gettext(N_("Refused: %(rules)s")) % {"rules": rules})


@pass_context
def audit_line(ctx: Context, a: dict[str, Any], names: dict[str, str]) -> str:
    """'陈 把 空气炸锅 改价 ¥329.00 → ¥298.70': an audit row as a sentence."""
    tr = _tr(ctx)
    action = str(a.get("action", ""))
    template = AUDIT.get(action) or AUDIT.get(action.rsplit(".", 1)[0]) or N_(
        "%(who)s made a change")
    before, after = a.get("before") or {}, a.get("after") or {}
    text = str(tr.gettext(template)) % {
        "who": a.get("actor_name", ""), "item": names.get(str(a.get("target")), ""),
        "before": _money(before), "after": _money(after)}
    reason = after.get("reason") if isinstance(after, dict) else None
    return f"{text}（{reason}）" if reason else text


def _money(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("price_fen"), int):
        return fmt_fen(value["price_fen"])
    return ""
