"""Time: lead time, schedule delay, review weeks, overhead and the timeline.

Weeks count from the bid start; a bid of ``m`` months lasts ``m × 52 / 12``
weeks. The five stages are laid across the bid's duration in fixed shares
(:data:`STAGE_SHARES`: set-up the first 10%, scoping to 25%, development to
60%, delivery to 90%, dissemination the last 10%). Each activity is drawn from
its ``start_week`` to the end of its stage's span (at least one week; a
reviewer line at least its review turnaround), clamped inside the bid.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from .money import pounds
from .vocabulary import ROLES, STAGE_LABELS, STAGES

if TYPE_CHECKING:
    from .inputs import Plan
    from .ratecard import RateCard

WEEKS_PER_YEAR = 52
STAGE_SHARES: dict[str, tuple[Decimal, Decimal]] = {
    "setup": (Decimal("0"), Decimal("0.10")),
    "scoping": (Decimal("0.10"), Decimal("0.25")),
    "development": (Decimal("0.25"), Decimal("0.60")),
    "delivery": (Decimal("0.60"), Decimal("0.90")),
    "dissemination": (Decimal("0.90"), Decimal("1")),
}


def weeks_in_months(months: Decimal | int) -> Decimal:
    """A bid's length in weeks: 52 weeks a year, so 12 months are 52 weeks."""
    return Decimal(months) * WEEKS_PER_YEAR / 12


def stage_span(stage: str, duration_weeks: Decimal) -> tuple[Decimal, Decimal]:
    """(start_week, end_week) of ``stage`` across a bid of ``duration_weeks``."""
    first, last = STAGE_SHARES[stage]
    return first * duration_weeks, last * duration_weeks


def stage_start_week(stage: str, duration_weeks: Decimal) -> Decimal:
    """The whole week a line of ``stage`` starts at when the plan does not say."""
    return stage_span(stage, duration_weeks)[0].to_integral_value(rounding=ROUND_FLOOR)


def weeks_json(weeks: Decimal) -> int | float:
    """Weeks (or hours) for JSON: whole numbers as ints, else two decimals."""
    if weeks == weeks.to_integral_value():
        return int(weeks)
    return pounds(weeks)


@dataclass(frozen=True)
class TimeOverhead:
    """The time co-production adds to a bid, in weeks and hours."""

    lead_time_weeks: Decimal
    schedule_delay_weeks: Decimal
    review_weeks: Decimal
    recruitment_weeks: Decimal
    easy_read_weeks: Decimal
    duration_weeks: Decimal
    staff_hours: Decimal
    contributor_hours: Decimal

    @property
    def overhead_weeks(self) -> Decimal:
        """Schedule delay plus review weeks."""
        return self.schedule_delay_weeks + self.review_weeks

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``time`` object (plus the lead-time parts and the duration)."""
        return {
            "overhead_weeks": weeks_json(self.overhead_weeks),
            "schedule_delay_weeks": weeks_json(self.schedule_delay_weeks),
            "review_weeks": weeks_json(self.review_weeks),
            "lead_time_weeks": weeks_json(self.lead_time_weeks),
            "staff_hours": weeks_json(self.staff_hours),
            "contributor_hours": weeks_json(self.contributor_hours),
            "recruitment_weeks": weeks_json(self.recruitment_weeks),
            "easy_read_weeks": weeks_json(self.easy_read_weeks),
            "duration_weeks": weeks_json(self.duration_weeks),
        }


def recruitment_weeks(plan: Plan, card: RateCard) -> Decimal:
    """Weeks to recruit: shorter from an existing network."""
    if plan.existing_network:
        return card.recruitment_weeks_existing_network
    return card.recruitment_weeks_new


def time_overhead(plan: Plan, card: RateCard, staff_hours: Decimal,
                  contributor_hours: Decimal) -> TimeOverhead:
    """Lead time, schedule delay and review weeks per the spec's formulas."""
    has_lines = bool(plan.activities)
    recruiting = recruitment_weeks(plan, card) if has_lines else Decimal(0)
    easy_read = card.easy_read_weeks if plan.easy_read_pages else Decimal(0)
    lead_time = max(recruiting, easy_read) if has_lines else Decimal(0)
    earliest = min((a.start_week for a in plan.activities), default=Decimal(0))
    delay = max(Decimal(0), lead_time - earliest) if has_lines else Decimal(0)
    review_sessions = sum(a.sessions for a in plan.activities if a.role == "editor_reviewer")
    return TimeOverhead(
        lead_time_weeks=lead_time, schedule_delay_weeks=delay,
        review_weeks=card.review_weeks_per_session * review_sessions,
        recruitment_weeks=recruiting, easy_read_weeks=easy_read,
        duration_weeks=plan.bid.duration_weeks,
        staff_hours=staff_hours, contributor_hours=contributor_hours)


def _row(kind: str, label: str, stage: str, start: Decimal, end: Decimal,
         **extra: Any) -> dict[str, Any]:
    row = {"kind": kind, "label": label, "stage": stage,
           "start_week": weeks_json(start), "end_week": weeks_json(end),
           "role": None, "activity_index": None}
    row.update(extra)
    return row


def timeline(plan: Plan, card: RateCard, time: TimeOverhead) -> list[dict[str, Any]]:
    """Rows a Gantt chart can draw: stage spans, lead times, then activities.

    Every row has ``kind`` ("stage", "lead_time" or "activity"), ``label``,
    ``stage``, ``start_week``, ``end_week``, ``role`` and ``activity_index``.
    """
    duration = time.duration_weeks
    rows = [_row("stage", STAGE_LABELS[stage], stage, *stage_span(stage, duration))
            for stage in STAGES]
    rows += _lead_time_rows(plan, time, duration)
    for activity in plan.activities:
        start = min(activity.start_week, duration)
        rows.append(_row("activity", ROLES[activity.role].label, activity.stage, start,
                         _activity_end(activity, card, duration), role=activity.role,
                         activity_index=activity.index, people=activity.people,
                         sessions=activity.sessions, mode=activity.mode))
    return rows


def _lead_time_rows(plan: Plan, time: TimeOverhead, duration: Decimal) -> list[dict]:
    rows = []
    if plan.activities:
        how = "existing network" if plan.existing_network else "new contributors"
        rows.append(_row("lead_time", f"Recruitment ({how})", "setup", Decimal(0),
                         min(time.recruitment_weeks, duration),
                         weeks=weeks_json(time.recruitment_weeks)))
    if plan.easy_read_pages:
        rows.append(_row("lead_time", "Easy read production", "setup", Decimal(0),
                         min(time.easy_read_weeks, duration),
                         weeks=weeks_json(time.easy_read_weeks)))
    return rows


def _activity_end(activity: Any, card: RateCard, duration: Decimal) -> Decimal:
    """End of the activity's bar: its stage's end, at least a week (or its reviews)."""
    start = activity.start_week
    length = Decimal(1)
    if activity.role == "editor_reviewer":
        length = max(length, card.review_weeks_per_session * activity.sessions)
    end = max(start + length, stage_span(activity.stage, duration)[1])
    return min(end, duration)
