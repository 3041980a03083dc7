"""The bridge to the engine: the plan document app.costing costs, built from a bid and
a version's inputs, the default rate card, and costing itself (remembered per plan).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app import costing
from app.cache import remembered
from app.costing.ratecard import DEFAULT_CARD_ID, ENGINE_CARD_IDS, rate_card_document
from app.extensions import db
from app.formatting import pence_to_pounds
from app.models import Bid, PlanVersion, RateCard
from app.versions.statuses import EDITABLE_STATUSES

DEFAULT_OPTIONS = {"draws": 10_000, "seed": 0}


def bid_document(bid: Bid) -> dict[str, Any]:
    """The contract's `bid` object for this bid as it stands now."""
    return {
        "title": bid.title, "client": bid.client, "reference": bid.reference,
        "value_gbp": float(pence_to_pounds(bid.value_pence)), "start_date": bid.start_date.isoformat(),
        "duration_months": bid.duration_months, "scope": bid.scope,
        "work_type": bid.work_type,
        "client_requires_coproduction": bid.client_requires_coproduction,
    }


def default_rate_card() -> RateCard:
    card = db.session.scalar(select(RateCard).where(RateCard.is_default.is_(True)).limit(1))
    return card or db.session.get(RateCard, costing.DEFAULT_CARD_ID)


def seed_rate_cards() -> RateCard:
    """Insert the engine's rate cards (``uk-2026``, ``uk-2026-12``) once; return the default.

    ``uk-2026-12`` is the default for new plans unless an admin chose another card
    (a default other than ``uk-2026``) before it was added.
    """
    chosen = db.session.scalar(select(RateCard).where(RateCard.is_default.is_(True)).limit(1))
    for card_id in ENGINE_CARD_IDS:
        if db.session.get(RateCard, card_id) is None:
            document = rate_card_document(card_id)
            db.session.add(RateCard(
                id=card_id, label=document.get("label", card_id),
                effective_from=date.fromisoformat(document["effective_from"]),
                values=document, is_default=False))
            if card_id == DEFAULT_CARD_ID and (chosen is None or chosen.id in ENGINE_CARD_IDS):
                if chosen is not None:
                    chosen.is_default = False
                chosen = None
    db.session.flush()
    if chosen is None:
        chosen = db.session.get(RateCard, DEFAULT_CARD_ID)
        chosen.is_default = True
    db.session.commit()
    return chosen


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
               justification: str | None, card: RateCard | None = None) -> dict[str, Any]:
    """Inputs after choosing a level: a new level starts from its starting plan sized
    to the bid (the one the level page shows), costed with the plan's card (default:
    the default card)."""
    updated = dict(inputs, level=level, justification=justification if level == "none" else None)
    if level == "none":
        updated["activities"] = []
    elif inputs.get("level") != level or not inputs.get("activities"):
        card = card or default_rate_card()
        updated["activities"] = costing.starting_activities(level, bid_document(bid), inputs,
                                                            card.values)
    return updated


def plan_rate_card(latest: PlanVersion | None) -> RateCard:
    """The card a bid's plan is costed with: its editable version's, else the default."""
    if latest is not None and latest.status in EDITABLE_STATUSES and latest.rate_card:
        return latest.rate_card
    return default_rate_card()
