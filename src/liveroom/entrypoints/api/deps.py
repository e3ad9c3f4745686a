"""Request dependencies: the container, the calling operator or buyer, pagination."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request

from liveroom.bootstrap import Container
from liveroom.entrypoints.api.guard import buyer_id_of
from liveroom.identity.handlers import actor_for_token
from liveroom.identity.model import Actor, parse_bearer, verify_buyer_jwt


def container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


ContainerDep = Annotated[Container, Depends(container)]


def reader(c: ContainerDep) -> Iterator[Any]:
    conn = c.read()
    try:
        with conn.begin():
            yield conn
    finally:
        conn.close()


Reader = Annotated[Any, Depends(reader)]


WEB_COOKIE = "liveroom_token"


def operator(request: Request, c: ContainerDep,
             authorization: Annotated[str | None, Header()] = None) -> Actor:
    cookie = request.cookies.get(WEB_COOKIE)
    if authorization is None and cookie and request.method == "GET":
        # The signed-in console reads the JSON API with its (SameSite=strict) cookie;
        # writes still need the bearer header, so a cookie alone cannot change anything.
        token = cookie
    else:
        token = parse_bearer(authorization)
    with c.read() as conn:
        return actor_for_token(conn, token)


Operator = Annotated[Actor, Depends(operator)]


def buyer(c: ContainerDep, authorization: Annotated[str | None, Header()] = None) -> str:
    return buyer_id_of(verify_buyer_jwt(parse_bearer(authorization), c.settings.buyer_secret))


Buyer = Annotated[str, Depends(buyer)]


class Page:
    def __init__(self, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[Page, Depends(Page)]
