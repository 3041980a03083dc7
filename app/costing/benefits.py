"""Benefits: one person's fees in one week, against the weekly benefit limits.

The spec's "Benefits: one person's fees in one week". Payments for involvement
count as earnings, and two weekly limits are cliffs: Carer's Allowance is lost
for any week whose earnings go a penny over its limit, and ESA permitted work
has a weekly cap. Each line's sessions are spread evenly over its weeks, from
its start week to the end of its stage's span (at least one week)::

    span_weeks        = max(1, floor(stage end - start_week))
    sessions_per_week = ceil(sessions / span_weeks)
    weekly fee        = paid hours × the fees line's unit cost × sessions_per_week

to the penny, checked against ``benefits.carers_allowance_weekly`` and
``benefits.esa_permitted_work_weekly``. Expenses are not earnings.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from .money import format_gbp, round_pence
from .quantities import inflation_factor, paid_hours, year_of
from .timing import stage_span
from .vocabulary import ROLES

if TYPE_CHECKING:
    from .inputs import Activity, Plan
    from .ratecard import RateCard

LIMIT_NAMES = {
    "carers_allowance_weekly": "the Carer's Allowance earnings limit",
    "esa_permitted_work_weekly": "the ESA permitted work limit",
}


def span_weeks(activity: Activity, duration_weeks: Decimal) -> int:
    """The weeks a line's sessions spread over: start week to its stage's end, at least 1."""
    end = stage_span(activity.stage, duration_weeks)[1]
    weeks = int((end - activity.start_week).to_integral_value(rounding=ROUND_FLOOR))
    return max(1, weeks)


def sessions_per_week(activity: Activity, duration_weeks: Decimal) -> int:
    """The most sessions one person has in one week, with sessions spread evenly."""
    weeks = span_weeks(activity, duration_weeks)
    return int((Decimal(activity.sessions) / weeks).to_integral_value(rounding=ROUND_CEILING))


def fee_unit_cost(activity: Activity, card: RateCard) -> Decimal:
    """The fees line's unit cost: the hourly rate × role multiplier × inflation, to the penny."""
    factor = inflation_factor(card, year_of(activity.start_week))
    return round_pence(card.contributor_hourly * card.role_fee_multipliers[activity.role]
                       * factor)


def weekly_fee(activity: Activity, card: RateCard, duration_weeks: Decimal) -> Decimal:
    """One person's fees from ``activity`` in its busiest week, to the penny."""
    return round_pence(paid_hours(activity, card) * fee_unit_cost(activity, card)
                       * sessions_per_week(activity, duration_weeks))


def weekly_details(plan: Plan, card: RateCard) -> list[dict[str, Any]]:
    """``[{activity_index, weekly_fee_gbp, limits}]`` for each line over a weekly limit."""
    limits = card.weekly_benefit_limits
    details = []
    for activity in plan.activities:
        fee = weekly_fee(activity, card, plan.bid.duration_weeks)
        over = [key for key, limit in limits.items() if fee > limit]
        if over:
            details.append({"activity_index": activity.index, "weekly_fee_gbp": float(fee),
                            "limits": over})
    return details


def _limits_text(keys: list[str], card: RateCard) -> str:
    limits = card.weekly_benefit_limits
    names = [f"{LIMIT_NAMES[key]} ({format_gbp(limits[key])} a week)" for key in keys]
    return names[0] if len(names) == 1 else " and ".join(names)


def benefits_warning(plan: Plan, card: RateCard) -> dict[str, Any] | None:
    """The ``benefits_threshold`` warning with its ``details``, or None when no line is over."""
    details = weekly_details(plan, card)
    if not details:
        return None
    by_index = {a.index: a for a in plan.activities}
    lines = [f"line {d['activity_index'] + 1} ({ROLES[by_index[d['activity_index']].role].label}"
             f"): {format_gbp(d['weekly_fee_gbp'])} in a week, over "
             f"{_limits_text(d['limits'], card)}" for d in details]
    message = (
        "One person's fees in one week go over a weekly benefit limit on "
        + "; ".join(lines) + ". Carer's Allowance is lost for any week whose earnings go a "
        "penny over its limit, and ESA permitted work has a weekly cap. What helps: people "
        "may decline payment, take part of it or have it paid to a charity; sessions can be "
        "spread across more weeks; ESA permitted work needs the PW1 form before the work "
        "starts; Universal Credit has no cliff but is cut by 55p for each pound earned above "
        f"the work allowance ({format_gbp(card.uc_work_allowance_monthly)} a month); vouchers "
        "are not a way round the rules. Expenses (travel, replacement care, assistants) are "
        "not earnings.")
    advice = ("Tell contributors on benefits before they agree, offer the choices above, and "
              "point them to independent benefits advice.")
    return {"code": "benefits_threshold", "kind": "warning", "message": message,
            "advice": advice, "activity_indices": [d["activity_index"] for d in details],
            "details": details}
