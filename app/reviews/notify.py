"""Notifications inside the app, and by email when NOTIFY_EMAIL is on.

Rows are added in the caller's transaction; emails go out only after it
commits (``send_emails``), so nobody is told about a change that was rolled
back. A failed email is logged and never undoes the change.
"""
from __future__ import annotations

import smtplib
from collections.abc import Iterable
from datetime import UTC, datetime
from email.message import EmailMessage

from flask import current_app, url_for
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from app.access import REVIEWER_ROLES
from app.extensions import db
from app.models import Bid, Comment, Notification, PlanVersion, User

KIND_LABELS = {"review_requested": "Waiting for review", "changes_requested": "Changes requested",
               "approved": "Approved", "comment": "Comment"}


def _notify(users: Iterable[User | None], actor: User, bid: Bid, version: PlanVersion,
            kind: str, message: str) -> list[Notification]:
    """One notification per distinct active recipient still in the bid's team, never to
    the person who acted (someone who left the team no longer hears about its bids)."""
    recipients = {user.id: user for user in users
                  if user is not None and user.active and user.id != actor.id
                  and bid.team_id in user.team_ids}
    notes = [Notification(user_id=user_id, bid_id=bid.id, version_number=version.number,
                          kind=kind, message=message) for user_id in sorted(recipients)]
    db.session.add_all(notes)
    return notes


def authors(version: PlanVersion) -> list[User | None]:
    """Whoever started the version and whoever edited it last."""
    return [version.created_by, version.updated_by]


def review_requested(bid: Bid, version: PlanVersion, actor: User) -> list[Notification]:
    """Tell the bid team's reviewers and admins that a plan waits for them."""
    reviewers = [member for member in bid.team.members if member.role in REVIEWER_ROLES]
    return _notify(reviewers, actor, bid, version, "review_requested",
                   f"{actor.display_name} sent version {version.number} of “{bid.title}” "
                   "for review.")


def changes_requested(bid: Bid, version: PlanVersion, actor: User) -> list[Notification]:
    """Tell the version's authors that the reviewer asked for changes."""
    return _notify(authors(version), actor, bid, version, "changes_requested",
                   f"{actor.display_name} asked for changes to version {version.number} of "
                   f"“{bid.title}”.")


def approved(bid: Bid, version: PlanVersion, actor: User) -> list[Notification]:
    """Tell the version's authors that it was approved."""
    return _notify(authors(version), actor, bid, version, "approved",
                   f"{actor.display_name} approved version {version.number} of “{bid.title}”.")


def commented(bid: Bid, version: PlanVersion, comment: Comment,
              actor: User) -> list[Notification]:
    """Tell the version's authors and everyone in the thread about a comment or reply."""
    thread = [comment.author] if comment.parent_id is None else [
        other.author for other in version.comments
        if other.id == comment.parent_id or other.parent_id == comment.parent_id]
    what = "commented on" if comment.parent_id is None else "replied to a comment on"
    return _notify([*authors(version), *thread], actor, bid, version, "comment",
                   f"{actor.display_name} {what} version {version.number} of “{bid.title}”.")


def send_emails(notes: list[Notification]) -> int:
    """Email each notification when NOTIFY_EMAIL is on; return how many were sent."""
    config = current_app.config
    if not notes or not config.get("NOTIFY_EMAIL"):
        return 0
    try:
        with smtplib.SMTP(config.get("MAIL_SERVER") or "localhost", timeout=10) as smtp:
            for note in notes:
                smtp.send_message(_email(note, config.get("MAIL_FROM")))
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("notification emails could not be sent")
        return 0
    return len(notes)


def _email(note: Notification, sender: str | None) -> EmailMessage:
    user = db.session.get(User, note.user_id)
    message = EmailMessage()
    message["Subject"] = f"Co-production Planner: {KIND_LABELS.get(note.kind, note.kind)}"
    message["From"] = sender or "co-production-planner@localhost"
    message["To"] = user.email
    link = external_url("reviews.version", bid_id=note.bid_id, number=note.version_number) \
        if note.bid_id and note.version_number else ""
    message.set_content(f"{note.message}\n\n{link}\n")
    return message


def external_url(endpoint: str, **values) -> str:
    """A full link for an email: from BASE_URL (or SERVER_NAME), never the request's Host
    header, which whoever sent the request chose."""
    base = current_app.config.get("BASE_URL")
    if not base:
        server = current_app.config.get("SERVER_NAME")
        scheme = current_app.config.get("PREFERRED_URL_SCHEME", "http")
        base = f"{scheme}://{server}" if server else ""
    return base.rstrip("/") + url_for(endpoint, **values)


def unread_count(user: User) -> int:
    """How many of this user's notifications are unread (0 when signed out)."""
    if not user.is_authenticated:
        return 0
    try:
        return db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None))) or 0
    except SQLAlchemyError:  # never let the header break an error page about the database
        db.session.rollback()
        return 0


def for_user(user: User, limit: int = 100) -> list[Notification]:
    """The user's notifications, unread first, newest first."""
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(),
                  Notification.id.desc()).limit(limit)))


def waiting_for_review(user: User) -> list[PlanVersion]:
    """Versions in review in the teams this reviewer or admin belongs to."""
    if user.role not in REVIEWER_ROLES or not user.team_ids:
        return []
    return list(db.session.scalars(
        select(PlanVersion).join(Bid).where(PlanVersion.status == "in_review",
                                            Bid.team_id.in_(user.team_ids))
        .order_by(PlanVersion.updated_at)))


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; return how many changed."""
    query = update(Notification).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    changed = db.session.execute(query.values(read_at=datetime.now(UTC))).rowcount
    db.session.commit()
    return changed
