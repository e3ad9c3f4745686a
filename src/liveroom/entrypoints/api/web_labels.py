"""What a person reads instead of a code: enum values, error codes, audit actions and
alert kinds become catalogue messages (English ids, translated by web_i18n)."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from liveroom.core.i18n import DEFAULT, N_, translations
from liveroom.core.money import fmt_fen

LABELS: dict[str, dict[str, str]] = {
    "score_part": {"conversion": N_("Conversion"), "returns": N_("Returns"),
                   "repurchase": N_("Repurchase"), "margin": N_("Margin"),
                   "supply": N_("Supply")},
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
    "segment": {"warmup": N_("Warm-up segment"), "opening": N_("Opening"),
                "product": N_("Product talk"), "promotion": N_("Promotion peak"),
                "closing": N_("Closing")},
    "checklist": {"devices": N_("Devices"), "sound": N_("Sound"), "picture": N_("Picture"),
                  "network": N_("Network"), "order_flow": N_("Order and payment flow"),
                  "platform_approval": N_("Platform approval of the products")},
    "contingency": {"equipment_failure": N_("Equipment failure"),
                    "out_of_stock": N_("Out of stock"), "slip_of_tongue": N_("Slip of the tongue")},
    "loop": {"explain": N_("Explain"), "engage": N_("Engage"), "close": N_("Close the sale")},
    "fabe": {"feature": N_("Feature"), "advantage": N_("Advantage"), "benefit": N_("Benefit"),
             "evidence": N_("Evidence")},
    "order_status": {"reserved": N_("Awaiting payment"), "paid": N_("Order paid"),
                     "expired": N_("Order expired"), "cancelled": N_("Order cancelled"),
                     "refunded": N_("Order refunded")},
    "funnel": {"impressions": N_("Room impressions"), "enters": N_("Entered the room"),
               "product_impressions": N_("Saw a product"), "clicks": N_("Clicked a product"),
               "carts": N_("Added to cart"), "orders": N_("Placed an order"),
               "paid": N_("Paid")},
}

# The warm-up page (预热) and the viewer pages: tasks, their states, traffic channels.
LABELS.update({
    "warmup_task": {"short_video": N_("Warm-up short video published"),
                    "reservation_links": N_("Reservation links and QR codes sent out"),
                    "ads_placed": N_("Ads placed"),
                    "ads_running": N_("Ads running and spending"),
                    "preview_loop": N_("Preview loop playing")},
    "warmup_state": {"done": N_("Done"), "done_late": N_("Done late"),
                     "overdue": N_("Overdue"), "due_now": N_("Due now"),
                     "upcoming": N_("Upcoming")},
    "channel": {"recommendation": N_("Recommendation feed"), "followers": N_("Followers"),
                "feed_ads": N_("Feed ads"), "kol": N_("Influencer promotion"),
                "community": N_("Community groups"), "sms": N_("SMS"),
                "official_account": N_("Official account"), "wecom": N_("WeCom"),
                "other": N_("Other")},
    "link_kind": {"reservation": N_("Reservation page"), "live": N_("Live room")},
})

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
    "session_not_rehearsing": N_("test orders are placed during the rehearsal"),
    "not_a_test_order": N_("not a test order"),
    "segments_overlap": N_("two segments overlap"),
    "segment_past_end": N_("a segment ends after the show"),
    "duplicate_sku": N_("the product is in the lineup already"),
    "sku_not_found": N_("unknown product"),
    "invalid_time": N_("not a date and time"),
    "invalid_number": N_("not a whole number"),
    "invalid_duration": N_("the length must be between 10 minutes and 24 hours"),
    "unknown_checklist_item": N_("not a checklist item"),
    "out_of_stock": N_("out of stock"),
    "payment_failed": N_("the payment failed"),
    "refund_failed": N_("the refund failed"),
    "refund_exceeds_paid": N_("more than was paid"),
    "invalid_order_state": N_("the order changed meanwhile"),
    "csrf_failed": N_("the form did not come from this console; reload the page"),
    "forbidden": N_("your role may not do this"),
    "invalid": N_("the input is not valid"),
    "conflict": N_("not possible in the current state"),
    "not_found": N_("not found"),
    "unknown_channel": N_("not a known channel"),
    "unknown_warmup_task": N_("not a known warm-up task"),
    # the catalogue page's forms and its spreadsheet
    "duplicate_sku_code": N_("the SKU code is taken"),
    "invalid_merchant": N_("a merchant's name has at most 100 characters"),
    "invalid_tier": N_("not a known tier"),
    "invalid_stock": N_("not a stock count"),
    "invalid_cost": N_("not a cost in yuan"),
    "stock_changed": N_("the stock changed meanwhile; reload and try again"),
    "invalid_sheet": N_("not an XLSX workbook"),
    "sheet_too_large": N_("the file is too large (at most 5 MB and 5,000 rows)"),
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
    "session.update": N_("%(who)s edited the show's details"),
    "session.contingency": N_("%(who)s set the contingency scripts"),
    "rehearsal.test_order": N_("%(who)s placed a test order"),
    "rehearsal.test_pay": N_("%(who)s paid a test order"),
    "orders.refund": N_("%(who)s refunded an order"),
    "session.lineup": N_("%(who)s set the lineup"),
    "session.segments": N_("%(who)s set the run-of-show"),
    "checklist.tick": N_("%(who)s ticked the pre-show checklist"),
    "campaign.warmup_tick": N_("%(who)s ticked a warm-up task"),
    "campaign.link": N_("%(who)s made a tracked link"),
    "session.rehearse": N_("%(who)s started the rehearsal"),
    "session.start": N_("%(who)s went on air"),
    "session.end": N_("%(who)s ended the show"),
    "console.price_override": N_("%(who)s overrode the price guard for %(item)s"),
    "comments.lottery.create": N_("%(who)s started a lucky bag"),
    "comments.lottery.draw": N_("%(who)s drew the lucky bag's winners"),
    "comments.faq": N_("%(who)s updated the answers to frequent questions"),
    "comments.autoreply": N_("%(who)s changed the automatic replies"),
    "liveops.carts": N_("%(who)s reached out to buyers with unpaid carts"),
    "campaign.configure": N_("%(who)s set up the warm-up campaign"),
    "orders.shipping": N_("%(who)s updated an order's shipping"),
    "orders.oversell_remedy": N_("%(who)s made up for an oversold order"),
    "orders.contact_read": N_("%(who)s read a buyer's contact details"),
    "orders.contact_list": N_("%(who)s listed orders with the buyers' contact details"),
    "orders.export": N_("%(who)s downloaded orders with the buyers' contact details"),
    "fulfilment.ship_by": N_("%(who)s set an order's ship-by date"),
    # after-sales (售后): the buyer's request by its kind; a decision with the money it moved
    "aftersales.request": N_("%(who)s asked for after-sales service"),
    "aftersales.request.refund_only": N_("%(who)s asked for a refund of %(amount)s"),
    "aftersales.request.return": N_("%(who)s asked to return the goods for %(amount)s"),
    "aftersales.request.exchange": N_("%(who)s asked for an exchange"),
    "aftersales.approve": N_("%(who)s approved an after-sales request"),
    "aftersales.approve.refund": N_("%(who)s approved an after-sales request and refunded "
                                    "%(amount)s"),
    "aftersales.reject": N_("%(who)s turned down an after-sales request"),
    "aftersales.receive": N_("%(who)s received the returned goods"),
    "aftersales.receive.refund": N_("%(who)s received the returned goods and refunded "
                                    "%(amount)s"),
    "aftersales.answer": N_("%(who)s answered a buyer's after-sales request"),
}
# Who acted, when it is not an operator by name: the rules (自动通过) or a buyer, whose
# platform id is not for a page.
PARTIES = {"system": N_("The system"), "buyer": N_("A buyer")}


# The plan checker's warnings in words; the numbers and names come from its params.
PLAN_WARNINGS: dict[str, str] = {
    "slot_off_peak": N_("The show starts at %(time)s, outside the traffic peaks "
                        "(12:00–14:00 and 18:00–22:00)."),
    "empty_lineup": N_("The lineup has no products yet."),
    "no_run_of_show": N_("The run-of-show has no segments yet."),
    "no_traffic_item_opening": N_("No traffic item in the first %(minutes)s minutes: open "
                                  "with a cheap flash-sale item while the traffic peaks."),
    "flagship_too_early": N_("Flagship item “%(name)s” in the first %(minutes)s minutes: "
                             "bring it on after the opening."),
    "product_segment_too_long": N_("“%(name)s” is explained for %(minutes)s minutes, more "
                                   "than %(max)s."),
    "loop_incomplete": N_("“%(name)s” misses %(steps)s of the explain → engage → close "
                          "loop."),
    "giveaway_gap": N_("From minute %(start)s to %(end)s, %(minutes)s minutes without a new "
                       "giveaway or price anchor (at most %(max)s)."),
    "profit_item_first": N_("The first product shown, “%(name)s”, is a profit item: lead "
                            "with traffic items, profit items mid-show."),
    "contingency_missing": N_("No contingency script for: %(kinds)s."),
    "live_price_below_cost": N_("“%(name)s”: live price %(price)s is below cost %(cost)s."),
    "flash_quantity_over_stock": N_("“%(name)s”: flash-sale quantity %(quantity)s is above "
                                    "the stock of %(stock)s."),
    "missing_qualification": N_("“%(name)s”: a %(category)s product without qualification "
                                "documents."),
    "unknown_sku": N_("A product of the lineup is no longer in the catalogue."),
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


def _audit_key(action: str, after: dict[str, Any]) -> str:
    """The AUDIT key of a row: after-sales rows say which request and whether money moved."""
    if action == "aftersales.request":
        return f"{action}.{after.get('kind')}"
    if action in ("aftersales.approve", "aftersales.receive") and after.get("refunded_fen"):
        return f"{action}.refund"
    return action


@pass_context
def audit_line(ctx: Context, a: dict[str, Any], names: dict[str, str]) -> str:
    """'陈 把 空气炸锅 改价 ¥329.00 → ¥298.70': an audit row as a sentence."""
    tr = _tr(ctx)
    action = str(a.get("action", ""))
    before, after = a.get("before") or {}, a.get("after") or {}
    after = after if isinstance(after, dict) else {}
    key = _audit_key(action, after)
    template = AUDIT.get(key) or AUDIT.get(key.rsplit(".", 1)[0]) or N_(
        "%(who)s made a change")
    party = PARTIES.get(str(a.get("actor_id"))) or PARTIES.get(str(a.get("actor_role")))
    amount = after.get("refunded_fen") or after.get("amount_fen")
    text = str(tr.gettext(template)) % {
        "who": tr.gettext(party) if party else a.get("actor_name", ""),
        "item": names.get(str(a.get("target")), ""),
        "before": _money(before), "after": _money(after),
        "amount": fmt_fen(amount) if isinstance(amount, int) else ""}
    reason = after.get("reason") or (after.get("decision_note")
                                     if action == "aftersales.reject" else None)
    return f"{text}（{reason}）" if reason else text


def _money(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("price_fen"), int):
        return fmt_fen(value["price_fen"])
    return ""


@pass_context
def plan_warning(ctx: Context, w: dict[str, Any]) -> str:
    """A plan checker warning as a sentence; lists (steps, kinds) in words too."""
    tr = _tr(ctx)
    p = dict(w.get("params") or {})
    sep = "、" if str(ctx.get("locale") or DEFAULT) != "en" else ", "
    for key, group in (("missing", "loop"), ("kinds", "contingency")):
        if key in p:
            p["steps" if key == "missing" else key] = sep.join(
                str(tr.gettext(LABELS[group].get(str(v), N_("Other")))) for v in p[key])
    for key in ("price_fen", "cost_fen"):
        if key in p:
            p[key.removesuffix("_fen")] = fmt_fen(int(p[key]))
    template = PLAN_WARNINGS.get(str(w.get("code")))
    if template is None:
        return str(tr.gettext(N_("The plan breaks a rule of the handbook.")))
    return str(tr.gettext(template)) % p
