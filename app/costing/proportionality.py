"""Proportionality: the recommended level with its reasons, and the warnings.

Thresholds are the organisation's policy, read from the rate card's
``policy`` section (defaults: limited under £25,000, good under £500,000,
full otherwise; at least good when the client requires co-production; step
down while a level's sized starting plan costs more than 15% of the bid).
Warnings are ``{code, kind, message, advice}`` with ``kind`` "warning" or
"suggestion"; per-line warnings also list ``activity_indices``. One entry per
code, in the order of the spec's table.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .benefits import benefits_warning
from .floors import floor_status
from .money import format_gbp, format_number, round_half_up
from .quantities import is_early_overnight
from .sizing import PlanBasics, SizedPlan, sized_plan
from .vocabulary import LEVEL_ORDER, LEVELS, ROLES, STAGES

if TYPE_CHECKING:
    from .inputs import Activity, Bid, Plan
    from .ratecard import RateCard
    from .timing import TimeOverhead


AFFORDABILITY_ACTIONS: tuple[str, ...] = (
    "Ask the client for a separate co-production budget line.",
    "Partner with a local user-led organisation.",
    "Share a standing network of contributors across bids.",
    "Use remote sessions where they suit people.",
)


def recommend_level(bid: Bid, card: RateCard,
                    basics: PlanBasics | None = None) -> dict[str, Any]:
    """``{"level", "reasons", "codes"}`` (and ``actions`` when even the lowest level costs
    too much): the proportionate level for ``bid`` under ``card``'s policy, judged by
    each level's starting plan sized to the bid (``docs/costing-model.md``,
    "Recommendation"). Never ``none``.
    """
    policy = card.policy
    value = format_gbp(bid.value_gbp)
    low, high = format_gbp(policy.limited_below_gbp), format_gbp(policy.good_below_gbp)
    if bid.value_gbp < policy.limited_below_gbp:
        by_value, band = "limited", f"under {low}"
    elif bid.value_gbp < policy.good_below_gbp:
        by_value, band = "good", f"at least {low} and under {high}"
    else:
        by_value, band = "full", f"{high} or more"
    reasons = [f"The bid is worth {value}, {band}, so by value a {by_value} level of "
               "co-production is proportionate."]
    codes = ["by_value"]
    lowest = "limited"
    if bid.client_requires_coproduction:
        lowest = max(lowest, policy.client_requirement_level, key=LEVEL_ORDER.get)
        codes.append("client_requires")
        reasons.append(f"The client requires co-production for this {value} bid, so the "
                       f"level is at least {lowest}.")
    level = max(by_value, lowest, key=LEVEL_ORDER.get)
    limit = policy.disproportionate_percent
    sized = sized_plan(level, bid, card, basics)
    while _over(sized, bid, limit) and LEVEL_ORDER[level] > LEVEL_ORDER[lowest]:
        lower = LEVELS[LEVEL_ORDER[level] - 1]
        reasons.append(f"{_cost_of(sized, bid)}, more than the {format_number(limit)}% "
                       f"limit, so the recommendation steps down to {lower}.")
        if "stepped_down" not in codes:
            codes.append("stepped_down")
        level, sized = lower, sized_plan(lower, bid, card, basics)
    result: dict[str, Any] = {"level": level, "reasons": reasons, "codes": codes}
    if _over(sized, bid, limit):
        codes.append("minimum_exceeds_threshold")
        cost = _cost_of(sized, bid)
        reasons.append(f"Even so, {cost[0].lower()}{cost[1:]}, more than the {format_number(limit)}% "
                       "limit, and the level cannot go lower. To make it proportionate: "
                       + " ".join(AFFORDABILITY_ACTIONS))
        result["actions"] = list(AFFORDABILITY_ACTIONS)
    else:
        reasons.append(f"{_cost_of(sized, bid)}, within the {format_number(limit)}% limit.")
    reasons.append("Co-production costs vary little with the size of a project, so on larger "
                   "bids they are a smaller share of the budget.")
    return result


def _over(sized: SizedPlan, bid: Bid, limit: Decimal) -> bool:
    return sized.total * 100 > limit * bid.value_gbp


def _cost_of(sized: SizedPlan, bid: Bid) -> str:
    """"The good starting plan sized to this bid costs £6,790.00, 7.99% of the bid"."""
    percent = _percent_text(sized.total * 100 / bid.value_gbp)
    return (f"The {sized.level} starting plan sized to this bid costs "
            f"{format_gbp(sized.total)}, {percent}% of the bid")


def _warning(code: str, message: str, advice: str, kind: str = "warning",
             lines: list[int] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": code, "kind": kind, "message": message, "advice": advice}
    if lines is not None:
        entry["activity_indices"] = lines
    return entry


def _line_names(activities: list[Activity]) -> str:
    names = [f"line {a.index + 1} ({ROLES[a.role].label})" for a in activities]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def plan_warnings(plan: Plan, card: RateCard, total: Decimal,
                  time: TimeOverhead) -> list[dict[str, Any]]:
    """Every warning and suggestion the spec's table lists, for a costed plan."""
    checks = (_early_start(plan, card), _starts_late(plan), _tight_timeline(card, time),
              _disproportionate(plan, card, total), _below_client_requirement(plan),
              below_floor(plan, card), floor_above_target(plan, card),
              benefits_warning(plan, card), _easy_read_lead_time(plan, card),
              _local_partner(plan))
    return [warning for warning in checks if warning]


def _early_start(plan: Plan, card: RateCard) -> dict | None:
    early = [a for a in plan.activities if is_early_overnight(a, card)]
    if not early:
        return None
    limit = f"{card.early_start_before // 60:02d}:{card.early_start_before % 60:02d}"
    return _warning(
        "early_start_overnight",
        f"{_capital(_line_names(early))} meet{'s' if len(early) == 1 else ''} in person "
        f"before {limit} with national travel, so people and their supporters need an "
        "overnight stay.",
        f"Start national in-person sessions at {limit} or later, or meet remotely, so nobody "
        "is excluded or has to stay overnight.", lines=[a.index for a in early])


def _starts_late(plan: Plan) -> dict | None:
    if not plan.activities or any(a.stage in STAGES[:2] for a in plan.activities):
        return None
    return _warning(
        "starts_late", "No co-production is planned in the set-up or scoping stages.",
        "Involve people from the beginning: add an advisory group or a co-lead in set-up or "
        "scoping so they shape the plan, not just deliver it.")


def _tight_timeline(card: RateCard, time: TimeOverhead) -> dict | None:
    share = card.policy.tight_timeline_percent
    if time.overhead_weeks * 100 <= share * time.duration_weeks:
        return None
    weeks = format_number(round_half_up(time.duration_weeks, 1))
    return _warning(
        "tight_timeline",
        f"Co-production adds {format_number(time.overhead_weeks)} weeks, more than "
        f"{format_number(share)}% of the bid's {weeks} weeks.",
        "Recruit from an existing network, start recruitment and easy read production early, "
        "or agree a longer timeline with the client.")


def _disproportionate(plan: Plan, card: RateCard, total: Decimal) -> dict | None:
    limit = card.policy.disproportionate_percent
    if total * 100 <= limit * plan.bid.value_gbp:
        return None
    percent = _percent_text(total * 100 / plan.bid.value_gbp)
    return _warning(
        "disproportionate",
        f"Co-production costs {format_gbp(total)}, {percent}% of the bid value, more than "
        f"{format_number(limit)}%.",
        "Check the plan is proportionate: fewer sessions or people, remote sessions, an "
        "existing network, or a lower level with the reasons written down.")


def _percent_text(percent: Decimal) -> str:
    """``12.5`` -> ``"12.5"``; absurd shares (a bid worth pennies) in scientific form."""
    if percent >= 1_000_000:
        return f"{percent:.2e}"
    return format_number(round_half_up(percent, 2))


def _below_client_requirement(plan: Plan) -> dict | None:
    if not plan.bid.client_requires_coproduction or plan.level not in ("none", "limited"):
        return None
    return _warning(
        "below_client_requirement",
        f"The client requires co-production but the plan's level is {plan.level}.",
        "Choose at least a good level, or explain to the client why a lower level is "
        "proportionate.")


def below_floor(plan: Plan, card: RateCard) -> dict | None:
    """``below_floor``: the plan lacks part of its level's floor (details: what is missing)."""
    status = floor_status(plan, card.policy.justification_min_chars)
    if status.met:
        return None
    entry = _warning(
        "below_floor",
        f"The plan does not have everything a {plan.level} level needs: "
        + " ".join(status.missing),
        "Add what is missing, or choose the level the plan does meet.")
    entry["details"] = {"missing": list(status.missing)}
    return entry


def floor_above_target(plan: Plan, card: RateCard) -> dict | None:
    """``floor_above_target``: for this bid the level's floor costs more than its target."""
    if plan.level == "none":
        return None
    sized = sized_plan(plan.level, plan.bid, card, PlanBasics.of(plan))
    if not sized.floor_above_target:
        return None
    percent = _percent_text(sized.floor_total * 100 / plan.bid.value_gbp)
    return _warning(
        "floor_above_target",
        f"For this bid the smallest {plan.level} plan (its floor) costs "
        f"{format_gbp(sized.floor_total)}, {percent}% of the bid value, more than the "
        f"{format_number(sized.target_percent)}% a {plan.level} plan aims at.",
        " ".join(AFFORDABILITY_ACTIONS))


def _easy_read_lead_time(plan: Plan, card: RateCard) -> dict | None:
    if not plan.easy_read_pages or not plan.activities:
        return None
    earliest = min(a.start_week for a in plan.activities)
    if earliest >= card.easy_read_weeks:
        return None
    return _warning(
        "easy_read_lead_time",
        f"Easy read materials take {format_number(card.easy_read_weeks)} weeks to produce, "
        f"but the first activity starts in week {format_number(earliest)}.",
        "Commission the easy read versions before the bid starts, or move the first activity "
        "later.")


def _local_partner(plan: Plan) -> dict | None:
    if plan.bid.scope != "local" or plan.level not in ("good", "full"):
        return None
    return _warning(
        "local_partner", f"This is local work at a {plan.level} level of co-production.",
        "Consider partnering with a local user-led organisation to recruit, support and pay "
        "contributors.", kind="suggestion")
