"""What a text must be before it may reach storage. PostgreSQL refuses NUL in text, no UTF-8
encoder takes a lone surrogate, and control characters break exports, logs and pages; one
such value in a group commit used to fail every order written with it. Pure functions: the
HTTP door (entrypoints/api/guard.py, schemas.py) and the writers share them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from liveroom.core.errors import DomainError

# Never stored anywhere: NUL, C0/C1 controls except tab and line breaks, DEL, lone
# surrogates (in a Python str every surrogate code point is a lone one).
_NEVER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Single-line values (names, codes, keys, ids, channels) refuse tabs and line breaks too.
_NOT_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


class InvalidText(DomainError):
    """A text the system will not store: the field is named, the reason is one of `nul`,
    `surrogate`, `control`, `too_long`."""

    status = 422
    code = "invalid_text"

    def __init__(self, field: str, reason: str, limit: int | None = None) -> None:
        what = {"nul": "contains a NUL character",
                "surrogate": "contains an unpaired surrogate (not valid Unicode)",
                "control": "contains a control character",
                "too_long": f"is longer than {limit} characters"}[reason]
        super().__init__(f"{field} {what}", field=field, reason=reason)
        self.field = field
        self.reason = reason

    def to_dict(self) -> dict[str, Any]:
        # `field` at the top, as schema validation errors carry it
        return {**super().to_dict(), "field": self.field}


def text_problem(value: str, *, multiline: bool = False,
                 max_length: int | None = None) -> str | None:
    """None if `value` may be stored, else why not (nul, surrogate, control, too_long)."""
    if max_length is not None and len(value) > max_length:
        return "too_long"
    found = (_NEVER if multiline else _NOT_IN_LINE).search(value)
    if found is None:
        return None
    ch = found.group()
    if ch == "\x00":
        return "nul"
    if "\ud800" <= ch <= "\udfff":
        return "surrogate"
    return "control"


def check_text(field: str, value: str, *, multiline: bool = False,
               max_length: int | None = None) -> str:
    reason = text_problem(value, multiline=multiline, max_length=max_length)
    if reason is not None:
        raise InvalidText(field, reason, max_length)
    return value


def strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every string in a JSON value, object keys included."""
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, dict):
        for k, v in value.items():
            here = f"{path}.{k}" if path else str(k)
            yield here, str(k)
            yield from strings_in(v, here)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings_in(v, f"{path}[{i}]" if path else f"[{i}]")


def check_json_texts(value: Any) -> None:
    """Refuse the first string anywhere in a parsed JSON value that no column may hold
    (multi-line text allowed here; single-line fields are narrowed by their schema)."""
    for path, text in strings_in(value):
        reason = text_problem(text, multiline=True)
        if reason is not None:
            raise InvalidText(_printable_path(path), reason)


def _printable_path(path: str) -> str:
    # the path itself may hold the bad key: show it escaped, never the raw character
    return path.encode("ascii", "backslashreplace").decode("ascii")[:200]


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """True if a JSON document nests objects/arrays deeper than `limit`. Python's json
    module recurses per level (a deep document is a RecursionError, i.e. a 500), so this is
    decided on the bytes first, in a few passes of C over the body (a batch of a thousand
    events is ~200 KB): escaped backslashes and escaped quotes out, then all but quotes and
    brackets, then every quoted span (brackets inside strings do not nest), then the running
    depth of what is left."""
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    # two quotes side by side open and close a string, or close one and open the next
    # with no bracket between: either way nothing outside a string goes with them
    structure = raw.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    if len(structure) <= limit:
        return False
    brackets = b"".join(structure.split(b'"')[::2]).translate(_STEPS)
    return len(brackets) > limit and int(np.cumsum(np.frombuffer(brackets, np.int8),
                                                   dtype=np.int64).max()) > limit


_NOT_STRUCTURE = bytes(range(256)).translate(None, b'[]{}"')
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 in, -1 out (as int8)
# Bytes of a JSON body that may decode to something check_json_texts refuses: an escaped
# NUL, control, DEL or surrogate half (a valid pair is let through by the parse-and-check
# that follows), or DEL / a C1 control written raw (JSON allows those unescaped). An escape
# counts only when its backslash is not itself escaped (suspicious_json checks the run of
# backslashes before it: a lookbehind in the pattern made the search ~20× slower).
_CANDIDATE = re.compile(
    rb"\\(?:[bf]|u00[01189][0-9a-fA-F]|u007[fF]|u[dD][89a-fA-F][0-9a-fA-F]{2})"
    rb"|\x7f|\xc2[\x80-\x9f]")
_ESCAPES = (b"\\b", b"\\f", b"\\u00", b"\\ud", b"\\uD")  # how the escapes above start


def suspicious_json(raw: bytes) -> bool:
    """True if the body may hold a text check_json_texts refuses (then it is parsed and
    checked); False if it cannot."""
    # a few scans at memory speed first: the pattern's search is much slower
    escapes = b"\\" in raw and any(start in raw for start in _ESCAPES)
    if not escapes and b"\x7f" not in raw and b"\xc2" not in raw:
        return False
    for match in _CANDIDATE.finditer(raw):
        at = start = match.start()
        if raw[at] != 0x5C:  # DEL or a C1 control, raw
            return True
        while start and raw[start - 1] == 0x5C:
            start -= 1
        if (at - start) % 2 == 0:  # the escape's backslash is not escaped itself
            return True
    return False
