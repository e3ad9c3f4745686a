"""The payment port and its sandbox provider. A real provider (WeChat Pay, Alipay, a card
acquirer) implements the same three calls; callbacks are HMAC-SHA256 signed over the raw
body so that nobody but the provider can mark an order paid."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any, Protocol

from liveroom.core.ids import new_id

METHODS = ("wechat", "alipay", "card")


@dataclass(frozen=True)
class PaymentResult:
    ok: bool
    reference: str
    reason: str = ""


class PaymentProvider(Protocol):
    name: str

    def charge(self, order_id: str, amount_fen: int, method: str,
               sandbox_outcome: str | None = None) -> PaymentResult: ...

    def refund(self, order_id: str, reference: str, amount_fen: int) -> PaymentResult: ...

    def verify_callback(self, body: bytes, signature: str) -> dict[str, Any]: ...


class BadSignature(Exception):
    pass


class SandboxPaymentProvider:
    """Succeeds unless the request says `sandbox_outcome="fail"`."""

    name = "sandbox"

    def __init__(self, secret: str) -> None:
        self._key = secret.encode()  # LIVEROOM_PAYMENT_SECRET, shared with the provider only

    def charge(self, order_id: str, amount_fen: int, method: str,
               sandbox_outcome: str | None = None) -> PaymentResult:
        if sandbox_outcome == "fail":
            return PaymentResult(False, f"sbx_{new_id()}", "card_declined")
        return PaymentResult(True, f"sbx_{new_id()}")

    def refund(self, order_id: str, reference: str, amount_fen: int) -> PaymentResult:
        return PaymentResult(True, f"sbx_rf_{new_id()}")

    def sign(self, body: bytes) -> str:
        return hmac.new(self._key, body, hashlib.sha256).hexdigest()

    def callback(self, order_id: str, status: str, amount_fen: int,
                 reference: str | None = None) -> tuple[bytes, str]:
        """What the provider would POST to /api/v1/payments/callback: (body, signature)."""
        body = json.dumps({"order_id": order_id, "status": status, "amount_fen": amount_fen,
                           "reference": reference or f"sbx_{new_id()}"}).encode()
        return body, self.sign(body)

    def verify_callback(self, body: bytes, signature: str) -> dict[str, Any]:
        if not hmac.compare_digest(self.sign(body), signature or ""):
            raise BadSignature("payment callback signature does not match")
        data: dict[str, Any] = json.loads(body)
        return data
