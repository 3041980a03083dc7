"""``estimate``: plan + rate card -> the estimate document of the JSON contract.

The document (money in pounds as numbers with at most two decimals)::

    total_gbp, budget_to_request_gbp, percent_of_bid, level, contributors, duration_weeks
    by_category   {fees, travel_subsistence, ..., training}      all eight keys
    by_stage      {setup, scoping, development, delivery, dissemination}
    by_year       {"1": ..., "2": ...}     every year of the bid and of its lines
    lines         [{category, stage, role, description, quantity, unit,
                    unit_cost_gbp, amount_gbp, year, justification,
                    activity_index, sources}]
    time          {overhead_weeks, schedule_delay_weeks, review_weeks,
                   lead_time_weeks, staff_hours, contributor_hours,
                   recruitment_weeks, easy_read_weeks, duration_weeks}
    timeline      [{kind, label, stage, start_week, end_week, role,
                    activity_index, ...}]
    uncertainty   {draws, seed, mean, p10, p50, p80, p90,
                   recommended_contingency_gbp}
    recommendation {level, reasons}
    warnings      [{code, kind, message, advice[, activity_indices][, details]}]
    rate_card     {id, label, effective_from}
    inputs        the plan as costed, every default filled in:
                  {level, justification, existing_network,
                   contributors (as given, or null), contributor_count (the N used),
                   activities [{role, people, sessions, hours_per_session,
                                prep_hours_per_session, stage, start_week, mode,
                                travel, start_time ("HH:MM" or null),
                                needs {bsl, personal_assistants,
                                       carers_needing_replacement_care}}],
                   accessible_formats {easy_read_pages}, options {draws, seed}}
                  (the bid and the rate card are left out: see ``rate_card``)

``unit_cost_gbp`` is the base unit cost × the year's inflation factor rounded
half-up to the penny, and ``amount_gbp`` is quantity × unit_cost_gbp rounded
half-up to the penny, so a reader's multiplication always comes out.
``budget_to_request_gbp`` is the total plus the recommended contingency (the
P80 budget).

Read a line's stage, start week, hours or travel from ``inputs``, never from
the plan document and the role's defaults: ``inputs`` is what was costed.
``costed.new_line(role, bid)`` is a new line with the same defaults written out.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .costed import costed_inputs
from .deterministic import Costing, cost_plan, totals_json
from .errors import PlanError
from .floors import floor_status
from .inputs import Plan, parse_plan
from .money import ZERO, money_context, pounds, round_half_up, share_of, to_decimal
from .proportionality import plan_warnings, recommend_level
from .ratecard import ENGINE_CARD_IDS, RateCard, default_card, engine_card
from .sizing import PlanBasics
from .timing import time_overhead, timeline, weeks_json
from .uncertainty import plan_coefficients, simulate_totals, summarise

RateCardInput = RateCard | Mapping[str, Any] | None


#: Cards read from documents, by the document's canonical JSON (bounded). The web app
#: passes the same card's document with every estimate; reading it again, and sizing
#: the recommendation's plans again for a new card object, cost more than the estimate's
#: own arithmetic. Cards are immutable, so one read serves every estimate.
_READ_CARDS: dict[str, RateCard] = {}
_READ_CARDS_LIMIT = 32


def card_from_document(document: Any, path: str) -> RateCard:
    """``RateCard.from_dict(document, path)``, read once per distinct document (a
    document that is refused is refused every time: errors are never kept)."""
    try:
        key = json.dumps(document, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):  # not plain JSON: read it as it is, every time
        return RateCard.from_dict(document, path=path)
    card = _READ_CARDS.get(key)
    if card is None:
        card = RateCard.from_dict(document, path=path)
        if len(_READ_CARDS) >= _READ_CARDS_LIMIT:
            _READ_CARDS.clear()
        _READ_CARDS[key] = card
    return card


def resolve_rate_card(plan: Any, rate_card: RateCardInput = None) -> RateCard:
    """The card to cost with: the one given, else the plan's, else ``uk-2026-12``.

    A plan's ``rate_card`` may be the id of one of the engine's cards
    (``"uk-2026"``, ``"uk-2026-12"``), a whole card document, or absent; any
    other id needs the card itself passed in (the web app looks cards up by id
    and passes them).
    """
    if isinstance(rate_card, RateCard):
        return rate_card
    if rate_card is not None:
        return card_from_document(rate_card, "rate_card")
    named = plan.get("rate_card") if isinstance(plan, Mapping) else None
    if named is None:
        return default_card()
    if isinstance(named, str) and named in ENGINE_CARD_IDS:
        return engine_card(named)
    if isinstance(named, Mapping):
        return card_from_document(named, "rate_card")
    shown = str(named)[:40]
    held = "' or '".join(ENGINE_CARD_IDS)
    message = (f"'{shown}' is not a rate card the engine holds; use '{held}' or "
               "pass the card document" if isinstance(named, str)
               else "must be a rate card id or a rate card document")
    raise PlanError([{"field": "rate_card", "message": message,
                      "code": "unknown_value" if isinstance(named, str) else "wrong_type"}])


def estimate(plan: Mapping[str, Any], rate_card: RateCardInput = None) -> dict[str, Any]:
    """Cost ``plan`` (a plan document) under ``rate_card`` (default ``uk-2026-12``).

    Returns the contract's JSON-able estimate document; raises PlanError with
    every field error (including ``justification_required`` and
    ``no_activities``) when the plan cannot be costed.
    """
    card = resolve_rate_card(plan, rate_card)
    parsed = parse_plan(plan, card.policy.justification_min_chars)
    with money_context():
        costing = cost_plan(parsed, card)
        total = costing.total
        time = time_overhead(parsed, card, costing.staff_hours, costing.contributor_hours)
        uncertainty = _uncertainty(parsed, card, costing, total)
        contingency = to_decimal(uncertainty["recommended_contingency_gbp"])
        document = {
            "total_gbp": pounds(total),
            "budget_to_request_gbp": pounds(total + contingency),
            "percent_of_bid": percent_of_bid(total, parsed.bid.value_gbp),
            **totals_json(costing, parsed.bid.duration_weeks),
            "lines": [line.to_dict() for line in costing.lines],
            "time": time.to_dict(),
            "duration_weeks": weeks_json(time.duration_weeks),
            "timeline": timeline(parsed, card, time),
            "uncertainty": uncertainty,
            "recommendation": recommend_level(parsed.bid, card, PlanBasics.of(parsed)),
            "warnings": plan_warnings(parsed, card, total, time),
            "rate_card": card.summary(),
            "level": parsed.level,
            "contributors": parsed.contributor_count,
            "floor": floor_status(parsed, card.policy.justification_min_chars).to_dict(),
            "inputs": costed_inputs(parsed),
        }
    return document


def percent_of_bid(total: Decimal, value_gbp: Decimal) -> float:
    """total / bid value × 100, rounded half-up to two decimals."""
    return pounds(round_half_up(share_of(total, value_gbp), 2))


def _uncertainty(plan: Plan, card: RateCard, costing: Costing, total: Decimal) -> dict:
    plan_wide = [line for line in costing.lines if line.activity_index is None]
    recruitment = sum((line.amount for line in plan_wide
                       if line.category == "staff_coordination"), ZERO)
    fixed = sum((line.amount for line in plan_wide
                 if line.category != "staff_coordination"), ZERO)
    coefficients = plan_coefficients(plan, card, recruitment, fixed)
    totals = simulate_totals(coefficients, card, plan.options.draws, plan.options.seed)
    return summarise(totals, total, plan.options.seed)
