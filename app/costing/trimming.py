"""Trimming a plan's people and sessions to a budget: the search behind ``fit`` and sized
starting plans (``docs/costing-model.md``, "Fit to a budget" and "Levels").

:func:`trim` lowers ``people`` and ``sessions`` (never below one, never below
what keeps the level's floor, never upwards) until the deterministic total is
within the budget, then gives back single steps while they still fit, so that
one more session or person on any trimmed line would take the plan over.

It keeps the plan's shape: every line is scaled by one share ``t`` of its
people and sessions (rounded up, at least its minimum), the largest ``t`` that
fits is found by bisection over the points where some line's figure changes,
then single steps are given back line by line. Each line's cost is the
engine's own (``deterministic``), computed once per (line, people, sessions)
and kept, and the plan-wide lines once per number of contributors, so a
candidate costs a few dictionary look-ups; no Monte Carlo runs in the search.
Same input, same output.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from .deterministic import _activity_lines, _context, _plan_wide_lines
from .floors import floor_minimums
from .inputs import Plan
from .money import ZERO
from .ratecard import RateCard

BOUNDS = ("under_budget", "budget", "floor")


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
        if not people:  # no lines: easy read pages may still cost something
            return self.plan_wide(0)
        amount = sum((self.line(i, p, s) for i, (p, s) in enumerate(zip(people, sessions, strict=True))),
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
    minimums = floor_minimums(plan, costs.line)
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
