"""Buyer JWTs have a longest lifetime and numeric times; servers refuse built-in secrets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from liveroom.config import DEV_BUYER_SECRET, InsecureSettings, Settings
from liveroom.core.errors import Unauthenticated
from liveroom.identity.model import issue_buyer_jwt, verify_buyer_jwt

SECRET = "s" * 40
NOW = datetime.now(UTC)


def signed(claims: dict[str, object]) -> str:
    return jwt.encode(claims, SECRET, algorithm="HS256")


def test_a_token_living_longer_than_the_maximum_is_refused() -> None:
    # given tokens of 1 hour, 24 hours and 30 days
    hour = issue_buyer_jwt("b1", SECRET, NOW, timedelta(hours=1))
    day = issue_buyer_jwt("b1", SECRET, NOW, timedelta(hours=24))
    month = issue_buyer_jwt("b1", SECRET, NOW, timedelta(days=30))
    # then up to the maximum (24 h) they pass, beyond it they are refused with a code
    assert verify_buyer_jwt(hour, SECRET, 24 * 60) == "b1"
    assert verify_buyer_jwt(day, SECRET, 24 * 60) == "b1"
    with pytest.raises(Unauthenticated) as refused:
        verify_buyer_jwt(month, SECRET, 24 * 60)
    assert refused.value.code == "token_lifetime_too_long"


def test_a_far_exp_without_iat_is_measured_from_now() -> None:
    # given a token with no iat that expires in 10 days
    token = signed({"sub": "b1", "exp": int((NOW + timedelta(days=10)).timestamp())})
    # then exp - now exceeds the maximum and it is refused
    with pytest.raises(Unauthenticated) as refused:
        verify_buyer_jwt(token, SECRET, 24 * 60)
    assert refused.value.code == "token_lifetime_too_long"


def test_a_recent_iat_does_not_excuse_an_exp_far_away() -> None:
    # given a token claiming it was issued 29 days in the future, expiring in 30 days
    token = signed({"sub": "b1", "iat": int((NOW + timedelta(days=29, hours=12)).timestamp()),
                    "exp": int((NOW + timedelta(days=30)).timestamp())})
    # then exp - now still counts
    with pytest.raises(Unauthenticated):
        verify_buyer_jwt(token, SECRET, 24 * 60)


@pytest.mark.parametrize("claims", [
    {"exp": str(int((NOW + timedelta(hours=1)).timestamp()))},  # PyJWT would int() it
    {"exp": int((NOW + timedelta(hours=1)).timestamp()), "iat": "0"},
    {"exp": True},
])
def test_exp_and_iat_must_be_numbers(claims: dict[str, object]) -> None:
    token = signed({"sub": "b1", **claims})
    with pytest.raises(Unauthenticated):
        verify_buyer_jwt(token, SECRET, 24 * 60)


def test_production_refuses_the_built_in_secrets_and_names_them() -> None:
    # given settings outside development that keep the built-in secrets
    settings = Settings(env="production")
    # when the server checks them, then it refuses, naming both variables
    with pytest.raises(InsecureSettings) as refused:
        settings.require_safe_secrets()
    assert "LIVEROOM_BUYER_SECRET" in str(refused.value)
    assert "LIVEROOM_PAYMENT_SECRET" in str(refused.value)
    assert "LIVEROOM_ENV=development" in str(refused.value)


def test_production_refuses_a_short_secret_and_accepts_long_own_ones() -> None:
    short = Settings(env="production", buyer_secret="x" * 40, payment_secret="short")
    with pytest.raises(InsecureSettings) as refused:
        short.require_safe_secrets()
    assert "LIVEROOM_PAYMENT_SECRET" in str(refused.value)
    assert "LIVEROOM_BUYER_SECRET" not in str(refused.value)
    Settings(env="production", buyer_secret="x" * 40,
             payment_secret="y" * 40).require_safe_secrets()


def test_development_runs_on_the_built_in_secrets() -> None:
    settings = Settings(env="development")
    assert settings.buyer_secret == DEV_BUYER_SECRET
    settings.require_safe_secrets()
    assert settings.payment_secret != settings.buyer_secret


@pytest.mark.parametrize("token", [
    jwt.encode({"sub": "b1", "exp": 2_000_000_000}, "another-secret-" + "x" * 30,
               algorithm="HS256"),
    jwt.encode({"sub": "b1", "exp": 2_000_000_000}, None, algorithm="none"),
    "not.a.token", "", "a.b", "....",
])
def test_forged_or_malformed_tokens_are_refused_at_the_signature_gate(token: str) -> None:
    with pytest.raises(Unauthenticated):
        verify_buyer_jwt(token, SECRET, 24 * 60)


def test_a_tampered_payload_fails_the_signature() -> None:
    good = issue_buyer_jwt("b1", SECRET, NOW, timedelta(hours=1))
    head, payload, sig = good.split(".")
    other = issue_buyer_jwt("admin", SECRET, NOW, timedelta(hours=1)).split(".")[1]
    with pytest.raises(Unauthenticated):
        verify_buyer_jwt(f"{head}.{other}.{sig}", SECRET, 24 * 60)
    assert verify_buyer_jwt(good, SECRET, 24 * 60) == "b1"
