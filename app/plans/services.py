"""Plan versions: building the engine's plan document from a bid, costing it, and
saving it as the bid's draft version (with its audit entry, in one transaction).

Nothing is written unless the engine accepts the plan, so a stored version
always has an estimate that matches its inputs.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import audit, costing
from app.cache import remembered
from app.extensions import db
from app.models import Bid, PlanVersion, RateCard, User
from app.portfolio.services import refresh_counted_version

EDITABLE_STATUSES = ("draft", "changes_requested")
DEFAULT_OPTIONS = {"draws": 10_000, "seed": 0}


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


def bid_document(bid: Bid) -> dict[str, Any]:
    """The contract's `bid` object for this bid as it stands now."""
    return {
        "title": bid.title, "client": bid.client, "reference": bid.reference,
        "value_gbp": bid.value_pence / 100, "start_date": bid.start_date.isoformat(),
        "duration_months": bid.duration_months, "scope": bid.scope,
        "work_type": bid.work_type,
        "client_requires_coproduction": bid.client_requires_coproduction,
    }


def latest_version(bid: Bid) -> PlanVersion | None:
    return db.session.scalar(select(PlanVersion).where(PlanVersion.bid_id == bid.id)
                             .order_by(PlanVersion.number.desc()).limit(1))


def get_version_or_404(bid: Bid, number: int) -> PlanVersion:
    version = db.session.scalar(select(PlanVersion).where(
        PlanVersion.bid_id == bid.id, PlanVersion.number == number))
    if version is None:
        from flask import abort
        abort(404)
    return version


def default_rate_card() -> RateCard:
    card = db.session.scalar(select(RateCard).where(RateCard.is_default.is_(True)).limit(1))
    return card or db.session.get(RateCard, costing.DEFAULT_CARD_ID)


def starting_inputs(latest: PlanVersion | None) -> dict[str, Any]:
    """The inputs an edit starts from: the latest version's (pass `latest_version(bid)`),
    or an empty plan for a bid with no version yet."""
    if latest is not None:
        return dict(latest.inputs)
    return {"level": None, "justification": None, "existing_network": False,
            "contributors": None, "activities": [], "accessible_formats": {"easy_read_pages": 0}}


def plan_document(bid: Bid, inputs: dict[str, Any], card: RateCard) -> dict[str, Any]:
    """The full plan document the engine costs: the bid now, the plan inputs, the card."""
    document = {key: value for key, value in inputs.items() if key not in ("bid", "options")}
    document.update(bid=bid_document(bid), rate_card=card.id,
                    options=inputs.get("options") or DEFAULT_OPTIONS)
    return document


def cost(document: dict[str, Any], card: RateCard) -> dict[str, Any]:
    """Run the engine (or find its answer for this very plan and card: the preview
    as someone edits and the save that follows ask for the same one); raises
    costing.PlanError with field errors."""
    return remembered("estimate", (document, card.id, card.values),
                      lambda: costing.estimate(document, card.values))


def with_level(inputs: dict[str, Any], bid: Bid, level: str,
               justification: str | None) -> dict[str, Any]:
    """Inputs after choosing a level: a new level starts from its template lines."""
    updated = dict(inputs, level=level, justification=justification if level == "none" else None)
    if level == "none":
        updated["activities"] = []
    elif inputs.get("level") != level or not inputs.get("activities"):
        updated["activities"] = costing.template_activities(level, bid.work_type,
                                                            bid_document(bid))
    return updated


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
    card = editable.rate_card if editable is not None and editable.rate_card else \
        default_rate_card()
    document = plan_document(bid, inputs, card)
    estimate = cost(document, card)
    if editable is not None and editable.inputs == document:
        return editable  # nothing changed: no new row, no audit entry
    version = editable or _new_version(bid, latest, user)
    before = {"level": version.level, "total_pence": version.total_pence}
    version.inputs, version.estimate = document, estimate
    version.level, version.rate_card_id = document.get("level"), card.id
    version.updated_by_id = user.id
    version.total_pence = round(estimate["total_gbp"] * 100)
    bid.status = version.status
    audit.record("plan.saved", user=user, bid=bid,
                 summary=f"Saved plan version {version.number}",
                 changes=audit.diff(before, {"level": version.level,
                                             "total_pence": version.total_pence}))
    refresh_counted_version(bid)
    db.session.commit()
    return version


def _new_version(bid: Bid, latest: PlanVersion | None, user: User) -> PlanVersion:
    version = PlanVersion(bid=bid, number=(latest.number + 1) if latest else 1,
                          status="draft", created_by_id=user.id, inputs={})
    db.session.add(version)
    return version
