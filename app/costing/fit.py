"""``fit``: a plan trimmed to a budget (``docs/costing-model.md``, "Fit to a budget").

The search is :func:`app.costing.trimming.trim`; here the budget is read (in
pounds, or a percent of the bid), the trimmed plan document is built with the
list of changes, and it is costed once, Monte Carlo included.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .checks import FieldErrors, read_number
from .engine import RateCardInput, estimate, resolve_rate_card
from .errors import PlanError
from .inputs import Plan, parse_plan
from .money import format_gbp, money_context, pounds, round_pence
from .ratecard import RateCard
from .trimming import BOUNDS, Trim, trim

BUDGET_MAX = 1_000_000_000_000
__all__ = ["BOUNDS", "fit", "read_budget"]


def fit(document: Mapping[str, Any], budget_gbp: Any = None, budget_percent: Any = None,
        card: RateCardInput = None) -> dict[str, Any]:
    """``document`` (a plan) trimmed to a budget in pounds or as a percent of the bid.

    Returns ``{"plan", "estimate", "bound", "budget_gbp", "changes"}``: the
    trimmed plan document, its estimate, why trimming stopped
    (``under_budget``, ``budget`` or ``floor``) and every change as
    ``{"activity_index", "field", "from", "to"}``. Raises PlanError listing
    every bad field (the plan's and the budget's).
    """
    errors = FieldErrors()
    plan = _parse(errors, document, card)
    rate_card = plan[1] if plan else None
    parsed = plan[0] if plan else None
    budget = read_budget(errors, budget_gbp, budget_percent,
                         parsed.bid.value_gbp if parsed else None)
    errors.raise_if_any()
    assert parsed is not None and rate_card is not None and budget is not None
    with money_context():
        result = trim(parsed, rate_card, budget)
    trimmed, changes = _apply(document, parsed, result)
    costed = estimate(trimmed, rate_card)
    if result.bound == "floor":
        costed["warnings"].append(over_budget_warning(result.total, budget))
    return {"plan": trimmed, "estimate": costed, "bound": result.bound,
            "budget_gbp": pounds(budget), "changes": changes}


def _parse(errors: FieldErrors, document: Any,
           card: RateCardInput) -> tuple[Plan, RateCard] | None:
    try:
        rate_card = resolve_rate_card(document, card)
        return parse_plan(document, rate_card.policy.justification_min_chars), rate_card
    except PlanError as problem:
        errors.items.extend(problem.errors)
        return None


def read_budget(errors: FieldErrors, budget_gbp: Any, budget_percent: Any,
                bid_value: Decimal | None) -> Decimal | None:
    """The budget in pounds to the penny: ``budget_gbp``, or ``budget_percent`` of the bid."""
    if budget_gbp is not None and budget_percent is not None:
        errors.add("budget_gbp", "give a budget in pounds or as a percent of the bid, not both",
                   "conflict")
        return None
    if budget_gbp is None and budget_percent is None:
        errors.add("budget_gbp", "is required: a budget in pounds, or budget_percent (a "
                   "percent of the bid value)", "required")
        return None
    if budget_gbp is not None:
        amount = read_number(errors, {"budget_gbp": budget_gbp}, "budget_gbp", "", low=0,
                             high=BUDGET_MAX)
        return None if amount is None else round_pence(Decimal(amount))
    percent = read_number(errors, {"budget_percent": budget_percent}, "budget_percent", "",
                          low=0, high=100)
    if percent is None or bid_value is None:
        return None
    with money_context():
        return round_pence(bid_value * percent / 100)


def _apply(document: Mapping[str, Any], plan: Plan,
           result: Trim) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    trimmed = copy.deepcopy(dict(document))
    changes: list[dict[str, Any]] = []
    for activity, people, sessions in zip(plan.activities, result.people, result.sessions, strict=True):
        line = trimmed["activities"][activity.index] = dict(
            trimmed["activities"][activity.index])
        for field, before, after in (("people", activity.people, people),
                                     ("sessions", activity.sessions, sessions)):
            if after != before:
                line[field] = after
                changes.append({"activity_index": activity.index, "field": field,
                                "from": before, "to": after})
    return trimmed, changes


def over_budget_warning(total: Decimal, budget: Decimal) -> dict[str, Any]:
    """The ``over_budget_at_floor`` warning: the floor alone costs more than the budget."""
    return {"code": "over_budget_at_floor", "kind": "warning",
            "message": (f"Even trimmed to its level's floor the plan costs {format_gbp(total)}, "
                        f"more than the budget of {format_gbp(budget)}."),
            "advice": ("Ask the client for a separate co-production budget line, choose a "
                       "lower level with the reasons written down, or use remote sessions "
                       "where they suit people.")}
