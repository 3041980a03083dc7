"""Plan versions stored: reading a bid's versions, and saving a plan as the bid's draft
version (costed, with its audit entry, in one transaction).

Nothing is written unless the engine accepts the plan, so a stored version
always has an estimate that matches its inputs.
"""
from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.costing.money import to_decimal
from app.extensions import db
from app.formatting import pounds_to_pence
from app.models import AuditEvent, Bid, PlanVersion, User
from app.versions.engine import cost, plan_document, plan_rate_card
from app.versions.statuses import EDITABLE_STATUSES, LOCKED_STATUSES, status_in_sentence
from app.versions.transitions import keep_bid_in_step


class PlanInReview(Exception):
    """The latest version waits for review: it cannot change until a reviewer acts."""

    def __init__(self, version: PlanVersion) -> None:
        super().__init__("plan in review")
        self.version = version


class StaleVersion(Exception):
    """Someone else saved the draft after this form was loaded."""

    def __init__(self, current: PlanVersion) -> None:
        super().__init__("stale plan version")
        self.current = current


def latest_version(bid: Bid) -> PlanVersion | None:
    return db.session.scalar(select(PlanVersion).where(PlanVersion.bid_id == bid.id)
                             .order_by(PlanVersion.number.desc()).limit(1))


def get_version_or_404(bid: Bid, number: int) -> PlanVersion:
    version = db.session.scalar(select(PlanVersion).where(
        PlanVersion.bid_id == bid.id, PlanVersion.number == number))
    if version is None:
        abort(404)
    return version


def edit_token(version: PlanVersion | None) -> str:
    """What a plan form carries to say which version it was loaded from: "<number>.<row
    version>" (empty for a bid without a plan)."""
    return f"{version.number}.{version.row_version}" if version is not None else ""


def _require_loaded_from(latest: PlanVersion | None, editable: PlanVersion | None,
                         token: str | None) -> None:
    """Refuse a save from a page loaded from another version than the one it would
    change, or from the same draft before someone else saved it.

    The token names the version (see edit_token): a tab left open on version 1 while
    version 1 was approved and someone started version 2 names 1, not 2, so it is
    refused even if the two row versions happen to be equal. A bare row version (older
    pages) is compared with the draft's as before; no token at all skips the check."""
    if not token or latest is None:
        return
    number, dot, row_version = token.partition(".")
    if not dot:  # a bare row version
        if editable is not None and token != str(editable.row_version):
            raise StaleVersion(editable)
        return
    if number != str(latest.number):
        raise StaleVersion(latest)
    if editable is not None and row_version != str(editable.row_version):
        raise StaleVersion(editable)


def save_plan(bid: Bid, inputs: dict[str, Any], user: User,
              expected: str | None) -> PlanVersion:
    """Cost the inputs and store them as the bid's draft version.

    Updates the current draft (or the version with changes requested), or
    starts a new draft version numbered after the latest (so approved and
    submitted versions never change: editing one copies it). ``expected`` is the
    form's edit_token. Raises PlanError when the engine refuses the plan,
    PlanInReview while the latest version waits for review, and StaleVersion when
    the page was loaded from another version or someone else saved the draft since
    (also when they save at the same moment); in each case nothing is written.
    """
    latest = latest_version(bid)
    if latest is not None and latest.status == "in_review":
        raise PlanInReview(latest)
    editable = latest if latest is not None and latest.status in EDITABLE_STATUSES else None
    _require_loaded_from(latest, editable, expected)
    card = plan_rate_card(latest)
    document = plan_document(bid, inputs, card)
    estimate = cost(document, card)
    if editable is not None and editable.inputs == document:
        return editable  # nothing changed: no new row, no audit entry
    try:
        version = _store(bid, latest, editable, document, estimate, card, user)
    except (StaleDataError, IntegrityError):  # another save won, seen at an early flush
        db.session.rollback()
        raise StaleVersion(latest_version(bid)) from None
    commit_or_stale(bid)
    return version


def _store(bid, latest, editable, document, estimate, card, user) -> PlanVersion:
    version = editable or _new_version(bid, latest, user)
    before = {"level": version.level, "total_pence": version.total_pence}
    version.inputs, version.estimate = document, estimate
    version.level, version.rate_card_id = document.get("level"), card.id
    version.updated_by_id = user.id
    version.total_pence = pounds_to_pence(to_decimal(estimate["total_gbp"]))
    keep_bid_in_step(bid)
    audit.record("plan.saved", user=user, bid=bid, version_number=version.number,
                 summary=f"Saved plan version {version.number}",
                 changes=audit.diff(before, {"level": version.level,
                                             "total_pence": version.total_pence}))
    return version


def commit_or_stale(bid: Bid) -> None:
    """Commit; if another save of the same rows won the race (the version or bid row
    changed underneath, or the same new version number was taken), roll back and raise
    StaleVersion with the winner, which is intact."""
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        winner = latest_version(bid)
        if winner is None:
            raise
        raise StaleVersion(winner) from None


# While its latest version is in review, approved or submitted, the bid is locked too:
# that version was costed, checked and approved against these very bid details.
BID_LOCKING_STATUSES = ("in_review", *LOCKED_STATUSES)


def bid_locked_by(bid: Bid) -> PlanVersion | None:
    """The version that locks the bid's details, if any (see BID_LOCKING_STATUSES)."""
    latest = latest_version(bid)
    return latest if latest is not None and latest.status in BID_LOCKING_STATUSES else None


def bid_lock_message(version: PlanVersion) -> str:
    if version.status == "in_review":
        return (f"The bid cannot change while version {version.number} of its plan is in "
                "review: the review is of these details. Ask a reviewer to request changes, "
                "then edit the bid.")
    return (f"The bid cannot change: version {version.number} of its plan is "
            f"{status_in_sentence(version.status)} with these details. Edit the plan to "
            "start a new version, then edit the bid.")


# Audit actions that change a version's plan (four eyes: none of their authors approves).
VERSION_EDITS = ("plan.saved", "plan.fitted")


def editors_of(version: PlanVersion) -> set[int]:
    """Everyone who changed this version: its creator, its last editor, and every author
    of a save or fit of it in the audit trail."""
    authors = set(db.session.scalars(
        select(AuditEvent.user_id).where(AuditEvent.bid_id == version.bid_id,
                                         AuditEvent.version_number == version.number,
                                         AuditEvent.action.in_(VERSION_EDITS),
                                         AuditEvent.user_id.is_not(None)).distinct()))
    return authors | {user_id for user_id in (version.created_by_id, version.updated_by_id)
                      if user_id is not None}


def _new_version(bid: Bid, latest: PlanVersion | None, user: User) -> PlanVersion:
    version = PlanVersion(bid=bid, number=(latest.number + 1) if latest else 1,
                          status="draft", created_by_id=user.id, inputs={})
    db.session.add(version)
    return version
