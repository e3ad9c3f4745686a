"""Real outreach channels, each one HTTP client: a generic SMS gateway, the enterprise
WeChat (企业微信) group robot webhook and the official-account (公众号) template message.
Each sends the message key along so that a provider able to deduplicate does, sorts a
reply into sent / RetryLater (timeouts, 429, 5xx, "busy") / SendFailed (other 4xx, refused
by the provider), and never sleeps: the dispatch worker re-queues with backoff."""

from __future__ import annotations

import json
from typing import Any

import httpx
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from liveroom.outreach.model import Message, RetryLater, SendFailed

KEY_HEADER = "Idempotency-Key"
# WeChat answers 200 with an errcode; these mean "try again later", any other is final.
WECHAT_BUSY = {-1, 45009, 45033}


class OutreachSettings(BaseSettings):
    """LIVEROOM_* knobs of the outreach channels. Unset = that channel is not configured
    and its messages go to the log adapter (the default)."""

    model_config = SettingsConfigDict(env_prefix="LIVEROOM_", extra="ignore")
    notify_buyer_channel: str = "log"  # log | sms | wecom | official_account
    notify_ops_channel: str = "log"  # where operator alerts (safety stock) go
    notify_timeout_s: float = 5.0
    notify_max_attempts: int = 5
    notify_backoff_s: float = 30.0
    sms_url: str = ""  # the gateway's send endpoint
    sms_token: str = ""
    sms_sign: str = ""  # 短信签名, e.g. 【某某直播间】
    wecom_webhook_url: str = ""  # https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
    oa_api_base: str = "https://api.weixin.qq.com"
    oa_access_token: str = ""
    oa_templates: dict[str, str] = Field(default_factory=dict)  # message kind → template id


def _post(client: httpx.Client, url: str, body: dict[str, Any], headers: dict[str, str]
          ) -> httpx.Response:
    try:
        reply = client.post(url, json=body, headers=headers)
    except httpx.TransportError as exc:  # refused, reset, timed out: worth another try
        raise RetryLater(f"{type(exc).__name__}: {exc}") from exc
    if reply.status_code == 429 or reply.status_code >= 500:
        raise RetryLater(f"HTTP {reply.status_code}: {reply.text[:200]}")
    if reply.status_code >= 400:
        raise SendFailed(f"HTTP {reply.status_code}: {reply.text[:200]}")
    return reply


def _json(reply: httpx.Response) -> dict[str, Any]:
    try:
        data = reply.json()
    except json.JSONDecodeError as exc:
        raise RetryLater(f"not JSON: {reply.text[:200]}") from exc
    return data if isinstance(data, dict) else {}


def _wechat(reply: httpx.Response) -> dict[str, Any]:
    data = _json(reply)
    code = int(data.get("errcode", 0))
    if code in WECHAT_BUSY:
        raise RetryLater(f"errcode {code}: {data.get('errmsg', '')}")
    if code != 0:
        raise SendFailed(f"errcode {code}: {data.get('errmsg', '')}")
    return data


class SmsGateway:
    """POST {to, text, sign, message_key} with a bearer token; the reply's `id` is kept."""

    def __init__(self, url: str, token: str, sign: str, client: httpx.Client) -> None:
        self.url, self.token, self.sign, self.client = url, token, sign, client

    def send(self, message: Message) -> str | None:
        reply = _post(self.client, self.url, {
            "to": message.recipient, "text": message.text, "sign": self.sign,
            "message_key": message.id}, {KEY_HEADER: message.id, **(
                {"Authorization": f"Bearer {self.token}"} if self.token else {})})
        ref = _json(reply).get("id")
        return None if ref is None else str(ref)


class WeComRobot:
    """企业微信群机器人: POST {"msgtype": "text", "text": {"content": …}} to the webhook URL
    (its `key` is in the URL). For operator alerts into a group chat."""

    def __init__(self, webhook_url: str, client: httpx.Client) -> None:
        self.url, self.client = webhook_url, client

    def send(self, message: Message) -> str | None:
        _wechat(_post(self.client, self.url, {
            "msgtype": "text", "text": {"content": message.text}}, {KEY_HEADER: message.id}))
        return None


class OfficialAccountTemplate:
    """公众号模板消息: POST /cgi-bin/message/template/send?access_token=… with the template
    for the message's kind, its data fields, and the key as `client_msg_id` (which the
    platform deduplicates on)."""

    def __init__(self, api_base: str, access_token: str, templates: dict[str, str],
                 client: httpx.Client) -> None:
        self.url = api_base.rstrip("/") + "/cgi-bin/message/template/send"
        self.token, self.templates, self.client = access_token, templates, client

    def send(self, message: Message) -> str | None:
        template = self.templates.get(message.kind)
        if template is None:
            raise SendFailed(f"no template configured for {message.kind!r}")
        fields = {"first": message.text, **{k: str(v) for k, v in message.data.items()}}
        data = _wechat(_post(self.client, f"{self.url}?access_token={self.token}", {
            "touser": message.recipient, "template_id": template,
            "client_msg_id": message.id,
            "data": {k: {"value": v} for k, v in fields.items()}}, {KEY_HEADER: message.id}))
        ref = data.get("msgid")
        return None if ref is None else str(ref)


def configured_channels(s: OutreachSettings, client: httpx.Client) -> dict[str, Any]:
    """The channels whose settings are present."""
    out: dict[str, Any] = {}
    if s.sms_url:
        out["sms"] = SmsGateway(s.sms_url, s.sms_token, s.sms_sign, client)
    if s.wecom_webhook_url:
        out["wecom"] = WeComRobot(s.wecom_webhook_url, client)
    if s.oa_access_token:
        out["official_account"] = OfficialAccountTemplate(s.oa_api_base, s.oa_access_token,
                                                          s.oa_templates, client)
    return out
