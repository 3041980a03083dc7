"""Who may see and change what: the one place that knows the access rules.

A user sees only bids of their own teams (admins see every team); viewers
never change anything; only admins manage users and rate cards. A bid the
user may not see answers 404, so its existence does not leak.
"""
from __future__ import annotations

from flask import abort
from sqlalchemy import Select, select

from app.extensions import db
from app.models import Bid, User, team_members

EDITOR_ROLES = frozenset({"admin", "reviewer", "writer"})
REVIEWER_ROLES = frozenset({"admin", "reviewer"})


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == "admin"


def can_edit_bids(user: User) -> bool:
    """Viewers read; everyone else may write bids of their teams."""
    return user.is_authenticated and user.role in EDITOR_ROLES


def can_review(user: User) -> bool:
    return user.is_authenticated and user.role in REVIEWER_ROLES


def visible_bids(user: User) -> Select[tuple[Bid]]:
    """A select of the bids this user may see."""
    query = select(Bid)
    if is_admin(user):
        return query
    member_teams = select(team_members.c.team_id).where(team_members.c.user_id == user.id)
    return query.where(Bid.team_id.in_(member_teams))


def can_see_bid(user: User, bid: Bid) -> bool:
    return is_admin(user) or bid.team_id in user.team_ids


def get_bid_or_404(user: User, bid_id: int, *, for_edit: bool = False) -> Bid:
    """The bid if this user may see it (and change it, with for_edit), else 404 / 403."""
    bid = db.session.get(Bid, bid_id)
    if bid is None or not can_see_bid(user, bid):
        abort(404)
    if for_edit and not can_edit_bids(user):
        abort(403)
    return bid


def teams_user_can_write_for(user: User) -> list:
    """Teams a new bid may belong to for this user."""
    from app.models import Team

    if is_admin(user):
        return list(db.session.scalars(select(Team).order_by(Team.name)))
    return sorted(user.teams, key=lambda team: team.name) if can_edit_bids(user) else []


def require_admin(user: User) -> None:
    if not is_admin(user):
        abort(403)
