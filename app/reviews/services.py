"""Write-side review operations: each status change, its audit entry, the portfolio
markers and the notifications in one transaction; emails after it commits.

The status machine::

    draft / changes_requested --submit--> in_review --approve--> approved --> submitted
                                          in_review --request changes--> changes_requested

Approved and submitted versions are locked: nothing here changes their
inputs, estimate, approval record or stored PDF (edits start a new version in
app.plans.services). Every refusal raises ReviewRefused with the reason, or
IncompletePlan with the failed checks, and writes nothing.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.extensions import db
from app.models import Bid, Comment, Notification, PlanDocument, PlanVersion, User
from app.plans import documents
from app.plans import services as plan_services
from app.reviews import checks, notify

EDITABLE = ("draft", "changes_requested")
STATUS_WORDS = {"draft": "a draft", "in_review": "in review",
                "changes_requested": "waiting for changes", "approved": "approved",
                "submitted": "submitted"}


class ReviewRefused(Exception):
    """The action does not fit the version's state (or the page was stale)."""


class IncompletePlan(Exception):
    """The completeness checks failed: the plan cannot go for review yet."""

    def __init__(self, problems: list[checks.Problem]) -> None:
        super().__init__("incomplete plan")
        self.problems = problems


def _now() -> datetime:
    return datetime.now(UTC)


def require_status(version: PlanVersion, allowed: tuple[str, ...], action: str) -> None:
    """Refuse an action the version's status does not allow, saying why."""
    if version.status not in allowed:
        raise ReviewRefused(f"Version {version.number} is {STATUS_WORDS[version.status]}, "
                            f"so it cannot be {action}.")


def require_fresh(version: PlanVersion, row_version: str | None) -> None:
    """Refuse a decision taken on a page loaded before the version last changed."""
    if str(row_version or "") != str(version.row_version):
        raise ReviewRefused(f"Version {version.number} changed since you loaded this page "
                            f"(it is now {STATUS_WORDS[version.status]}). Nothing was saved: "
                            "check the plan as it is now and try again.")


def require_unlocked(version: PlanVersion) -> None:
    """Refuse comment changes on an approved or submitted version."""
    if version.locked:
        raise ReviewRefused(f"Version {version.number} is {version.status} and locked, so "
                            "its comments are closed. Comment on a newer version.")


def submit_for_review(bid: Bid, version: PlanVersion, user: User,
                      row_version: str | None) -> None:
    """draft or changes requested -> in review, if every completeness check passes."""
    require_status(version, EDITABLE, "submitted for review")
    require_fresh(version, row_version)
    problems = checks.completeness_problems(bid, version)
    if problems:
        raise IncompletePlan(problems)
    _set_status(bid, version, user, "in_review", "review.submitted",
                f"Submitted version {version.number} for review")
    _commit(notify.review_requested(bid, version, user))


def request_changes(bid: Bid, version: PlanVersion, user: User, row_version: str | None,
                    reason: str) -> None:
    """in review -> changes requested, with the reason kept as a comment."""
    require_status(version, ("in_review",), "sent back for changes")
    require_fresh(version, row_version)
    version.comments.append(Comment(author_id=user.id, section="plan", body=reason))
    _set_status(bid, version, user, "changes_requested", "review.changes_requested",
                f"Asked for changes to version {version.number}")
    _commit(notify.changes_requested(bid, version, user))


def approve(bid: Bid, version: PlanVersion, user: User, row_version: str | None) -> None:
    """in review -> approved; renders the final PDF and stores it with its SHA-256."""
    require_status(version, ("in_review",), "approved")
    require_fresh(version, row_version)
    # The real row, not a request proxy: the PDF prints the approver's name from it.
    version.approved_by, version.approved_at = db.session.get(User, user.id), _now()
    before, version.status = version.status, "approved"
    content = documents.render_pdf(version)  # after the status: the document shows it final
    version.pdf_sha256 = documents.sha256(content)
    version.document = PlanDocument(pdf=content, sha256=version.pdf_sha256)
    _status_changed(bid, version, user, before, "review.approved",
                    f"Approved version {version.number}",
                    approved_by={"before": None, "after": user.display_name},
                    pdf_sha256={"before": None, "after": version.pdf_sha256})
    _commit(notify.approved(bid, version, user))


def mark_submitted(bid: Bid, version: PlanVersion, user: User, row_version: str | None) -> None:
    """approved -> submitted (sent to the client); the stored document is untouched."""
    require_status(version, ("approved",), "marked as submitted")
    require_fresh(version, row_version)
    version.submitted_at = _now()
    _set_status(bid, version, user, "submitted", "review.marked_submitted",
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
                 summary=f"Recorded the outcome: {outcome}",
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


def _set_status(bid: Bid, version: PlanVersion, user: User, status: str, action: str,
                summary: str) -> None:
    """Change the version's status, then keep the bid in step and audit it."""
    before, version.status = version.status, status
    _status_changed(bid, version, user, before, action, summary)


def _status_changed(bid: Bid, version: PlanVersion, user: User, before: str, action: str,
                    summary: str, **changes: dict) -> None:
    """Keep the bid's status equal to its latest version's, audit, refresh the portfolio."""
    latest = plan_services.latest_version(bid)
    bid.status = latest.status if latest is not None else version.status
    audit.record(action, user=user, bid=bid, summary=summary,
                 changes={**audit.diff({"status": before}, {"status": version.status}),
                          **changes})
    refresh_portfolio(bid)


def refresh_portfolio(bid: Bid) -> None:
    """Keep the portfolio's counted-version markers right (same transaction, no commit)."""
    from app.portfolio.services import refresh_counted_version

    refresh_counted_version(bid)


def _commit(notes: list[Notification]) -> None:
    """Commit the change; a concurrent write to the same rows refuses it instead."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ReviewRefused("Someone else changed this plan at the same moment. Nothing was "
                            "saved: check the plan as it is now and try again.") from None
    notify.send_emails(notes)
