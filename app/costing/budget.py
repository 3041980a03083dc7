"""Reading stored estimates the same way for every version, old or new.

Estimates saved before ``budget_to_request_gbp`` existed keep their figures; for
them the budget to request is the same rule the engine now applies (the total
plus the recommended contingency, the P80 budget), worked out from what was
stored, so every page shows it and none recosts an old version.

Estimates saved before the line rule (each line exactly quantity × unit cost,
the unit cost rounded to the penny first; they have no ``by_year``) may differ
by pennies on lines in year 2 and later from the same plan costed again:
:func:`line_rounding_change` says by how much.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .benefits import LIMIT_NAMES
from .money import ZERO, pounds, round_pence, to_decimal

LIMIT_LABELS = {key: name[4].upper() + name[5:] for key, name in LIMIT_NAMES.items()}


def budget_to_request_gbp(estimate: Mapping[str, Any] | None) -> float | None:
    """The estimate's budget to request in pounds (None without an estimate)."""
    if not estimate or "total_gbp" not in estimate:
        return None
    if estimate.get("budget_to_request_gbp") is not None:
        return estimate["budget_to_request_gbp"]
    contingency = (estimate.get("uncertainty") or {}).get("recommended_contingency_gbp") or 0
    return pounds(to_decimal(estimate["total_gbp"]) + to_decimal(contingency))


def line_rounding_change(estimate: Mapping[str, Any] | None) -> Decimal:
    """How much a stored estimate's total would move if each of its lines were costed
    again as quantity × unit cost (zero for estimates already costed that way)."""
    if not estimate or "by_year" in estimate:
        return ZERO
    change = ZERO
    for line in estimate.get("lines") or ():
        quantity, unit_cost = line.get("quantity"), line.get("unit_cost_gbp")
        if quantity is None or unit_cost is None or line.get("amount_gbp") is None:
            continue
        change += round_pence(to_decimal(quantity) * to_decimal(unit_cost)) \
            - to_decimal(line["amount_gbp"])
    return change
