"""Read side of the operators: who they are, their role, whether they can sign in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from liveroom.adapters.sql import schema as t
from liveroom.core.clock import as_aware


def list_users(conn: Any) -> list[dict[str, Any]]:
    u, tok = t.users.c, t.api_tokens.c
    active = (select(tok.user_id, func.count().label("n"))
              .where(tok.revoked_at.is_(None)).group_by(tok.user_id).subquery())
    rows = conn.execute(select(u.name, u.display_name, u.role, u.disabled, u.created_at,
                               u.password_hash.is_not(None).label("has_password"),
                               func.coalesce(active.c.n, 0).label("tokens"))
                        .select_from(t.users.outerjoin(active, active.c.user_id == u.id))
                        .order_by(u.name)).all()
    return [{"name": r.name, "display_name": r.display_name, "role": r.role,
             "disabled": bool(r.disabled), "has_password": bool(r.has_password),
             "tokens": int(r.tokens), "created_at": as_aware(r.created_at).isoformat()}
            for r in rows]
