"""Steps of the review journey as plain functions: save a plan at a level, submit,
approve, request changes, and read a version back fresh from the database."""
from __future__ import annotations

from app.extensions import db
from app.models import PlanVersion, Team, User
from app.versions import engine, store

REASON = "The access budget has no BSL for the launch event: add two interpreters."


def save_level(bid, user, level="good", justification=None) -> PlanVersion:
    """Save a plan at a level (from its template) as `user`, like the level page does."""
    start = engine.starting_inputs(store.latest_version(bid))
    inputs = engine.with_level(start, bid, level,
                                      justification)
    return store.save_plan(bid, inputs, user, None)


def url(bid, version, action="") -> str:
    return f"/bids/{bid.id}/review/versions/{version.number}{action}"


def submit(client, bid, version):
    return client.post(url(bid, version, "/submit"),
                       data={"submit-row_version": str(version.row_version)})


def approve(client, bid, version, row_version=None):
    return client.post(url(bid, version, "/approve"), data={
        "approve-row_version": str(row_version if row_version is not None
                                   else version.row_version)})


def request_changes(client, bid, version, reason=REASON, row_version=None):
    return client.post(url(bid, version, "/request-changes"), data={
        "changes-row_version": str(row_version if row_version is not None
                                   else version.row_version), "changes-reason": reason})


def mark_submitted(client, bid, version):
    return client.post(url(bid, version, "/mark-submitted"),
                       data={"submitted-row_version": str(version.row_version)})


def fresh(version: PlanVersion) -> PlanVersion:
    db.session.expire_all()
    return db.session.get(PlanVersion, version.id)


def statuses(version, bid):
    version = fresh(version)
    return version.status, db.session.get(type(bid), bid.id).status


def team_user(email: str, role: str, team: str) -> User:
    """A user without a real password hash (these tests never sign in through the form)."""
    team_row = db.session.scalar(db.select(Team).where(Team.name == team)) or Team(name=team)
    user = User(email=email, name=email.split("@")[0].capitalize(), role=role,
                teams=[team_row], password_hash="unused")
    db.session.add(user)
    db.session.commit()
    return user
