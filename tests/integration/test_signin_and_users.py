"""Sign-in that people use: user name + password (argon2), the token field for scripts,
and the admins' users page acting through htmx with the CSRF header."""

from __future__ import annotations

import re
from typing import Any

from liveroom.entrypoints.api.routes_web import COOKIE, csrf_for
from liveroom.entrypoints.api.web_i18n import LOCALE_COOKIE
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html,
                                          flags=re.S))


def sign_in(client: Any, **form: str) -> Any:
    client.cookies.clear()
    client.cookies.set(LOCALE_COOKIE, "en")  # this test reads the English words
    return client.post("/login", data=form, follow_redirects=False)


def test_password_sign_in_right_wrong_and_disabled(client, container, tokens) -> None:  # type: ignore[no-untyped-def]
    container.bus.handle(AddUser("lin", "ops", "林", "correct horse 1"), SYSTEM)
    page = client.get("/login").text
    assert 'name="username"' in page and 'name="password"' in page and 'name="token"' in page
    # right password: a cookie holding a fresh token, and the pages open
    r = sign_in(client, username="lin", password="correct horse 1")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.cookies.get(COOKIE)
    assert cookie and cookie.startswith("lr_")
    client.cookies.clear()
    client.cookies.set(LOCALE_COOKIE, "en")
    client.cookies.set(COOKIE, cookie)
    assert client.get("/catalog").status_code == 200
    # the token from a password sign-in is an ordinary bearer token
    me = client.get("/api/v1/products", headers={"Authorization": f"Bearer {cookie}"})
    assert me.status_code == 200
    # wrong password, unknown user: 401 with the form again, no cookie
    for form in ({"username": "lin", "password": "wrong horse 1"},
                 {"username": "nobody", "password": "correct horse 1"},
                 {"username": "lin", "password": ""}):
        r = sign_in(client, **form)
        assert r.status_code == 401 and COOKIE not in r.cookies
        assert "Wrong user name or password" in r.text
    # the token field still works for scripts
    ops_token = tokens["ops"]["Authorization"].split(" ", 1)[1]
    assert sign_in(client, token=ops_token).status_code == 303
    assert sign_in(client, token="lr_forged").status_code == 401
    # an admin disables lin: the password no longer signs in, the old cookie is refused
    admin = tokens["admin"]["Authorization"].split(" ", 1)[1]
    client.cookies.clear()
    client.cookies.set(LOCALE_COOKIE, "en")
    client.cookies.set(COOKIE, admin)
    r = client.post("/users/lin/disable", headers={"X-CSRF-Token": csrf_for(admin)})
    assert r.status_code == 200 and "User disabled." in r.text
    assert sign_in(client, username="lin", password="correct horse 1").status_code == 401
    client.cookies.clear()
    client.cookies.set(LOCALE_COOKIE, "en")
    client.cookies.set(COOKIE, cookie)
    assert client.get("/catalog", follow_redirects=False).status_code == 303


def test_users_page_creates_changes_role_resets_and_revokes(client, tokens) -> None:  # type: ignore[no-untyped-def]
    admin = tokens["admin"]["Authorization"].split(" ", 1)[1]
    client.cookies.clear()
    client.cookies.set(LOCALE_COOKIE, "en")
    client.cookies.set(COOKIE, admin)
    html = client.get("/users").text
    assert "ops-user" in html and "Operations" in html
    assert " ops " not in visible(html) and "+00:00" not in visible(html)
    h = {"X-CSRF-Token": csrf_for(admin)}
    assert client.post("/users", data={"name": "mei", "role": "cs",
                                       "password": "longenough"}).status_code == 403  # no CSRF
    r = client.post("/users", headers=h, data={"name": "mei", "role": "cs",
                                               "password": "longenough"})
    assert "User created." in r.text and 'data-user="mei"' in r.text
    row = r.text.split('data-user="mei"')[1].split("</tr>")[0]
    assert "<td>0</td>" in row  # no token nobody has seen; she signs in with her password
    r = client.post("/users", headers=h, data={"name": "mei", "role": "cs"})
    assert "already exists" in r.text
    r = client.post("/users", headers=h, data={"name": "short", "role": "cs", "password": "x"})
    assert "8 to 256 characters" in r.text
    r = client.post("/users/mei/role", headers=h, data={"role": "ops"})
    assert "Role changed." in r.text
    r = client.post("/users/mei/password", headers=h, data={"password": "another pass"})
    assert "Password set." in r.text
    assert sign_in(client, username="mei", password="longenough").status_code == 401
    r = sign_in(client, username="mei", password="another pass")
    assert r.status_code == 303
    mei = r.cookies[COOKIE]
    hdr = {"Authorization": f"Bearer {mei}"}
    assert client.post("/api/v1/products", headers=hdr, json={}).status_code == 422  # ops now
    # revoking mei's tokens signs her out everywhere
    client.cookies.clear()
    client.cookies.set(LOCALE_COOKIE, "en")
    client.cookies.set(COOKIE, admin)
    r = client.post("/users/mei/revoke", headers=h)
    assert "Every access token of the user is revoked." in r.text
    assert client.get("/api/v1/products", headers=hdr).status_code == 401
    # only admins manage users
    ops = tokens["ops"]["Authorization"].split(" ", 1)[1]
    client.cookies.clear()
    client.cookies.set(LOCALE_COOKIE, "en")
    client.cookies.set(COOKIE, ops)
    assert "Only administrators manage users." in client.get("/users").text
    r = client.post("/users/mei/enable", headers={"X-CSRF-Token": csrf_for(ops)})
    assert r.status_code == 200 and "refused" in r.text
