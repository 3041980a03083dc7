"""Review pages: submit for review, comment, approve or request changes, mark as
submitted, record the outcome; compare versions; the bid's history; notifications.

Access is decided in app.access (403, or 404 for another team's bid); the
version's state in app.reviews.services (a refusal is shown on the page, 409).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import access
from app.extensions import db
from app.idempotency import once
from app.models import Comment, Notification
from app.reviews import compare as comparing
from app.reviews import forms, notify, services, views
from app.versions import store

bp = Blueprint("reviews", __name__)
notifications_bp = Blueprint("notifications", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every review page needs a signed-in user."""


@notifications_bp.before_request
@login_required
def require_sign_in_for_notifications() -> None:
    """Notifications belong to the signed-in user."""


@notifications_bp.app_template_global()
def unread_notification_count() -> int:
    """The header's unread count for the signed-in user."""
    return notify.unread_count(current_user)


def _load(bid_id: int, number: int, *, for_edit: bool = False):
    bid = access.get_bid_or_404(current_user, bid_id, for_edit=for_edit)
    return bid, store.get_version_or_404(bid, number)


def _allow(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _show(bid, version, status: int = 200, **page_options):
    page = views.review_page(bid, version, **page_options)
    return render_template("reviews/version.html", bid=bid, version=version, page=page), status


def _act(bid, version, action: Callable[[], object], success: str, posted=None):
    """Run a service; show its refusal on the page, or flash success and go back."""
    try:
        services.refusing_races(action)
    except services.IncompletePlan as incomplete:
        return _show(bid, version, problems=incomplete.problems, posted=posted)
    except services.ReviewRefused as refused:
        return _show(bid, version, 409, refusal=str(refused), posted=posted)
    flash(success, "success")
    return redirect(url_for("reviews.version", bid_id=bid.id, number=version.number))


@bp.get("/versions/<int:number>")
def version(bid_id: int, number: int):
    """A version's review: status, checks, decision, comments."""
    bid, plan_version = _load(bid_id, number)
    return _show(bid, plan_version)


@bp.post("/versions/<int:number>/submit")
def submit(bid_id: int, number: int):
    """Send a draft (or a version with changes requested) for review, if it is complete."""
    bid, plan_version = _load(bid_id, number, for_edit=True)
    _allow(access.can_submit_for_review(current_user, bid))
    form = forms.VersionActionForm(prefix="submit")
    return _act(bid, plan_version, lambda: services.submit_for_review(
        bid, plan_version, current_user, form.row_version.data),
        f"Version {number} sent for review. The team's reviewers have been told.")


@bp.post("/versions/<int:number>/approve")
def approve(bid_id: int, number: int):
    """Approve (four eyes): locks the version and stores its PDF with the SHA-256."""
    bid, plan_version = _load(bid_id, number)
    _allow(access.can_approve(current_user, bid, plan_version))
    form = forms.VersionActionForm(prefix="approve")
    return _act(bid, plan_version, lambda: services.approve(
        bid, plan_version, current_user, form.row_version.data),
        f"Version {number} approved and locked. Its plan document is stored.")


@bp.post("/versions/<int:number>/request-changes")
def request_changes(bid_id: int, number: int):
    """Send the version back to its author with the reason as a comment."""
    bid, plan_version = _load(bid_id, number)
    _allow(access.can_request_changes(current_user, bid))
    form = forms.RequestChangesForm(prefix="changes")
    if not form.validate_on_submit():
        return _show(bid, plan_version, posted={"changes": form})
    return _act(bid, plan_version, lambda: services.request_changes(
        bid, plan_version, current_user, form.row_version.data, form.reason.data),
        f"Changes requested on version {number}. The author has been told.",
        posted={"changes": form})


@bp.post("/versions/<int:number>/mark-submitted")
def mark_submitted(bid_id: int, number: int):
    """Record that the approved version went to the client."""
    bid, plan_version = _load(bid_id, number, for_edit=True)
    _allow(access.can_record_submission(current_user, bid))
    form = forms.VersionActionForm(prefix="submitted")
    return _act(bid, plan_version, lambda: services.mark_submitted(
        bid, plan_version, current_user, form.row_version.data),
        f"Version {number} marked as submitted to the client.")


@bp.post("/versions/<int:number>/outcome")
def record_outcome(bid_id: int, number: int):
    """Record the client's decision (won, lost, withdrawn) on a submitted bid."""
    bid, plan_version = _load(bid_id, number, for_edit=True)
    _allow(access.can_record_submission(current_user, bid))
    form = forms.OutcomeForm(prefix="outcome")
    if not form.validate_on_submit():
        return _show(bid, plan_version, posted={"outcome": form})
    return _act(bid, plan_version,
                lambda: services.record_outcome(bid, current_user, form.outcome.data),
                f"Outcome recorded: {form.outcome.data}.", posted={"outcome": form})


def _version_page(bid_id: int, number: int, **_ignored) -> str:
    return url_for("reviews.version", bid_id=bid_id, number=number)


@bp.post("/versions/<int:number>/comments")
@once(fallback=_version_page)
def add_comment(bid_id: int, number: int):
    """A new comment on the plan, one of its sections or one line."""
    bid, plan_version = _load(bid_id, number, for_edit=True)
    _allow(access.can_comment(current_user, bid))
    form = forms.CommentForm(prefix="comment", version=plan_version)
    if not form.validate_on_submit():
        return _show(bid, plan_version, posted={"comment": form})
    return _act(bid, plan_version, lambda: services.add_comment(
        bid, plan_version, current_user, form.section.data, form.body.data),
        "Comment added.", posted={"comment": form})


@bp.post("/versions/<int:number>/comments/<int:comment_id>/replies")
@once(fallback=_version_page)
def reply(bid_id: int, number: int, comment_id: int):
    """A reply in a comment's thread."""
    bid, plan_version = _load(bid_id, number, for_edit=True)
    _allow(access.can_comment(current_user, bid))
    parent = _comment_or_404(plan_version, comment_id)
    form = forms.ReplyForm(prefix=f"reply-{parent.id}")
    posted = {f"reply-{parent.id}": form}
    if not form.validate_on_submit():
        return _show(bid, plan_version, posted=posted)
    return _act(bid, plan_version, lambda: services.add_comment(
        bid, plan_version, current_user, parent.section, form.body.data, parent=parent),
        "Reply added.", posted=posted)


@bp.post("/versions/<int:number>/comments/<int:comment_id>/resolve")
def resolve(bid_id: int, number: int, comment_id: int):
    """Mark a comment resolved, or reopen it."""
    bid, plan_version = _load(bid_id, number, for_edit=True)
    _allow(access.can_comment(current_user, bid))
    comment = _comment_or_404(plan_version, comment_id)
    form = forms.ResolveForm()
    if not form.validate_on_submit():
        return _show(bid, plan_version, 400, refusal="Choose to resolve or reopen the comment.")
    resolved = form.resolved.data == "1"
    return _act(bid, plan_version, lambda: services.set_resolved(
        bid, plan_version, comment, current_user, resolved),
        "Comment marked as resolved." if resolved else "Comment reopened.")


def _comment_or_404(plan_version, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.version_id != plan_version.id:
        abort(404)
    return comment


@bp.get("/compare")
def compare(bid_id: int):
    """Two versions side by side: changed inputs and the cost difference."""
    bid = access.get_bid_or_404(current_user, bid_id)
    numbers = [plan_version.number for plan_version in bid.versions]
    if not numbers:
        abort(404)
    form = forms.CompareForm(request.args, numbers=numbers)
    older = form.older.data if form.older.data in numbers else numbers[max(len(numbers) - 2, 0)]
    newer = form.newer.data if form.newer.data in numbers else numbers[-1]
    form.older.data, form.newer.data = older, newer
    comparison = comparing.compare_versions(store.get_version_or_404(bid, older),
                                            store.get_version_or_404(bid, newer))
    return render_template("reviews/compare.html", bid=bid, form=form, comparison=comparison)


@bp.get("/history")
def history(bid_id: int):
    """Every recorded change to the bid and its versions (read only)."""
    bid = access.get_bid_or_404(current_user, bid_id)
    rows = views.history_rows(views.bid_events(bid))
    return render_template("reviews/history.html", bid=bid, rows=rows)


@notifications_bp.get("/")
def index():
    """The user's notifications and, for reviewers, the plans waiting for them."""
    return render_template("reviews/notifications.html",
                           notifications=notify.for_user(current_user),
                           waiting=notify.waiting_for_review(current_user))


@notifications_bp.post("/<int:notification_id>/read")
def mark_read(notification_id: int):
    """Mark one notification read (only the user's own: anyone else's is not found)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    notify.mark_read(current_user, notification_id)
    flash("Notification marked as read.", "success")
    return redirect(url_for("notifications.index"))


@notifications_bp.post("/read-all")
def mark_all_read():
    """Mark every notification of the user read."""
    changed = notify.mark_read(current_user)
    flash(f"{changed} notification{'s' if changed != 1 else ''} marked as read.", "success")
    return redirect(url_for("notifications.index"))
