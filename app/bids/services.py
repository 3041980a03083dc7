"""Write-side operations on bids: each change and its audit entry in one transaction."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.extensions import db
from app.formatting import pence_to_pounds, pounds_to_pence
from app.models import Bid, User
from app.versions import store

EDITABLE_FIELDS = ("title", "client", "reference", "value_pence", "start_date",
                   "duration_months", "scope", "region", "work_type", "client_requires_coproduction",
                   "deadline", "team_id")


def form_values(form) -> dict[str, Any]:
    """The bid's columns from a validated BidForm."""
    return {
        "title": form.title.data.strip(),
        "client": form.client.data.strip(),
        "reference": (form.reference.data or "").strip(),
        "value_pence": pounds_to_pence(form.value_gbp.data),
        "start_date": form.start_date.data,
        "duration_months": form.duration_months.data,
        "scope": form.scope.data,
        "region": form.region.data or None,
        "work_type": form.work_type.data,
        "client_requires_coproduction": bool(form.client_requires_coproduction.data),
        "deadline": form.deadline.data,
        "team_id": form.team_id.data,
    }


def form_data_for(bid: Bid) -> dict[str, Any]:
    """A BidForm's initial data from a stored bid."""
    data = {field: getattr(bid, field) for field in EDITABLE_FIELDS if field != "value_pence"}
    data["value_gbp"] = pence_to_pounds(bid.value_pence)
    data["region"] = bid.region or ""
    data["row_version"] = bid.row_version
    return data


def snapshot(bid: Bid) -> dict[str, Any]:
    """JSON-able values of the editable fields, for the audit log."""
    values = {field: getattr(bid, field) for field in EDITABLE_FIELDS}
    return {key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in values.items()}


def create_bid(values: dict[str, Any], user: User) -> Bid:
    bid = Bid(**values, created_by_id=user.id)
    db.session.add(bid)
    audit.record("bid.created", user=user, bid=bid, summary=f"Created bid “{bid.title}”",
                 changes={"after": snapshot(bid)})
    db.session.commit()
    return bid


class BidLocked(Exception):
    """The bid's plan is in review, approved or submitted: its details cannot change."""


class BidChanged(Exception):
    """Someone else saved the bid at the same moment: nothing of this edit was written."""


def update_bid(bid: Bid, values: dict[str, Any], user: User) -> dict[str, Any]:
    """Apply the edit; return what changed (nothing is written when nothing changed).
    Raises BidLocked while a plan version locks the bid, BidChanged if another save won."""
    locking = store.bid_locked_by(bid)
    if locking is not None:
        raise BidLocked(store.bid_lock_message(locking))
    before = snapshot(bid)
    for field, value in values.items():
        setattr(bid, field, value)
    changes = audit.diff(before, snapshot(bid))
    if changes:
        audit.record("bid.updated", user=user, bid=bid,
                     summary="Edited " + ", ".join(
                         sorted(audit.field_label(field).lower() for field in changes)),
                     changes=changes)
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            raise BidChanged() from None
    return changes


def set_archived(bid: Bid, archived: bool, user: User) -> None:
    bid.archived_at = datetime.now(UTC) if archived else None
    audit.record("bid.archived" if archived else "bid.restored", user=user, bid=bid,
                 summary="Archived the bid" if archived else "Restored the bid")
    db.session.commit()
