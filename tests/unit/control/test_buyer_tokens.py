from datetime import UTC, datetime, timedelta

import pytest

from liveroom.core.errors import Unauthenticated
from liveroom.identity.model import issue_buyer_jwt, verify_buyer_jwt

SECRET = "s" * 40


def test_a_buyer_id_longer_than_any_column_is_unauthenticated():
    # given a well-signed token whose subject is 65 characters
    token = issue_buyer_jwt("b" * 65, SECRET, datetime.now(UTC), timedelta(hours=1))
    # when it is verified
    # then it is refused before any write would overflow a buyer_id column
    with pytest.raises(Unauthenticated):
        verify_buyer_jwt(token, SECRET)
    assert verify_buyer_jwt(issue_buyer_jwt("b" * 64, SECRET, datetime.now(UTC)), SECRET)
