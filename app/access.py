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


# --- Review rules (journey step 7): submit, comment, approve, request changes. ---

def is_team_member(user: User, bid: Bid) -> bool:
    """True if the user belongs to the bid's team (admins too only if they are members)."""
    return user.is_authenticated and bid.team_id in user.team_ids


def can_submit_for_review(user: User, bid: Bid) -> bool:
    """Writers, reviewers and admins who may change the bid may send its plan for review."""
    return can_edit_bids(user) and can_see_bid(user, bid)


def can_comment(user: User, bid: Bid) -> bool:
    """Anyone who may change the bid may comment on, reply to and resolve its comments."""
    return can_edit_bids(user) and can_see_bid(user, bid)


def can_request_changes(user: User, bid: Bid) -> bool:
    """Reviewers and admins who are members of the bid's team."""
    return can_review(user) and is_team_member(user, bid)


def approval_refusal(user: User, bid: Bid, version) -> str | None:
    """Why this user may not approve this version, or None if they may (four eyes)."""
    if not can_review(user):
        return "Only a reviewer or an admin can approve a plan."
    if not is_team_member(user, bid):
        return f"Only a reviewer of the team “{bid.team.name}” can approve its plans."
    if user.id == version.created_by_id:
        return ("You started this version, so someone else must approve it: "
                "a plan is never approved by its own author.")
    if user.id == version.updated_by_id:
        return ("You edited this version last, so someone else must approve it: "
                "a plan is never approved by its own author.")
    from app.versions.store import editors_of  # the audit trail knows every editor

    if user.id in editors_of(version):
        return ("You changed this version, so someone else must approve it: "
                "a plan is never approved by anyone who edited it.")
    return None


def can_approve(user: User, bid: Bid, version) -> bool:
    """A reviewer or admin of the bid's team who never changed the version."""
    return approval_refusal(user, bid, version) is None


# --- The co-production network (app/network): special category data behind one rule. ---

def is_coordinator(user: User) -> bool:
    """Network coordinators: admins, and reviewers an admin marked as coordinator.

    They see and change members, their needs and consent, record meetings and
    participation, assign members to plan lines and see the network's KPIs.
    """
    return user.is_authenticated and (
        user.role == "admin" or (user.role == "reviewer" and bool(user.network_coordinator)))


def can_see_network_counts(user: User) -> bool:
    """Writers (and up) see how many members fit a line of a bid they may see: counts only,
    never a member's name or needs. Viewers see nothing of the register."""
    return can_edit_bids(user)


def can_set_network_retention(user: User) -> bool:
    return is_admin(user)


def require_coordinator(user: User) -> None:
    if not is_coordinator(user):
        abort(403)


def can_record_submission(user: User, bid: Bid) -> bool:
    """Writers, reviewers and admins of the bid mark it submitted and record its outcome."""
    return can_edit_bids(user) and can_see_bid(user, bid)
