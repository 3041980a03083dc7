"""Fit a plan to a budget (``docs/costing-model.md``, "Fit to a budget").

:func:`fit` trims ``people`` and ``sessions`` (never below one, never below
what keeps the level's floor, never upwards) until the deterministic total is
within the budget, then gives back single steps while they still fit, so that
one more session or person on any trimmed line would take the plan over.

The search (:func:`trim`) keeps the plan's shape: every line is scaled by one
share ``t`` of its people and sessions (rounded up, at least its minimum), the
largest ``t`` that fits is found by bisection over the points where some
line's figure changes, then single steps are given back line by line. Each
line's cost is the engine's own (``deterministic``), computed once per
(line, people, sessions) and kept, and the plan-wide lines once per number of
contributors, so a candidate costs a few dictionary look-ups and no Monte
Carlo runs inside the search. Same input, same output.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import numpy as np

from .checks import FieldErrors, read_number
from .deterministic import _activity_lines, _context, _plan_wide_lines
from .engine import RateCardInput, estimate, resolve_rate_card
from .errors import PlanError
from .floors import floor_minimums
from .inputs import Plan, parse_plan
from .money import ZERO, format_gbp, money_context, pounds, round_pence
from .ratecard import RateCard

BUDGET_MAX = 1_000_000_000_000
BOUNDS = ("under_budget", "budget", "floor")
TRIMMED_FIELDS = ("people", "sessions")


@dataclass(frozen=True)
class Trim:
    """People and sessions per line after trimming, their total and why it stopped."""

    people: tuple[int, ...]
    sessions: tuple[int, ...]
    total: Decimal
    bound: str


class LineCosts:
    """Exact deterministic costs of one plan's lines at any people and sessions, memoised."""

    def __init__(self, plan: Plan, card: RateCard) -> None:
        self.plan, self.card = plan, card
        self._lines: dict[tuple[int, int, int], Decimal] = {}
        self._wide: dict[int | None, Decimal] = {}

    def line(self, index: int, people: int, sessions: int) -> Decimal:
        """The sum of the cost lines of activity ``index`` with these people and sessions."""
        key = (index, people, sessions)
        amount = self._lines.get(key)
        if amount is None:
            activity = replace(self.plan.activities[index], people=people, sessions=sessions)
            amount = sum((line.amount for line in _activity_lines(
                _context(activity, self.card), self.plan, self.card)), ZERO)
            self._lines[key] = amount
        return amount

    def plan_wide(self, largest_people: int) -> Decimal:
        """Recruitment, induction and easy read: they follow the largest line's people
        unless the plan names its contributors."""
        key = None if self.plan.contributors is not None else largest_people
        amount = self._wide.get(key)
        if amount is None:
            plan = self.plan if key is None else replace(self.plan, contributors=key)
            lines, _, _ = _plan_wide_lines(plan, self.card)
            amount = sum((line.amount for line in lines), ZERO)
            self._wide[key] = amount
        return amount

    def total(self, people: tuple[int, ...] | list[int],
              sessions: tuple[int, ...] | list[int]) -> Decimal:
        """The plan's deterministic total with these people and sessions per line."""
        if not people:
            return self.plan_wide(0) if self.plan.activities else ZERO
        amount = sum((self.line(i, p, s) for i, (p, s) in enumerate(zip(people, sessions))),
                     ZERO)
        return amount + self.plan_wide(max(people))


def trim(plan: Plan, card: RateCard, budget: Decimal,
         costs: LineCosts | None = None) -> Trim:
    """The plan's people and sessions trimmed to ``budget`` (call inside money_context)."""
    costs = costs or LineCosts(plan, card)
    top_people = tuple(a.people for a in plan.activities)
    top_sessions = tuple(a.sessions for a in plan.activities)
    total = costs.total(top_people, top_sessions)
    if total <= budget:
        return Trim(top_people, top_sessions, total, "under_budget")
    minimums = floor_minimums(plan)
    low_people = tuple(m[0] for m in minimums)
    low_sessions = tuple(m[1] for m in minimums)
    floor_total = costs.total(low_people, low_sessions)
    if floor_total > budget:
        return Trim(low_people, low_sessions, floor_total, "floor")
    scaler = _Scaler(top_people, top_sessions, low_people, low_sessions)
    people, sessions = scaler.largest_within(costs, budget)
    people, sessions = _give_back(costs, budget, people, sessions, top_people, top_sessions)
    return Trim(tuple(people), tuple(sessions), costs.total(people, sessions), "budget")


class _Scaler:
    """Lines scaled by one share t: ceil(t × figure), at least the minimum, at most the top."""

    def __init__(self, top_people: tuple[int, ...], top_sessions: tuple[int, ...],
                 low_people: tuple[int, ...], low_sessions: tuple[int, ...]) -> None:
        self.top = np.array(top_people + top_sessions, dtype=np.int64)
        self.low = np.array(low_people + low_sessions, dtype=np.int64)
        self.count = len(top_people)
        # every share at which some line's figure steps up: k / figure, k = 1..figure
        steps = np.concatenate([np.arange(1, top + 1) / top for top in np.unique(self.top)])
        self.shares = np.unique(steps)

    def figures(self, share: float) -> tuple[list[int], list[int]]:
        """People and sessions per line at ``share`` (a point of ``self.shares``, or 0)."""
        # the tolerance only undoes float error: distinct points differ by >= 1/500**2
        scaled = np.ceil(share * self.top - 1e-9).astype(np.int64)
        values = np.minimum(self.top, np.maximum(self.low, scaled)).tolist()
        return values[:self.count], values[self.count:]

    def largest_within(self, costs: LineCosts, budget: Decimal) -> tuple[list[int], list[int]]:
        """The figures at the largest share whose total is within ``budget``.

        Share 0 (every line at its minimum) fits and share 1 (the plan as given)
        does not, which the caller has checked.
        """
        low, high = -1, len(self.shares) - 1  # low fits (-1 is share 0), high does not
        while high - low > 1:
            middle = (low + high) // 2
            if costs.total(*self.figures(float(self.shares[middle]))) <= budget:
                low = middle
            else:
                high = middle
        return self.figures(0.0 if low < 0 else float(self.shares[low]))


def _give_back(costs: LineCosts, budget: Decimal, people: list[int], sessions: list[int],
               top_people: tuple[int, ...], top_sessions: tuple[int, ...]
               ) -> tuple[list[int], list[int]]:
    """Add single sessions, then people, back to trimmed lines while the total fits.

    Repeats until a full pass adds nothing, so afterwards no trimmed figure can
    take one more step without going over the budget.
    """
    total = costs.total(people, sessions)
    changed = True
    while changed:
        changed = False
        for i in range(len(people)):
            while sessions[i] < top_sessions[i]:
                step = (costs.line(i, people[i], sessions[i] + 1)
                        - costs.line(i, people[i], sessions[i]))
                if total + step > budget:
                    break
                sessions[i] += 1
                total += step
                changed = True
            while people[i] < top_people[i]:
                largest = max(people)
                bigger = max(largest, people[i] + 1)
                step = (costs.line(i, people[i] + 1, sessions[i])
                        - costs.line(i, people[i], sessions[i])
                        + costs.plan_wide(bigger) - costs.plan_wide(largest))
                if total + step > budget:
                    break
                people[i] += 1
                total += step
                changed = True
    return people, sessions


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
    for activity, people, sessions in zip(plan.activities, result.people, result.sessions):
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
