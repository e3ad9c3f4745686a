"""Bilibili live websocket packet framing.

Every packet: a 16-byte big-endian header (total length u32, header length u16 = 16,
protocol version u16, operation u32, sequence u32) then the body. Version 0 is a JSON body,
1 a u32 (popularity in heartbeat replies), 2 a zlib stream of further packets, 3 a brotli
stream. We ask for version 2 at authentication, so zlib (standard library) is all we need;
a version-3 packet is reported, not silently dropped.
"""

from __future__ import annotations

import json
import logging
import struct
import zlib
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)
HEADER = struct.Struct(">IHHII")
HEARTBEAT, HEARTBEAT_REPLY, SEND_MSG_REPLY, AUTH, AUTH_REPLY = 2, 3, 5, 7, 8
VER_JSON, VER_INT, VER_ZLIB, VER_BROTLI = 0, 1, 2, 3


class ProtocolError(ValueError):
    code = "bilibili_protocol_error"


@dataclass(frozen=True, slots=True)
class Packet:
    operation: int
    version: int
    body: bytes


def encode(operation: int, body: bytes | dict[str, Any] = b"", version: int = VER_INT,
           sequence: int = 1) -> bytes:
    raw = json.dumps(body, separators=(",", ":")).encode() if isinstance(body, dict) else body
    return HEADER.pack(HEADER.size + len(raw), HEADER.size, version, operation, sequence) + raw


def auth_packet(room_id: int, uid: int = 0, token: str = "", buvid: str = "") -> bytes:
    body: dict[str, Any] = {"uid": uid, "roomid": room_id, "protover": VER_ZLIB,
                            "platform": "web", "type": 2}
    if token:
        body["key"] = token
    if buvid:
        body["buvid"] = buvid
    return encode(AUTH, body)


def heartbeat_packet() -> bytes:
    return encode(HEARTBEAT, b"[object Object]")


def split(data: bytes) -> list[Packet]:
    """All packets in one websocket frame, with compressed bodies expanded."""
    out: list[Packet] = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < HEADER.size:
            raise ProtocolError(f"truncated header at {offset}")
        length, header_len, version, operation, _ = HEADER.unpack_from(data, offset)
        if length < header_len or offset + length > len(data):
            raise ProtocolError(f"bad packet length {length} at {offset}")
        body = data[offset + header_len: offset + length]
        if operation == SEND_MSG_REPLY and version == VER_ZLIB:
            out.extend(split(zlib.decompress(body)))
        elif operation == SEND_MSG_REPLY and version == VER_BROTLI:
            raise ProtocolError("brotli packet: authenticate with protover 2")
        else:
            out.append(Packet(operation, version, body))
        offset += length
    return out


def commands(data: bytes) -> list[dict[str, Any]]:
    """The JSON ``cmd`` messages in a frame (heartbeat/auth replies are skipped)."""
    out = []
    for packet in split(data):
        if packet.operation != SEND_MSG_REPLY:
            continue
        try:
            message = json.loads(packet.body)
        except ValueError as exc:
            raise ProtocolError(f"body is not JSON: {packet.body[:60]!r}") from exc
        if isinstance(message, dict):
            out.append(message)
    return out
