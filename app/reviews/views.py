"""What the review pages show: built here so the views stay short.

Forms on a page that was not the one posted are built with ``formdata=None``,
so only the posted form shows what was typed and its errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app import access, audit
from app.extensions import db
from app.models import AuditEvent, Bid, Comment, PlanVersion
from app.reviews import checks, forms
from app.templating import error_items
from app.versions import transitions


@dataclass
class Thread:
    """A top-level comment, its replies, and the reply form under it."""

    comment: Comment
    section: str
    replies: list[Comment]
    reply_form: forms.ReplyForm


@dataclass
class ReviewPage:
    """Everything the review page of one version shows."""

    bid: Bid
    version: PlanVersion
    threads: list[Thread]
    forms: dict[str, FlaskForm]
    problems: list[checks.Problem] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    checklist: list[checks.Problem] | None = None  # None: not waiting to be submitted

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        """(link or None, message) for the error summary at the top of the page."""
        items: list[tuple[str | None, str]] = [(None, message) for message in self.refusals]
        items += [(problem.href, problem.message) for problem in self.problems]
        for form in [*self.forms.values(), *(thread.reply_form for thread in self.threads)]:
            items += [(f"#{field_id}", message) for field_id, message in error_items(form)]
        return items

    @property
    def open_comments(self) -> int:
        return sum(1 for thread in self.threads if thread.comment.resolved_at is None)


def review_page(bid: Bid, version: PlanVersion, *, posted: dict[str, FlaskForm] | None = None,
                problems: list[checks.Problem] | None = None,
                refusal: str | None = None) -> ReviewPage:
    """The page for a version; ``posted`` forms replace the fresh ones (keeping errors)."""
    posted = posted or {}
    row_version = {"row_version": version.row_version}
    page_forms: dict[str, FlaskForm] = {
        "submit": forms.VersionActionForm(formdata=None, data=row_version, prefix="submit"),
        "approve": forms.VersionActionForm(formdata=None, data=row_version, prefix="approve"),
        "changes": forms.RequestChangesForm(formdata=None, data=row_version, prefix="changes"),
        "mark_submitted": forms.VersionActionForm(formdata=None, data=row_version,
                                                  prefix="submitted"),
        "comment": forms.CommentForm(formdata=None, version=version, prefix="comment"),
        "outcome": forms.OutcomeForm(formdata=None, prefix="outcome",
                                     data={"outcome": bid.outcome}),
        "resolve": forms.ResolveForm(formdata=None),
    }
    page_forms.update({name: form for name, form in posted.items() if name in page_forms})
    page = ReviewPage(bid, version, _threads(version, posted), page_forms,
                      refusals=[refusal] if refusal else [])
    if problems is not None:
        page.problems = page.checklist = problems
    elif transitions.SUBMIT.allows(version) and access.can_submit_for_review(current_user, bid):
        page.checklist = checks.completeness_problems(bid, version)
    return page


def _threads(version: PlanVersion, posted: dict[str, FlaskForm]) -> list[Thread]:
    replies: dict[int, list[Comment]] = {}
    for comment in version.comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [Thread(comment, forms.section_label(version, comment.section),
                   replies.get(comment.id, []),
                   posted.get(f"reply-{comment.id}") or
                   forms.ReplyForm(formdata=None, prefix=f"reply-{comment.id}"))
            for comment in version.comments if comment.parent_id is None]


def history_rows(events: list[AuditEvent]) -> list[dict[str, Any]]:
    """Each audit event with its changes as (field, before, after) rows."""
    return [{"event": event, "changes": change_rows(event.changes)} for event in events]


def change_rows(changes: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """{field: {before, after}} (or {"after": snapshot}) as rows for a table, each field
    named and each value shown as the pages show it (money, labels, dates)."""
    if not changes:
        return []
    if set(changes) == {"after"} and isinstance(changes["after"], dict):
        rows = [(key, None, value) for key, value in changes["after"].items()]
    else:
        rows = [(key, value.get("before"), value.get("after")) if isinstance(value, dict)
                and {"before", "after"} >= set(value) else (key, None, value)
                for key, value in changes.items()]
    return [(audit.field_label(key), audit.value_text(key, before), audit.value_text(key, after))
            for key, before, after in rows]


def bid_events(bid: Bid) -> list[AuditEvent]:
    """Every audit event of the bid, oldest first."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.bid_id == bid.id)
                                   .order_by(AuditEvent.created_at, AuditEvent.id)))
