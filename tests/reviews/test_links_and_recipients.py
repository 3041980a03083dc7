"""Notification emails link to the configured BASE_URL, never the request's Host header,
and go only to people still in the bid's team (issue 16, findings 5 and 9)."""
from __future__ import annotations

import smtplib

import pytest

from app import create_app
from app.extensions import db
from app.models import Notification, Team
from config import TestingConfig
from tests.review_steps import fresh, request_changes, submit
from tests.reviews.test_reviews import FakeSMTP


def test_email_links_use_base_url_whatever_the_host_header(app, draft, bid, team, as_user,
                                                           monkeypatch):
    FakeSMTP.sent, FakeSMTP.hosts = [], []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL", True)
    monkeypatch.setitem(app.config, "BASE_URL", "https://planner.example.org/")
    client = as_user(team.writer)
    client.set_cookie("session", client.get_cookie("session").value,
                      domain="attacker.example.net")
    response = client.post(f"/bids/{bid.id}/review/versions/1/submit",
                           data={"submit-row_version": str(draft.row_version)},
                           base_url="http://attacker.example.net")
    assert response.status_code == 302, response.headers["Location"]
    bodies = [message.get_content() for message in FakeSMTP.sent]
    assert bodies and all("attacker" not in body for body in bodies)
    assert all(f"https://planner.example.org/bids/{bid.id}/review/versions/1" in body
               for body in bodies)


def test_notify_email_without_a_base_url_refuses_to_start():
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", NOTIFY_EMAIL=True,
                   BASE_URL=None)


def test_untrusted_host_headers_are_refused():
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                     TRUSTED_HOSTS=["planner.example.org"])
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "attacker.example.net"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "planner.example.org"}).status_code == 200


def test_people_who_left_the_team_are_not_notified(draft, bid, team, as_user):
    team.reviewer.teams = [db.session.scalar(db.select(Team).where(Team.name == "Beta"))]
    db.session.commit()
    assert submit(as_user(team.writer), bid, draft).status_code == 302
    notified = {note.user_id for note in db.session.scalars(db.select(Notification))}
    assert team.reviewer.id not in notified and team.second_reviewer.id in notified
    team.writer.teams = []
    db.session.commit()
    assert request_changes(as_user(team.second_reviewer), bid, fresh(draft)).status_code == 302
    told = db.session.scalars(db.select(Notification).where(
        Notification.kind == "changes_requested")).all()
    assert team.writer.id not in {note.user_id for note in told}
