"""Bilibili live (B站直播) danmaku: packet framing, ``cmd`` messages and a client."""
