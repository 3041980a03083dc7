"""Review fixtures: a team with every role, a client per user, a bid ready for review,
and a draft, in-review and approved version of its plan."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from flask import g
from flask.testing import FlaskClient

from app.models import User
from tests.factories import make_bid
from tests.review_steps import approve, fresh, save_level, submit, team_user


@pytest.fixture
def team(app):
    """Everyone the review rules tell apart: Alpha's roles and a reviewer of team Beta."""
    return SimpleNamespace(
        writer=team_user("writer@example.org", "writer", "Alpha"),
        reviewer=team_user("reviewer@example.org", "reviewer", "Alpha"),
        second_reviewer=team_user("second@example.org", "reviewer", "Alpha"),
        admin=team_user("admin@example.org", "admin", "Alpha"),
        viewer=team_user("viewer@example.org", "viewer", "Alpha"),
        outsider=team_user("outsider@example.org", "reviewer", "Beta"),
        other_writer=team_user("other@example.org", "writer", "Alpha"),
    )


class UserClient(FlaskClient):
    """A test client for one user. The tests keep one app context open, so Flask-Login's
    cached user in `g` is dropped before each request (each client is someone else)."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def as_user(app):
    """as_user(user) -> a test client signed in as that user (its own cookies)."""
    def client_for(user: User):
        client = UserClient(app, app.response_class, use_cookies=True)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()  # "<id>.<session generation>"
            session["_fresh"] = True
        return client
    return client_for


@pytest.fixture
def bid(team):
    return make_bid("Alpha", title="Care Act training", client="Northshire Council",
                    value_pence=12_000_000, deadline=date(2027, 1, 15), work_type="training",
                    scope="local", client_requires_coproduction=True, created_by_id=team.writer.id)


@pytest.fixture
def draft(bid, team):
    return save_level(bid, team.writer)


@pytest.fixture
def in_review(draft, bid, team, as_user):
    assert submit(as_user(team.writer), bid, draft).status_code == 302
    return fresh(draft)


@pytest.fixture
def approved(in_review, bid, team, as_user):
    assert approve(as_user(team.reviewer), bid, in_review).status_code == 302
    return fresh(in_review)
