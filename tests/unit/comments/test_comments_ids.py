from __future__ import annotations

from liveroom.comments.ids import new_ids
from liveroom.core.ids import new_id


def test_bulk_ids_have_the_core_format_and_are_unique() -> None:
    # given ids from the core generator and the bulk one, made in that order
    single = new_id()
    bulk = new_ids(1000)
    # then they share length and alphabet, never repeat, and sort after earlier ids
    assert all(len(i) == 26 and set(i) <= set("0123456789abcdefghjkmnpqrstvwxyz")
               for i in bulk)
    assert len(set(bulk)) == 1000
    assert all(i[:10] >= single[:10] for i in bulk)
    assert new_ids(0) == []
