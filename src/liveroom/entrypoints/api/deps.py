"""Request dependencies: the container, the calling operator or buyer, pagination."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from liveroom.bootstrap import Container
from liveroom.core.errors import Unauthenticated
from liveroom.entrypoints.api.guard import buyer_id_of
from liveroom.identity.handlers import actor_for_token
from liveroom.identity.model import Actor, verify_buyer_jwt


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


# The OpenAPI document declares these two schemes (clients and fuzzers learn how to
# authenticate); auto_error=False leaves the 401 to us, in our error format.
OPERATOR_SCHEME = "operatorToken"
BUYER_SCHEME = "buyerJWT"
operator_bearer = HTTPBearer(scheme_name=OPERATOR_SCHEME, bearerFormat="lr_…", auto_error=False,
                             description="an operator's token from `liveroom user add`")
buyer_bearer = HTTPBearer(scheme_name=BUYER_SCHEME, bearerFormat="JWT", auto_error=False,
                          description="a buyer's HS256 JWT from the platform's login gateway")
Credentials = HTTPAuthorizationCredentials | None


def operator(request: Request, c: ContainerDep,
             credentials: Annotated[Credentials, Depends(operator_bearer)]) -> Actor:
    cookie = request.cookies.get(WEB_COOKIE)
    if "authorization" not in request.headers and cookie and request.method == "GET":
        # The signed-in console reads the JSON API with its (SameSite=strict) cookie;
        # writes still need the bearer header, so a cookie alone cannot change anything.
        token = cookie
    else:
        token = _token(credentials)
    with c.read() as conn:
        return actor_for_token(conn, token)


Operator = Annotated[Actor, Depends(operator)]


def buyer(c: ContainerDep, credentials: Annotated[Credentials, Depends(buyer_bearer)]) -> str:
    return buyer_id_of(verify_buyer_jwt(_token(credentials), c.settings.buyer_secret,
                                        c.settings.buyer_token_max_minutes))


def _token(credentials: Credentials) -> str:
    if credentials is None or not credentials.credentials.strip():
        raise Unauthenticated("missing bearer token")
    return credentials.credentials.strip()


Buyer = Annotated[str, Depends(buyer)]


class Page:
    def __init__(self, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[Page, Depends(Page)]
