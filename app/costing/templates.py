"""Starting activity lines for each level and kind of work.

A lead who picks a level starts from its template and edits it. ``none`` is
empty; ``limited`` is small (a one-off advisory group, a few reviewers of
drafts); ``good`` adds a standing advisory group from scoping and the work's
main paid role; ``full`` adds a co-lead from the start and roles in every
stage. Recurring roles scale with the bid's duration (their yearly sessions ×
months / 12, at least one); one-off roles do not. Each line starts at the
start of its stage's span and is a valid activity of the JSON contract.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from .checks import FieldErrors
from .floors import CO_LEAD_SESSIONS, GROUP_SESSIONS
from .inputs import SESSIONS_MAX, Bid, read_bid
from .timing import stage_span
from .vocabulary import LEVELS, ROLES, WORK_TYPES

DEFAULT_START_TIME = "10:30"  # after the 10:00 early-start limit: no overnight stays


class Row(NamedTuple):
    """One template line: role, people, sessions (yearly or one-off), mode, and the
    fewest sessions however short the bid (what the level's floor needs)."""

    role: str
    people: int
    sessions: int
    yearly: bool = True
    mode: str = "in_person"
    minimum: int = 1


_ADVISORY_ONCE = Row("advisory_group_member", 5, 1, yearly=False)
_REVIEWERS = Row("editor_reviewer", 3, 1, yearly=False, mode="remote")
_CHAIR = Row("advisory_group_chair", 1, 4)
# the good and full floors: an advisory group meeting 3+ times, a co-lead with 4+ sessions
_GROUP = Row("advisory_group_member", 6, 4, minimum=GROUP_SESSIONS)
_LARGE_GROUP = Row("advisory_group_member", 8, 4, minimum=GROUP_SESSIONS)
_CO_LEAD = Row("co_lead", 1, 12, minimum=CO_LEAD_SESSIONS)

_TEMPLATES: dict[str, dict[str, tuple[Row, ...]]] = {
    "research": {
        "limited": (_ADVISORY_ONCE, _REVIEWERS),
        "good": (_CHAIR, _GROUP, Row("peer_researcher", 2, 6), _REVIEWERS),
        "full": (_CO_LEAD, _CHAIR, _LARGE_GROUP,
                 Row("peer_researcher", 4, 10), Row("writer", 2, 3, yearly=False),
                 Row("conference_speaker", 2, 1, yearly=False)),
    },
    "guidance": {
        "limited": (_ADVISORY_ONCE, Row("editor_reviewer", 3, 2, yearly=False, mode="remote")),
        "good": (_CHAIR, _GROUP, Row("guideline_committee_member", 2, 6),
                 Row("editor_reviewer", 3, 2, yearly=False, mode="remote")),
        "full": (_CO_LEAD, _CHAIR, _GROUP, Row("guideline_committee_member", 4, 8),
                 Row("writer", 2, 3, yearly=False),
                 Row("media_spokesperson", 1, 2, yearly=False)),
    },
    "training": {
        "limited": (_ADVISORY_ONCE, _REVIEWERS),
        "good": (_CHAIR, _GROUP, Row("co_trainer", 2, 6)),
        "full": (_CO_LEAD, _CHAIR, _LARGE_GROUP,
                 Row("writer", 2, 3, yearly=False), Row("co_trainer", 4, 10),
                 Row("conference_speaker", 1, 1, yearly=False)),
    },
    "film": {
        "limited": (_ADVISORY_ONCE, _REVIEWERS),
        "good": (_CHAIR, _GROUP, Row("film_contributor", 6, 2, yearly=False),
                 Row("video_diarist", 3, 6, mode="remote")),
        "full": (_CO_LEAD, _CHAIR, _GROUP, Row("film_contributor", 8, 3, yearly=False),
                 Row("video_diarist", 4, 8, mode="remote"),
                 Row("media_spokesperson", 2, 1, yearly=False)),
    },
    "consultancy": {
        "limited": (_ADVISORY_ONCE, _REVIEWERS),
        "good": (_CHAIR, Row("advisory_group_member", 5, 3, minimum=GROUP_SESSIONS),
                 Row("consultant", 2, 4)),
        "full": (_CO_LEAD, _CHAIR, _GROUP, Row("consultant", 3, 6),
                 Row("conference_speaker", 1, 1, yearly=False)),
    },
    "events": {
        "limited": (_ADVISORY_ONCE, Row("conference_speaker", 2, 1, yearly=False)),
        "good": (_CHAIR, _GROUP, Row("conference_speaker", 3, 1, yearly=False),
                 Row("blogger", 2, 2, yearly=False, mode="remote")),
        "full": (Row("co_lead", 1, 8, minimum=CO_LEAD_SESSIONS), _CHAIR, _LARGE_GROUP,
                 Row("writer", 2, 2, yearly=False),  # the programme, co-written
                 Row("conference_speaker", 4, 2, yearly=False),
                 Row("media_spokesperson", 2, 2, yearly=False),
                 Row("blogger", 3, 3, yearly=False, mode="remote")),
    },
}


def template_activities(level: str, work_type: str,
                        bid: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The activity lines a lead starts from for ``level`` and ``work_type``.

    ``bid`` (a bid document) sets the duration the lines are scaled to and
    their travel (the bid's scope); without it a 12-month local bid is assumed.
    Raises PlanError for an unknown level or work type or an invalid bid.
    """
    errors = FieldErrors()
    if level not in LEVELS:
        errors.add("level", f"'{level}' is not a known level; use one of: {', '.join(LEVELS)}",
                   "unknown_value")
    if work_type not in WORK_TYPES:
        errors.add("work_type", f"'{work_type}' is not a known work type; use one of: "
                   f"{', '.join(WORK_TYPES)}", "unknown_value")
    parsed = read_bid(errors, bid, "bid") if bid is not None else None
    errors.raise_if_any()
    return bid_template(level, work_type, parsed)


def bid_template(level: str, work_type: str, bid: Bid | None) -> list[dict[str, Any]]:
    """The template lines for a parsed bid (None: a 12-month local bid); keys are checked."""
    if level == "none":
        return []
    months = bid.duration_months if bid else Decimal(12)
    scope = bid.scope if bid else "local"
    return [_activity(row, months, scope, bid) for row in _TEMPLATES[work_type][level]]


def _sessions(row: Row, months: Decimal) -> int:
    if not row.yearly:
        return row.sessions
    scaled = (row.sessions * months / 12).to_integral_value(rounding=ROUND_HALF_UP)
    return int(min(max(scaled, row.minimum), SESSIONS_MAX))


def _activity(row: Row, months: Decimal, scope: str, bid: Bid | None) -> dict[str, Any]:
    role = ROLES[row.role]
    duration = bid.duration_weeks if bid else Decimal(52)
    start = stage_span(role.stage, duration)[0].to_integral_value(rounding=ROUND_FLOOR)
    return {
        "role": row.role, "people": row.people, "sessions": _sessions(row, months),
        "hours_per_session": float(role.hours_per_session),
        "prep_hours_per_session": float(role.prep_hours_per_session),
        "stage": role.stage, "start_week": int(start), "mode": row.mode, "travel": scope,
        "start_time": DEFAULT_START_TIME if row.mode == "in_person" else None,
        "needs": {"bsl": False, "personal_assistants": 0,
                  "carers_needing_replacement_care": 0},
    }
