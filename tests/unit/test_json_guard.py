"""The request guard's checks on a JSON body's bytes, before any parse: the nesting check
(core.text.json_depth_exceeds) finds what the parser would (brackets inside strings do not
count, whatever the escapes around them; unbalanced and invalid documents are judged by the
brackets a parser would meet), and suspicious_json flags exactly the bodies the guard's
first pattern (a lookbehind regex, kept here as the reference) flagged."""

from __future__ import annotations

import json
import random
import re

import pytest

from liveroom.core.text import json_depth_exceeds, suspicious_json


def depth_of(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


NASTY = ['[', ']', '{', '}', '"', '\\', '\\"', '\\\\', '"]', '\\\\"', '中[文', 'a\nb', '']


def generated(rng: random.Random, depth: int) -> object:
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([rng.choice(NASTY) * rng.randint(1, 3), 1, 2.5, None, True])
    if rng.random() < 0.5:
        return [generated(rng, depth - 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(NASTY) + str(k): generated(rng, depth - 1)
            for k in range(rng.randint(0, 3))}


@pytest.mark.parametrize("seed", range(300))
def test_the_depth_is_the_parsers(seed):
    rng = random.Random(seed)
    value = generated(rng, rng.randint(1, 12))
    raw = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode()
    for limit in (2, 4, 8):
        assert json_depth_exceeds(raw, limit) == (depth_of(value) > limit)


@pytest.mark.parametrize(("raw", "deep"), [
    (b"[" * 40, True), (b"]" * 40 + b"[" * 40, False), (b"[" * 33 + b"]" * 33, True),
    (b"{" * 32 + b"}" * 32, False), (b'["\\\\"' + b"[" * 40, True),
    (b'{"a\\\\\\"[[[[": ' + b"[" * 30 + b"]" * 30 + b"}", False), (b"[1, \\" + b"[" * 40, True),
    # inside a string that never ends: the parser stops there, before any of them
    (b'["\\"' + b"[" * 40, False), (b'"' + b"[" * 40, False),
])
def test_unbalanced_and_invalid_documents(raw, deep):
    assert json_depth_exceeds(raw, 32) is deep


REFERENCE = re.compile(
    rb"(?<!\\)(?:\\\\)*\\(?:[bf]|u00[01189][0-9a-fA-F]|u007[fF]|u[dD][89a-fA-F][0-9a-fA-F]{2})"
    rb"|\x7f|\xc2[\x80-\x9f]")
PIECES = [b"\\", b"\\", b"b", b"f", b"u", b"0", b"1", b"8", b"9", b"d", b"D", b"a", b"7",
          b"F", b"\x7f", b"\xc2", b"\x85", b"\xc3", b'"', b"x", "中".encode(), b"u00",
          b"u007", b"uD8", b"ud9", b"u00", b"\\u00"]


@pytest.mark.parametrize("seed", range(400))
def test_suspicious_bodies_are_those_the_first_pattern_found(seed):
    rng = random.Random(seed)
    raw = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
    assert suspicious_json(raw) is (REFERENCE.search(raw) is not None)


def test_the_generated_bodies_cover_both_verdicts():
    verdicts = set()
    for seed in range(400):
        rng = random.Random(seed)
        raw = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        verdicts.add((REFERENCE.search(raw) is not None, raw.count(b"\\") > 1))
    assert verdicts == {(True, True), (True, False), (False, True), (False, False)}


def test_a_body_with_a_control_escape_after_escaped_backslashes():
    assert suspicious_json(b'["\\\\\\u0001"]')  # \\ then \u0001: a control
    assert not suspicious_json(b'["\\\\u0001"]')  # \\ then the text u0001
