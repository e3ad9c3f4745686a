"""Editing a planned session: title, theme, slot, duration, targets (with per-SKU sales
targets naming catalogue SKUs) and the channel budget (known channels only). Audited with
the fields before and after; once rehearsal starts the plan is fixed."""

from __future__ import annotations

from typing import Any

from liveroom.catalog.edit import changes, given
from liveroom.core.bus import Context
from liveroom.core.clock import utc
from liveroom.core.errors import Invalid
from liveroom.planning.commands import SetContingency, UpdateSession
from liveroom.planning.model import (
    CONTINGENCY_KINDS,
    Status,
    validate_segments,
    validate_session_fields,
)
from liveroom.tracking.channels import CHANNELS

FIELDS = ("title", "theme", "scheduled_start", "duration_minutes", "targets", "sku_targets",
          "channel_budget")


def update_session(cmd: UpdateSession, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id, lock=True)
    session.require(Status.PLANNED)
    new = given(cmd, FIELDS)
    if "title" in new and not new["title"].strip():
        raise Invalid("title cannot be empty", field="title")
    if "scheduled_start" in new:
        new["scheduled_start"] = utc(new["scheduled_start"])
    validate_session_fields(new.get("duration_minutes", session.duration_minutes),
                            new.get("targets", {}))
    unknown = sorted(set(new.get("channel_budget", {})) - set(CHANNELS))
    if unknown:
        raise Invalid(f"unknown channels: {', '.join(unknown)}; one of {sorted(CHANNELS)}",
                      code="unknown_channel", field="channel_budget", channels=unknown)
    if any(v < 0 for v in new.get("channel_budget", {}).values()):
        raise Invalid("a budget cannot be negative", field="channel_budget")
    _check_sku_targets(uow, new.get("sku_targets", {}))
    if "duration_minutes" in new:  # the run-of-show must still fit the shorter show
        validate_segments(uow.sessions.segments(session.id), new["duration_minutes"])
    old = {k: getattr(session, k) for k in FIELDS}
    before, after = changes(old, new)
    for key, value in after.items():
        setattr(session, key, value)
    if after:
        uow.sessions.save(session)
        uow.audit.record(ctx.actor, "session.update", session_id=session.id, target=session.id,
                         before=_plain(before), after=_plain(after))
    uow.commit()
    return {"id": session.id, "changed": sorted(after)}


def _check_sku_targets(uow: Any, targets: dict[str, int]) -> None:
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in targets.values()):
        raise Invalid("a SKU's sales target is a whole number of units ≥ 0",
                      field="sku_targets")
    _, known = uow.catalog.products_for_skus(sorted(targets))
    missing = sorted(set(targets) - set(known))
    if missing:
        raise Invalid(f"unknown SKU ids: {', '.join(missing)}", code="sku_not_found",
                      field="sku_targets", sku_ids=missing)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON for the audit log: times as ISO text."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def set_contingency(cmd: SetContingency, uow: Any, ctx: Context) -> dict[str, str]:
    """Editable until the show goes live (the rehearsal often finds what is missing)."""
    unknown = sorted(set(cmd.scripts) - set(CONTINGENCY_KINDS))
    if unknown:
        raise Invalid(f"unknown kinds: {', '.join(unknown)}; one of {sorted(CONTINGENCY_KINDS)}",
                      code="unknown_contingency_kind", field="scripts")
    session = uow.sessions.get(cmd.session_id, lock=True)
    session.require(Status.PLANNED, Status.REHEARSAL)
    scripts = {k: v.strip() for k, v in cmd.scripts.items() if v.strip()}
    before, session.contingency = session.contingency, scripts
    uow.sessions.save(session)
    uow.audit.record(ctx.actor, "session.contingency", session_id=session.id, target=session.id,
                     before=before, after=scripts)
    uow.commit()
    return scripts


HANDLERS: dict[type, Any] = {UpdateSession: update_session, SetContingency: set_contingency}
