"""JSON shapes of bids and plan versions for the API."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.costing.budget import budget_to_request_gbp
from app.formatting import pence_to_pounds
from app.models import Bid, PlanVersion


def _iso(value) -> str | None:
    """A date as 2027-04-01; a moment in UTC with its offset, 2026-12-01T21:54:23+00:00, on
    every database (SQLite hands back naive UTC times, PostgreSQL aware ones)."""
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value.isoformat() if value is not None else None


def version_summary(version: PlanVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"number": version.number, "status": version.status, "level": version.level,
            "total_gbp": None if version.total_pence is None else
            float(pence_to_pounds(version.total_pence)),
            "budget_to_request_gbp": budget_to_request_gbp(version.estimate),
            "created_at": _iso(version.created_at)}


def bid_summary(bid: Bid) -> dict[str, Any]:
    return {
        "id": bid.id, "title": bid.title, "client": bid.client, "reference": bid.reference,
        "value_gbp": float(pence_to_pounds(bid.value_pence)), "start_date": _iso(bid.start_date),
        "duration_months": bid.duration_months, "scope": bid.scope, "work_type": bid.work_type,
        "client_requires_coproduction": bid.client_requires_coproduction,
        "deadline": _iso(bid.deadline), "status": bid.status, "outcome": bid.outcome,
        "archived": bid.archived, "team": bid.team.name,
        "latest_version": version_summary(bid.versions[-1] if bid.versions else None),
    }


def bid_detail(bid: Bid) -> dict[str, Any]:
    return dict(bid_summary(bid), versions=[version_summary(v) for v in bid.versions])


def version_detail(version: PlanVersion) -> dict[str, Any]:
    approval = None
    if version.approved_at is not None:
        approval = {"approved_by": version.approved_by.email if version.approved_by else None,
                    "approved_at": _iso(version.approved_at),
                    "pdf_sha256": version.pdf_sha256}
    return {
        "bid_id": version.bid_id, "number": version.number, "status": version.status,
        "level": version.level, "rate_card": version.rate_card_id,
        "created_by": version.created_by.email if version.created_by else None,
        "created_at": _iso(version.created_at), "inputs": version.inputs,
        "estimate": version.estimate, "approval": approval,
    }
