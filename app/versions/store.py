"""Plan versions stored: reading a bid's versions, and saving a plan as the bid's draft
version (costed, with its audit entry, in one transaction).

Nothing is written unless the engine accepts the plan, so a stored version
always has an estimate that matches its inputs.
"""
from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select

from app import audit
from app.costing.money import to_decimal
from app.extensions import db
from app.formatting import pounds_to_pence
from app.models import Bid, PlanVersion, User
from app.versions.engine import cost, plan_document, plan_rate_card
from app.versions.statuses import EDITABLE_STATUSES
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


def save_plan(bid: Bid, inputs: dict[str, Any], user: User,
              expected_row_version: str | None) -> PlanVersion:
    """Cost the inputs and store them as the bid's draft version.

    Updates the current draft (or the version with changes requested), or
    starts a new draft version numbered after the latest (so approved and
    submitted versions never change: editing one copies it). Raises PlanError
    when the engine refuses the plan, PlanInReview while the latest version
    waits for review, and StaleVersion when someone else saved the draft since
    this user loaded it; in each case nothing is written.
    """
    latest = latest_version(bid)
    if latest is not None and latest.status == "in_review":
        raise PlanInReview(latest)
    editable = latest if latest is not None and latest.status in EDITABLE_STATUSES else None
    if editable is not None and expected_row_version not in (None, "",
                                                             str(editable.row_version)):
        raise StaleVersion(editable)
    card = plan_rate_card(latest)
    document = plan_document(bid, inputs, card)
    estimate = cost(document, card)
    if editable is not None and editable.inputs == document:
        return editable  # nothing changed: no new row, no audit entry
    version = editable or _new_version(bid, latest, user)
    before = {"level": version.level, "total_pence": version.total_pence}
    version.inputs, version.estimate = document, estimate
    version.level, version.rate_card_id = document.get("level"), card.id
    version.updated_by_id = user.id
    version.total_pence = pounds_to_pence(to_decimal(estimate["total_gbp"]))
    keep_bid_in_step(bid)
    audit.record("plan.saved", user=user, bid=bid,
                 summary=f"Saved plan version {version.number}",
                 changes=audit.diff(before, {"level": version.level,
                                             "total_pence": version.total_pence}))
    db.session.commit()
    return version


def _new_version(bid: Bid, latest: PlanVersion | None, user: User) -> PlanVersion:
    version = PlanVersion(bid=bid, number=(latest.number + 1) if latest else 1,
                          status="draft", created_by_id=user.id, inputs={})
    db.session.add(version)
    return version
