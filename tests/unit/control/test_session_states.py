from datetime import UTC, datetime

import pytest

from liveroom.core.errors import Conflict
from liveroom.planning.model import LiveSession, Status

NOW = datetime(2026, 11, 27, 11, tzinfo=UTC)


def new_session() -> LiveSession:
    return LiveSession("s1", "t", NOW, 120, Status.PLANNED, NOW)


def test_planned_rehearsal_live_ended():
    s = new_session()
    s.transition("rehearse", NOW)
    s.transition("start", NOW)
    assert s.started_at == NOW
    s.transition("end", NOW)
    assert s.status == Status.ENDED and s.ended_at == NOW


def test_a_planned_session_may_go_live_without_rehearsal():
    s = new_session()
    s.transition("start", NOW)
    assert s.status == Status.LIVE


@pytest.mark.parametrize("path", [["end"], ["start", "start"], ["start", "end", "start"],
                                  ["start", "rehearse"]])
def test_illegal_transitions_are_conflicts(path):
    s = new_session()
    with pytest.raises(Conflict) as err:
        for step in path:
            s.transition(step, NOW)
    assert err.value.code == "invalid_state"
