"""What a line's formulas count: paid and staff hours, fares, interpreter bookings, the
year a line falls in and its inflation factor (``docs/costing-model.md``, "Formulas").

The deterministic lines, the benefits check, the simulation and the warnings all read
these, so each quantity is worked out in one place.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from .inputs import Activity
from .money import ZERO
from .ratecard import RateCard
from .timing import WEEKS_PER_YEAR


def paid_hours(activity: Activity, card: RateCard) -> Decimal:
    """Paid hours per attendance: the session (at least the minimum) plus preparation."""
    return max(activity.hours_per_session, card.minimum_paid_hours) \
        + activity.prep_hours_per_session


def staff_hours_of(activity: Activity, card: RateCard) -> Decimal:
    """Staff hours to support, organise and pay for one activity line."""
    per_attendance = card.support_hours_per_attendance + card.payment_admin_hours_per_attendance
    return activity.attendances * per_attendance + activity.sessions * organising_hours(
        activity, card)


def organising_hours(activity: Activity, card: RateCard) -> Decimal:
    """Staff hours to organise one session: more in person than remotely."""
    return (card.organising_hours_in_person if activity.in_person
            else card.organising_hours_remote)


def travels(activity: Activity) -> bool:
    """True when people travel to the line's sessions: in person, travel not none."""
    return activity.in_person and activity.travel != "none"


def travel_fare(activity: Activity, card: RateCard) -> Decimal:
    """The return fare per attendance: nothing for remote lines or travel none."""
    return card.travel_return[activity.travel] if travels(activity) else ZERO


def bsl_booking(activity: Activity, card: RateCard) -> tuple[int, Decimal, bool]:
    """(interpreters, rate per interpreter, half day?) for one session of ``activity``."""
    hours = activity.hours_per_session
    interpreters = 2 if hours > card.bsl_two_interpreters_over_hours else 1
    half = hours <= card.bsl_half_day_max_hours
    return interpreters, card.bsl_half_day if half else card.bsl_full_day, half


def year_of_week_count(weeks: Decimal) -> int:
    """How many years (of 52 weeks) a span of ``weeks`` from the start touches (at least 1)."""
    return max(1, int((weeks / WEEKS_PER_YEAR).to_integral_value(rounding=ROUND_CEILING)))


def year_of(start_week: Decimal) -> int:
    """Year 1 for weeks 0 to 51, year 2 from week 52, and so on."""
    return 1 + int(start_week // WEEKS_PER_YEAR)


def inflation_factor(card: RateCard, year: int) -> Decimal:
    """(1 + annual inflation) ** (year - 1)."""
    return (1 + card.annual_inflation) ** (year - 1)


def is_early_overnight(activity: Activity, card: RateCard) -> bool:
    """In person, national travel and a start time before the card's early limit."""
    return (activity.in_person and activity.travel == "national"
            and activity.start_time is not None
            and activity.start_time < card.early_start_before)
