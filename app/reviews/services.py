"""Write-side review operations: each status change, its audit entry, the portfolio
markers and the notifications in one transaction; emails after it commits.

The status machine itself (which move is allowed from which status, keeping the
bid in step) is app.versions.transitions. Every refusal raises ReviewRefused
with the reason, or IncompletePlan with the failed checks, and writes nothing.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, formatting
from app.extensions import db
from app.models import Bid, Comment, Notification, PlanDocument, PlanVersion, User
from app.reviews import checks, notify
from app.versions import documents, transitions
from app.versions.transitions import ReviewRefused, require_unlocked


class IncompletePlan(Exception):
    """The completeness checks failed: the plan cannot go for review yet."""

    def __init__(self, problems: list[checks.Problem]) -> None:
        super().__init__("incomplete plan")
        self.problems = problems


def _now() -> datetime:
    return datetime.now(UTC)


def submit_for_review(bid: Bid, version: PlanVersion, user: User,
                      row_version: str | None) -> None:
    """draft or changes requested -> in review, if every completeness check passes."""
    transitions.require(version, transitions.SUBMIT, row_version)
    problems = checks.completeness_problems(bid, version)
    if problems:
        raise IncompletePlan(problems)
    _set_status(bid, version, user, transitions.SUBMIT, "review.submitted",
                f"Submitted version {version.number} for review")
    _commit(notify.review_requested(bid, version, user))


def request_changes(bid: Bid, version: PlanVersion, user: User, row_version: str | None,
                    reason: str) -> None:
    """in review -> changes requested, with the reason kept as a comment."""
    transitions.require(version, transitions.REQUEST_CHANGES, row_version)
    version.comments.append(Comment(author_id=user.id, section="plan", body=reason))
    _set_status(bid, version, user, transitions.REQUEST_CHANGES, "review.changes_requested",
                f"Asked for changes to version {version.number}")
    _commit(notify.changes_requested(bid, version, user))


def approve(bid: Bid, version: PlanVersion, user: User, row_version: str | None) -> None:
    """in review -> approved; renders the final PDF and stores it with its SHA-256."""
    transitions.require(version, transitions.APPROVE, row_version)
    problems = checks.completeness_problems(bid, version)  # the bid may have moved on
    if problems:
        raise IncompletePlan(problems)
    # The real row, not a request proxy: the PDF prints the approver's name from it.
    version.approved_by, version.approved_at = db.session.get(User, user.id), _now()
    before = transitions.move(version, transitions.APPROVE)
    content = documents.render_pdf(version)  # after the status: the document shows it final
    version.pdf_sha256 = documents.sha256(content)
    version.document = PlanDocument(pdf=content, sha256=version.pdf_sha256)
    transitions.record(bid, version, user, before, "review.approved",
                       f"Approved version {version.number}",
                       approved_by={"before": None, "after": user.display_name},
                       pdf_sha256={"before": None, "after": version.pdf_sha256})
    _commit(notify.approved(bid, version, user))


def mark_submitted(bid: Bid, version: PlanVersion, user: User, row_version: str | None) -> None:
    """approved -> submitted (sent to the client); the stored document is untouched."""
    transitions.require(version, transitions.MARK_SUBMITTED, row_version)
    version.submitted_at = _now()
    _set_status(bid, version, user, transitions.MARK_SUBMITTED, "review.marked_submitted",
                f"Marked version {version.number} as submitted to the client")
    _commit([])


def record_outcome(bid: Bid, user: User, outcome: str) -> bool:
    """The client's decision on a submitted bid; returns False when nothing changed."""
    if not any(version.status == "submitted" for version in bid.versions):
        raise ReviewRefused("The bid has not been submitted yet: mark its approved plan as "
                            "submitted before recording the outcome.")
    if bid.outcome == outcome:
        return False
    audit.record("bid.outcome_recorded", user=user, bid=bid,
                 summary=f"Recorded the outcome: {formatting.label(outcome)}",
                 changes=audit.diff({"outcome": bid.outcome}, {"outcome": outcome}))
    bid.outcome = outcome
    _commit([])
    return True


def add_comment(bid: Bid, version: PlanVersion, user: User, section: str, body: str,
                parent: Comment | None = None) -> Comment:
    """A comment on the plan, a section or a line; with parent, a reply in its thread."""
    require_unlocked(version)
    root = None if parent is None else (parent.parent_id or parent.id)
    comment = Comment(author_id=user.id, parent_id=root, body=body,
                      section=parent.section if parent is not None else section)
    version.comments.append(comment)
    audit.record("review.commented", user=user, bid=bid,
                 summary=f"{'Replied to a comment' if root else 'Commented'} on version "
                         f"{version.number}", changes={"comment": {"before": None,
                                                                   "after": body}})
    _commit(notify.commented(bid, version, comment, user))
    return comment


def set_resolved(bid: Bid, version: PlanVersion, comment: Comment, user: User,
                 resolved: bool) -> None:
    """Mark a comment resolved (or open it again)."""
    require_unlocked(version)
    if (comment.resolved_at is not None) == resolved:
        return
    comment.resolved_at, comment.resolved_by_id = (_now(), user.id) if resolved else (None, None)
    audit.record("review.comment_resolved" if resolved else "review.comment_reopened",
                 user=user, bid=bid, summary=f"{'Resolved' if resolved else 'Reopened'} a "
                                             f"comment on version {version.number}")
    _commit([])


def _set_status(bid: Bid, version: PlanVersion, user: User,
                transition: transitions.Transition, action: str, summary: str) -> None:
    """Move the version's status, keep the bid in step and audit it."""
    before = transitions.move(version, transition)
    transitions.record(bid, version, user, before, action, summary)


SAME_MOMENT = ("Someone else changed this plan at the same moment. Nothing was saved: "
               "check the plan as it is now and try again.")


def refusing_races(action):
    """Run a review action; a concurrent write to the same rows (seen at a flush before the
    commit, or at the commit) refuses it with ReviewRefused, writing nothing."""
    try:
        return action()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise ReviewRefused(SAME_MOMENT) from None


def _commit(notes: list[Notification]) -> None:
    """Commit the change; a concurrent write to the same rows refuses it instead."""
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise ReviewRefused(SAME_MOMENT) from None
    notify.send_emails(notes)
