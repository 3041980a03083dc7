"""Sized starting plans: each level's template trimmed to the level's target share of the
bid (``docs/costing-model.md``, "Levels: floors, targets and sized starting plans").

The template for the kind of work and duration is the cap; when it costs more
than the target (``policy.<level>_target_percent`` of the bid value) its people
and sessions are trimmed (:func:`~app.costing.trimming.trim`) down to the
target, never below the floor. When even the floor costs more, the floor plan
is the sized plan and carries ``floor_above_target``. Sized plans are costed
with the card given (the plan's own) and with the plan's network,
contributors and easy read pages (:class:`PlanBasics`); results are kept per
card, since the level page, the recommendation and every estimate ask for them.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .checks import parse_clock
from .inputs import Activity, Bid, Needs, Options, Plan
from .money import ZERO, money_context, round_pence
from .ratecard import RateCard
from .templates import bid_template
from .trimming import LineCosts, trim

_CACHE_CARDS, _CACHE_PLANS = 16, 2048


@dataclass(frozen=True)
class PlanBasics:
    """What a sized plan takes from the plan it is for (beyond the bid)."""

    existing_network: bool = False
    contributors: int | None = None
    easy_read_pages: int = 0

    @classmethod
    def of(cls, plan: Plan) -> PlanBasics:
        """The basics of a parsed plan."""
        return cls(plan.existing_network, plan.contributors, plan.easy_read_pages)

    def to_document(self) -> dict[str, Any]:
        """The plan document fields these basics stand for."""
        document: dict[str, Any] = {"existing_network": self.existing_network,
                                    "accessible_formats": {
                                        "easy_read_pages": self.easy_read_pages}}
        if self.contributors is not None:
            document["contributors"] = self.contributors
        return document


@dataclass(frozen=True)
class SizedPlan:
    """One level's starting plan sized to one bid, with the figures behind it."""

    level: str
    lines: tuple[tuple[tuple[str, Any], ...], ...]  # frozen activity documents
    total: Decimal
    template_total: Decimal
    floor_total: Decimal
    target_percent: Decimal
    target_gbp: Decimal
    floor_above_target: bool

    @property
    def activities(self) -> list[dict[str, Any]]:
        """The sized plan's activity lines (fresh documents of the JSON contract)."""
        return [_thaw(line) for line in self.lines]


def sized_plan(level: str, bid: Bid, card: RateCard,
               basics: PlanBasics | None = None) -> SizedPlan:
    """``level``'s starting plan for ``bid``, sized to its target share (see module doc)."""
    basics = basics or PlanBasics()
    memo = _memo(card)
    key = (level, bid, basics)
    sized = memo.get(key)
    if sized is None:
        if len(memo) >= _CACHE_PLANS:
            memo.clear()
        sized = memo[key] = _size(level, bid, card, basics)
    return sized


_MEMOS: dict[int, tuple[RateCard, dict]] = {}


def _memo(card: RateCard) -> dict:
    """The results kept for ``card`` (by identity: cards are immutable)."""
    entry = _MEMOS.get(id(card))
    if entry is None or entry[0] is not card:
        if len(_MEMOS) >= _CACHE_CARDS:
            _MEMOS.clear()
        entry = _MEMOS[id(card)] = (card, {})
    return entry[1]


def _size(level: str, bid: Bid, card: RateCard, basics: PlanBasics) -> SizedPlan:
    percent = card.policy.target_percent(level)
    template = bid_template(level, bid.work_type, bid)
    with money_context():
        target = round_pence(bid.value_gbp * percent / 100)
        if not template:
            return SizedPlan(level, (), ZERO, ZERO, ZERO, percent, target, False)
        plan = _plan(level, bid, basics, template)
        costs = LineCosts(plan, card)
        result = trim(plan, card, target, costs)
        template_total = costs.total([a.people for a in plan.activities],
                                     [a.sessions for a in plan.activities])
        floor = trim(plan, card, Decimal(-1), costs)  # below any budget: the floor plan
    lines = tuple(_freeze({**line, "people": people, "sessions": sessions})
                  for line, people, sessions in zip(template, result.people, result.sessions,
                                                    strict=True))
    return SizedPlan(level, lines, result.total, template_total, floor.total, percent, target,
                     result.bound == "floor")


def _plan(level: str, bid: Bid, basics: PlanBasics, template: list[dict[str, Any]]) -> Plan:
    """The parsed plan of template lines (they are valid by construction)."""
    activities = tuple(Activity(
        index=index, role=line["role"], people=line["people"], sessions=line["sessions"],
        hours_per_session=Decimal(repr(line["hours_per_session"])),
        prep_hours_per_session=Decimal(repr(line["prep_hours_per_session"])),
        stage=line["stage"], start_week=Decimal(line["start_week"]), mode=line["mode"],
        travel=line["travel"], start_time=parse_clock(line["start_time"]), needs=Needs(),
    ) for index, line in enumerate(template))
    return Plan(bid=bid, level=level, justification=None,
                existing_network=basics.existing_network, contributors=basics.contributors,
                activities=activities, easy_read_pages=basics.easy_read_pages,
                options=Options())


def _freeze(line: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((key, tuple(value.items()) if isinstance(value, dict) else value)
                 for key, value in line.items())


def _thaw(line: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return {key: dict(value) if key == "needs" else value for key, value in line}
