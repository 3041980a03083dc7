"""The plan as the engine costed it, and a new line for a role.

``estimate["inputs"]`` is :func:`costed_inputs` of the parsed plan: every
optional field the plan left out carries the default the engine used (the
role's stage, hours and preparation, the stage's start week, the bid's scope as
travel, in person, no access needs, N contributors). Pages, documents and the
version comparison read it instead of working the defaults out again.
:func:`new_line` is the line a plan editor adds for a role: the same defaults,
written out. :func:`line_totals` is each activity line's cost, from an estimate.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .checks import FieldErrors
from .inputs import Activity, Plan, read_bid
from .money import pounds, to_decimal
from .timing import stage_start_week
from .vocabulary import ROLES


def json_number(value: Decimal | int) -> int | float:
    """An exact number as JSON: 3 stays 3, 2.5 becomes 2.5."""
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def clock_text(minutes: int | None) -> str | None:
    """Minutes after midnight as ``"HH:MM"`` (None stays None)."""
    return None if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def activity_document(activity: Activity) -> dict[str, Any]:
    """One parsed line as the contract's activity object, every field present."""
    return {
        "role": activity.role, "people": activity.people, "sessions": activity.sessions,
        "hours_per_session": json_number(activity.hours_per_session),
        "prep_hours_per_session": json_number(activity.prep_hours_per_session),
        "stage": activity.stage, "start_week": json_number(activity.start_week),
        "mode": activity.mode, "travel": activity.travel,
        "start_time": clock_text(activity.start_time),
        "needs": {"bsl": activity.needs.bsl,
                  "personal_assistants": activity.needs.personal_assistants,
                  "carers_needing_replacement_care":
                      activity.needs.carers_needing_replacement_care},
    }


def costed_inputs(plan: Plan) -> dict[str, Any]:
    """The plan with every default filled in, as ``estimate["inputs"]``.

    ``contributors`` is what the plan said (null when it left N to the
    engine); ``contributor_count`` is the N the engine used.
    """
    return {
        "level": plan.level, "justification": plan.justification,
        "existing_network": plan.existing_network, "contributors": plan.contributors,
        "contributor_count": plan.contributor_count,
        "activities": [activity_document(activity) for activity in plan.activities],
        "accessible_formats": {"easy_read_pages": plan.easy_read_pages},
        "options": {"draws": plan.options.draws, "seed": plan.options.seed},
    }


def new_line(role_key: str, bid: Mapping[str, Any]) -> dict[str, Any]:
    """A new activity line for ``role_key`` in ``bid`` (a bid document): one person,
    one session, and the role's and bid's defaults written out. Raises PlanError
    for an unknown role or an invalid bid."""
    errors = FieldErrors()
    if role_key not in ROLES:
        errors.add("role", f"'{str(role_key)[:40]}' is not a known role; use one of: "
                   f"{', '.join(ROLES)}", "unknown_value")
    parsed = read_bid(errors, bid, "bid")
    errors.raise_if_any()
    role = ROLES[role_key]
    return {
        "role": role.key, "people": 1, "sessions": 1,
        "hours_per_session": json_number(role.hours_per_session),
        "prep_hours_per_session": json_number(role.prep_hours_per_session),
        "stage": role.stage, "start_week": int(stage_start_week(role.stage, parsed.duration_weeks)),
        "mode": "in_person", "travel": parsed.scope, "start_time": None,
        "needs": {"bsl": False, "personal_assistants": 0,
                  "carers_needing_replacement_care": 0},
    }


def line_totals(estimate: Mapping[str, Any]) -> list[float]:
    """Each activity line's cost in pounds (the sum of its budget lines), in line order;
    plan-wide lines (recruitment, induction, easy read) belong to no activity line."""
    count = len((estimate.get("inputs") or {}).get("activities") or [])
    totals = [Decimal(0)] * count
    for line in estimate.get("lines") or []:
        index = line.get("activity_index")
        if index is not None and 0 <= index < count:
            totals[index] += to_decimal(line["amount_gbp"])
    return [pounds(total) for total in totals]
