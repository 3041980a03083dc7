"""Shared plans for the costing engine tests (plain dicts, as the contract has them)."""
from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from tests.worked_example import WORKED_EXAMPLE

NONE_REASON = "A two-day desk review of published statistics with no service-user contact."


def worked_example() -> dict[str, Any]:
    """A fresh copy of the spec's worked example plan."""
    return copy.deepcopy(WORKED_EXAMPLE)


def activity(**fields: Any) -> dict[str, Any]:
    """An activity line: one advisory group member, one 3 h session, no extras."""
    line = {"role": "advisory_group_member", "people": 1, "sessions": 1,
            "hours_per_session": 3, "prep_hours_per_session": 0, "stage": "scoping",
            "start_week": 10, "mode": "in_person", "travel": "none", "start_time": "10:30",
            "needs": {"bsl": False, "personal_assistants": 0,
                      "carers_needing_replacement_care": 0}}
    line.update(fields)
    return line


def plan(*activities: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A limited plan for a 24-month local research bid with the given lines.

    Level limited (no induction), existing network, 200 draws to stay fast; card
    ``uk-2026``, whose figures these tests work by hand (``rate_card=`` for another).
    """
    document = {"rate_card": "uk-2026", "bid": {"value_gbp": 100000, "duration_months": 24, "scope": "local",
                        "work_type": "research", "client_requires_coproduction": False},
                "level": "limited", "justification": None, "existing_network": True,
                "activities": list(activities) or [activity()],
                "accessible_formats": {"easy_read_pages": 0},
                "options": {"draws": 200, "seed": 0}}
    document.update(fields)
    return document


def lines_of(result: dict[str, Any], category: str, index: int | None = 0) -> list[dict]:
    """The result's lines of ``category`` for activity ``index`` (None: plan-wide)."""
    return [line for line in result["lines"]
            if line["category"] == category and line["activity_index"] == index]


def amount(result: dict[str, Any], category: str, index: int | None = 0) -> Decimal:
    """The summed amount (exact Decimal) of those lines; 0 when there are none."""
    return sum((Decimal(repr(line["amount_gbp"])) for line in lines_of(result, category, index)),
               Decimal(0))


def gbp(value: float) -> Decimal:
    """A JSON money number as an exact Decimal."""
    return Decimal(repr(value))


@pytest.fixture
def example() -> dict[str, Any]:
    """The spec's worked example plan (a fresh copy per test)."""
    return worked_example()
