"""``compare_levels``: the four levels side by side for one bid.

Each level is costed from its starting plan sized to the bid (``sizing.py``:
the template for the bid's kind of work and duration, trimmed to the level's
target share, never below its floor), with an existing plan's
``existing_network``, ``contributors``, ``accessible_formats`` and ``options``
when one is given. Each row carries the sized plan's ``activities``, so
choosing a level starts from exactly the plan shown. Level ``none`` costs
nothing and adds no time.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .checks import FieldErrors, read_bool, read_choice, read_number
from .engine import RateCardInput, estimate, resolve_rate_card
from .floors import floor_requirements
from .inputs import CONTRIBUTORS_MAX, Bid, read_bid, read_easy_read_pages, read_options
from .money import pounds
from .proportionality import recommend_level
from .ratecard import RateCard
from .sizing import PlanBasics, sized_plan
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
    basics = _basics(errors, base)
    errors.raise_if_any()
    recommendation = recommend_level(parsed_bid, card, basics)
    levels = [_level_row(level, base, card, recommendation["level"], parsed_bid, basics)
              for level in LEVELS]
    return {
        "bid": {"value_gbp": float(parsed_bid.value_gbp),
                "duration_weeks": weeks_json(parsed_bid.duration_weeks),
                "scope": parsed_bid.scope, "work_type": parsed_bid.work_type,
                "client_requires_coproduction": parsed_bid.client_requires_coproduction},
        "recommendation": recommendation,
        "disproportionate_percent": float(card.policy.disproportionate_percent),
        "rate_card": card.summary(),
        "levels": levels,
    }


def starting_activities(level: str, bid: Mapping[str, Any],
                        plan: Mapping[str, Any] | None = None,
                        rate_card: RateCardInput = None) -> list[dict[str, Any]]:
    """The activity lines a plan starts from at ``level``: the level's sized plan for
    ``bid`` (as :func:`compare_levels` shows it), costed with ``rate_card``."""
    card = resolve_rate_card(plan if isinstance(plan, Mapping) else {}, rate_card)
    base = _base_plan(bid, plan, None, None)
    errors = FieldErrors()
    parsed_bid = read_bid(errors, bid, "bid")
    choice = read_choice(errors, {"level": level}, "level", "", LEVELS, noun="level")
    basics = _basics(errors, base)
    errors.raise_if_any()
    return sized_plan(choice, parsed_bid, card, basics).activities


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


def _basics(errors: FieldErrors, base: Mapping[str, Any]) -> PlanBasics:
    """The network, contributors and easy read pages a sized plan takes from the plan."""
    network = read_bool(errors, base, "existing_network", "", default=False)
    contributors = read_number(errors, base, "contributors", "", low=0, high=CONTRIBUTORS_MAX,
                               whole=True, default=None)
    return PlanBasics(bool(network), contributors, read_easy_read_pages(errors, base))


def _level_row(level: str, base: dict[str, Any], card: RateCard, recommended: str,
               bid: Bid, basics: PlanBasics) -> dict[str, Any]:
    sized = sized_plan(level, bid, card, basics)
    row: dict[str, Any] = {"level": level, "label": LEVEL_LABELS[level],
                           "description": LEVEL_DESCRIPTIONS[level],
                           "recommended": level == recommended,
                           "floor_requirements": floor_requirements(level, bid.work_type),
                           "target_percent": float(sized.target_percent),
                           "target_gbp": pounds(sized.target_gbp),
                           "template_total_gbp": pounds(sized.template_total),
                           "floor_total_gbp": pounds(sized.floor_total),
                           "floor_above_target": sized.floor_above_target,
                           "activities": sized.activities}
    if level == "none":
        row.update(total_gbp=0.0, percent_of_bid=0.0, overhead_weeks=0, lead_time_weeks=0,
                   p80_gbp=0.0, recommended_contingency_gbp=0.0, budget_to_request_gbp=0.0,
                   contributors=0,
                   activity_count=0,
                   warnings=["below_client_requirement"] if bid.client_requires_coproduction
                   else [])
        return row
    result = estimate({**base, "level": level, "activities": row["activities"]}, card)
    row.update(total_gbp=result["total_gbp"], percent_of_bid=result["percent_of_bid"],
               overhead_weeks=result["time"]["overhead_weeks"],
               lead_time_weeks=result["time"]["lead_time_weeks"],
               p80_gbp=result["uncertainty"]["p80"],
               recommended_contingency_gbp=result["uncertainty"]["recommended_contingency_gbp"],
               budget_to_request_gbp=result["budget_to_request_gbp"],
               contributors=result["contributors"], activity_count=len(row["activities"]),
               floor=result["floor"],
               warnings=[warning["code"] for warning in result["warnings"]])
    return row
