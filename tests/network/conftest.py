"""Register fixtures: a coordinator (a reviewer with the flag), a writer, members."""
from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.membership import services as register


@pytest.fixture
def coordinator(make_user):
    user = make_user("coordinator@example.org", role="reviewer")
    user.network_coordinator = True
    db.session.commit()
    return user


@pytest.fixture
def add_member(app, coordinator):
    """A member, committed: keyword arguments override the defaults."""
    def add(name: str = "Sam Carer", *, consent: bool = True, may_be_named: bool = False,
            **values):
        fields = dict(kind="person", display_name=name, region="yorkshire",
                      roles=["advisory_group_member"], payment_preference="paid",
                      joined_on=date(2025, 4, 1), needs=[], lived_experience=[]) | values
        given = {"purpose": "bid_work", "given_on": date(2025, 4, 1),
                 "may_be_named": may_be_named} if consent else None
        member = register.create_member(fields, coordinator, given)
        db.session.commit()
        return member
    return add
