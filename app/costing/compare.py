"""``compare_levels``: the four levels side by side for one bid.

Each level is costed from its template (``templates.py``) for the bid's kind
of work, with an existing plan's ``existing_network``, ``contributors``,
``accessible_formats`` and ``options`` when one is given. Level ``none``
costs nothing and adds no time.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .checks import FieldErrors
from .engine import RateCardInput, estimate, resolve_rate_card
from .inputs import Bid, read_bid, read_options
from .proportionality import recommend_level
from .ratecard import RateCard
from .templates import template_activities
from .timing import weeks_json
from .vocabulary import LEVEL_DESCRIPTIONS, LEVEL_LABELS, LEVELS

_CARRIED_OVER = ("existing_network", "contributors", "accessible_formats", "options")


def compare_levels(bid: Mapping[str, Any], plan: Mapping[str, Any] | None = None,
                   rate_card: RateCardInput = None, *, draws: int | None = None,
                   seed: int | None = None) -> dict[str, Any]:
    """Cost, time, % of bid and P80 of every level for ``bid``, and the recommendation.

    ``plan`` (optional) lends its network, contributors, easy read pages and
    simulation options; ``draws``/``seed`` override its options. Raises
    PlanError for an invalid bid, card or option.
    """
    card = resolve_rate_card(plan if isinstance(plan, Mapping) else {}, rate_card)
    base = _base_plan(bid, plan, draws, seed)
    errors = FieldErrors()
    parsed_bid = read_bid(errors, bid, "bid")
    read_options(errors, base.get("options"))
    errors.raise_if_any()
    recommendation = recommend_level(parsed_bid, card.policy)
    levels = [_level_row(level, base, card, recommendation["level"], parsed_bid)
              for level in LEVELS]
    return {
        "bid": {"value_gbp": float(parsed_bid.value_gbp),
                "duration_weeks": weeks_json(parsed_bid.duration_weeks),
                "scope": parsed_bid.scope, "work_type": parsed_bid.work_type,
                "client_requires_coproduction": parsed_bid.client_requires_coproduction},
        "recommendation": recommendation,
        "rate_card": card.summary(),
        "levels": levels,
    }


def _base_plan(bid: Any, plan: Mapping[str, Any] | None, draws: int | None,
               seed: int | None) -> dict[str, Any]:
    base: dict[str, Any] = {"bid": bid}
    if isinstance(plan, Mapping):
        base.update({key: plan[key] for key in _CARRIED_OVER if key in plan})
    options = base.get("options")
    if options is None or isinstance(options, Mapping):  # anything else is reported later
        options = dict(options or {})
        if draws is not None:
            options["draws"] = draws
        if seed is not None:
            options["seed"] = seed
        base["options"] = options
    return base


def _level_row(level: str, base: dict[str, Any], card: RateCard, recommended: str,
               bid: Bid) -> dict[str, Any]:
    row: dict[str, Any] = {"level": level, "label": LEVEL_LABELS[level],
                           "description": LEVEL_DESCRIPTIONS[level],
                           "recommended": level == recommended}
    if level == "none":
        row.update(total_gbp=0.0, percent_of_bid=0.0, overhead_weeks=0, lead_time_weeks=0,
                   p80_gbp=0.0, recommended_contingency_gbp=0.0, contributors=0,
                   activity_count=0,
                   warnings=["below_client_requirement"] if bid.client_requires_coproduction
                   else [])
        return row
    activities = template_activities(level, bid.work_type, base["bid"])
    result = estimate({**base, "level": level, "activities": activities}, card)
    row.update(total_gbp=result["total_gbp"], percent_of_bid=result["percent_of_bid"],
               overhead_weeks=result["time"]["overhead_weeks"],
               lead_time_weeks=result["time"]["lead_time_weeks"],
               p80_gbp=result["uncertainty"]["p80"],
               recommended_contingency_gbp=result["uncertainty"]["recommended_contingency_gbp"],
               contributors=result["contributors"], activity_count=len(activities),
               warnings=[warning["code"] for warning in result["warnings"]])
    return row
