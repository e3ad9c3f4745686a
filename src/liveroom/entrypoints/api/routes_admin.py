from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liveroom.adapters.sql import dead_letters
from liveroom.entrypoints.api.deps import ContainerDep, Operator, PageDep, Reader
from liveroom.entrypoints.api.schemas import UserIn
from liveroom.identity.handlers import AddUser, IssueToken, RevokeTokens

router = APIRouter(tags=["operators"])


@router.post("/users", status_code=201)
def add_user(body: UserIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(AddUser(body.name, body.role, body.display_name),  # type: ignore[no-any-return]
                        actor)


@router.post("/users/{name}/tokens", status_code=201)
def issue_token(name: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(IssueToken(name, "api"), actor)  # type: ignore[no-any-return]


@router.delete("/users/{name}/tokens")
def revoke_tokens(name: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(RevokeTokens(name), actor)  # type: ignore[no-any-return]


@router.get("/me")
def me(actor: Operator) -> dict[str, Any]:
    return {"id": actor.id, "name": actor.name, "role": actor.role.value}


@router.get("/dead-letters")
def dead_letter_list(conn: Reader, actor: Operator, page: PageDep) -> dict[str, Any]:
    """Records a writer set aside (newest first): source, order id, reason, the record."""
    actor.require("audit.read")
    return dead_letters.recent(conn, page.limit, page.offset)
