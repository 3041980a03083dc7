"""The deterministic estimate: one cost line per formula, to the penny.

Formulas are the spec's (``docs/costing-model.md``, "Formulas" and its line
table). Every line is quantity × unit cost, and the arithmetic a reader does
comes out: the unit cost is the base unit cost × the inflation factor, rounded
half-up to the penny; the amount is quantity × that rounded unit cost, rounded
half-up to the penny; totals are sums of the rounded lines (exact Decimals,
inside :func:`~app.costing.money.money_context`).
Access support gives one line per kind of support (assistants, replacement
care, BSL). Lines whose amount rounds to zero are not emitted.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from .inputs import Activity, Plan
from .money import ZERO, format_gbp, format_number, pounds, round_half_up, round_pence
from .quantities import (
    bsl_booking,
    inflation_factor,
    is_early_overnight,
    organising_hours,
    paid_hours,
    staff_hours_of,
    travel_fare,
    travels,
    year_of,
    year_of_week_count,
)
from .ratecard import RateCard
from .vocabulary import CATEGORIES, ROLES, STAGES

INDUCTION_LEVELS = ("good", "full")
_gbp = lru_cache(maxsize=4096)(format_gbp)
_num = lru_cache(maxsize=4096)(format_number)


class CostLine(NamedTuple):
    """One line of the budget (a NamedTuple: immutable and quick to build)."""

    category: str
    stage: str
    role: str | None
    description: str
    quantity: Decimal
    unit: str
    unit_cost: Decimal  # inflation included, rounded to the penny
    amount: Decimal  # quantity × unit_cost, rounded to the penny
    year: int
    justification: str
    activity_index: int | None
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The line as the contract's JSON object."""
        return {"category": self.category, "stage": self.stage, "role": self.role,
                "description": self.description, "quantity": quantity_json(self.quantity),
                "unit": self.unit, "unit_cost_gbp": pounds(self.unit_cost),
                "amount_gbp": float(self.amount), "year": self.year,  # already to the penny
                "justification": self.justification, "activity_index": self.activity_index,
                "sources": list(self.sources)}


def quantity_json(quantity: Decimal) -> int | float:
    """A line's quantity for JSON, exact (not rounded): quantity × unit cost must come out."""
    if quantity == quantity.to_integral_value():
        return int(quantity)
    return float(quantity)


@dataclass(frozen=True)
class Costing:
    """All lines with their totals, and the hours behind them."""

    lines: tuple[CostLine, ...]
    staff_hours: Decimal
    contributor_hours: Decimal

    @property
    def total(self) -> Decimal:
        """The sum of the rounded lines."""
        return sum((line.amount for line in self.lines), ZERO)

    def by_year(self, duration_weeks: Decimal) -> dict[str, Decimal]:
        """Totals by year, ``{"1": ..., "2": ...}``: every year of the bid (52 weeks each)
        and of its lines, zero when a year has none."""
        last = max([year_of_week_count(duration_weeks)] + [line.year for line in self.lines])
        totals = {str(year): ZERO for year in range(1, last + 1)}
        for line in self.lines:
            totals[str(line.year)] += line.amount
        return totals

    def by_key(self, attribute: str, keys: tuple[str, ...]) -> dict[str, Decimal]:
        """Totals by category or stage, every key present (zero when empty)."""
        totals = dict.fromkeys(keys, ZERO)
        for line in self.lines:
            totals[getattr(line, attribute)] += line.amount
        return totals


@dataclass(frozen=True)
class _LineContext:
    """What every line of one activity shares: the activity, its year and rates."""

    activity: Activity
    year: int
    factor: Decimal
    note: str  # the inflation note ending each justification

    def line(self, category: str, label: str, quantity: Decimal, unit: str,
             base_unit_cost: Decimal, justification: str,
             sources: tuple[str, ...]) -> CostLine:
        """A line of this activity: ``base_unit_cost`` is before inflation."""
        unit_cost = round_pence(base_unit_cost * self.factor)
        return CostLine(category, self.activity.stage, self.activity.role,
                        f"{ROLES[self.activity.role].label}: {label}", quantity, unit,
                        unit_cost, round_pence(quantity * unit_cost), self.year,
                        justification + self.note + ".", self.activity.index, sources)


def cost_plan(plan: Plan, card: RateCard) -> Costing:
    """Every cost line of ``plan`` under ``card`` (call inside money_context)."""
    lines: list[CostLine] = []
    staff_hours = contributor_hours = ZERO
    for activity in plan.activities:
        context = _context(activity, card)
        lines += _activity_lines(context, plan, card)
        staff_hours += staff_hours_of(activity, card)
        contributor_hours += activity.attendances * paid_hours(activity, card)
    wide, recruit_hours, induction_hours = _plan_wide_lines(plan, card)
    lines += wide
    return Costing(tuple(line for line in lines if line.amount),
                   staff_hours + recruit_hours, contributor_hours + induction_hours)


def _context(activity: Activity, card: RateCard) -> _LineContext:
    year = year_of(activity.start_week)
    factor = inflation_factor(card, year)
    note = ""
    if year > 1:
        percent = _num(card.annual_inflation * 100)
        shown = _num(round_half_up(factor, 4))
        note = f", with rates raised {percent}% a year for year {year} (× {shown})"
    return _LineContext(activity, year, factor, note)


def _activity_lines(ctx: _LineContext, plan: Plan, card: RateCard) -> list[CostLine]:
    """The lines of one activity, in the order of the spec's category table."""
    a = ctx.activity
    lines = [_fees(ctx, card)]
    if travels(a):
        lines.append(_travel(ctx, card))
    if is_early_overnight(a, card):
        lines.append(_overnight(ctx, card))
    if a.needs.personal_assistants:
        lines.append(_assistants(ctx, card))
    if a.needs.carers_needing_replacement_care:
        lines.append(_replacement_care(ctx, card))
    if a.needs.bsl:
        lines.append(_bsl(ctx, card))
    lines.append(_venue(ctx, plan, card) if a.in_person else _digital(ctx, card))
    lines.append(_staff(ctx, card))
    return lines


def _plural(count: Any, one: str, many: str) -> str:
    return f"{_num(count)} {one if count == 1 else many}"


def _fees(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    paid, hours = paid_hours(a, card), a.hours_per_session
    multiplier = card.role_fee_multipliers[a.role]
    how = f"{_num(hours)} h session"
    if hours < card.minimum_paid_hours:
        how += f" paid as the {_num(card.minimum_paid_hours)} h minimum"
    if a.prep_hours_per_session:
        how += f" + {_num(a.prep_hours_per_session)} h preparation"
    rate = f"{_gbp(card.contributor_hourly * multiplier)} an hour"
    if multiplier != 1:
        rate += f" ({_gbp(card.contributor_hourly)} × {_num(multiplier)} for this role)"
    text = (f"{_plural(a.people, 'person', 'people')} × "
            f"{_plural(a.sessions, 'session', 'sessions')} × "
            f"{_plural(paid, 'paid hour', 'paid hours')} ({how}) at {rate}")
    return ctx.line("fees", "fees",
                    a.attendances * paid, "paid hour",
                    card.contributor_hourly * multiplier, text,
                    ("rates.contributor_hourly", "rates.minimum_paid_hours",
                     "rates.role_fee_multipliers"))


def _travel(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    fare = card.travel_return[a.travel]
    text = (f"{_plural(a.attendances, 'attendance', 'attendances')} × ({_gbp(fare)} {a.travel}"
            f" return fare + {_gbp(card.subsistence)} subsistence)")
    return ctx.line("travel_subsistence", "travel and subsistence", Decimal(a.attendances),
                    "attendance", (fare + card.subsistence), text,
                    ("rates.travel_return", "rates.subsistence"))


def _overnight(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    start, limit = _clock(a.start_time), _clock(card.early_start_before)
    text = (f"{_plural(a.attendances, 'attendance', 'attendances')} × "
            f"{_gbp(card.overnight_stay)} overnight stay, because sessions start at {start}, "
            f"before {limit}, and need national travel")
    return ctx.line("accommodation", "overnight stays", Decimal(a.attendances), "night",
                    card.overnight_stay, text,
                    ("rates.overnight_stay", "rates.early_start_before"))


def _venue(ctx: _LineContext, plan: Plan, card: RateCard) -> CostLine:
    a, scope = ctx.activity, plan.bid.scope
    venue = card.venue_per_session[scope]
    text = (f"{_plural(a.sessions, 'session', 'sessions')} × ({_gbp(venue)} venue for a {scope}"
            f" bid + {_plural(a.people, 'person', 'people')} × {_gbp(card.catering)} catering)")
    return ctx.line("venue_catering", "venue and catering", Decimal(a.sessions), "session",
                    (venue + a.people * card.catering), text,
                    ("rates.venue_per_session", "rates.catering"))


def _digital(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    text = (f"{_plural(a.attendances, 'remote attendance', 'remote attendances')} × "
            f"{_gbp(card.digital_allowance)} digital allowance for data and devices")
    return ctx.line("venue_catering", "digital allowance", Decimal(a.attendances),
                    "remote attendance", card.digital_allowance, text,
                    ("rates.digital_allowance",))


def _assistants(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    k, hours = a.needs.personal_assistants, a.hours_per_session
    fare = travel_fare(a, card)
    cost = f"{_num(hours)} h × {_gbp(card.pa_hourly)} an hour"
    if fare:
        cost += f" + {_gbp(fare)} {a.travel} return fare"
    text = (f"{_plural(k, 'personal assistant', 'personal assistants')} × "
            f"{_plural(a.sessions, 'session', 'sessions')} × ({cost})")
    return ctx.line("access_support", "personal assistants", Decimal(k * a.sessions),
                    "assistant session", (hours * card.pa_hourly + fare), text,
                    ("rates.pa_hourly", "rates.travel_return"))


def _replacement_care(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    carers, extra = a.needs.carers_needing_replacement_care, card.replacement_care_travel_hours
    hours = a.hours_per_session + extra
    text = (f"{_plural(carers, 'carer', 'carers')} × {_plural(a.sessions, 'session', 'sessions')}"
            f" × {_num(hours)} h ({_num(a.hours_per_session)} h session + {_num(extra)} h "
            f"travel) of replacement care at {_gbp(card.replacement_care_hourly)} an hour")
    return ctx.line("access_support", "replacement care", carers * a.sessions * hours,
                    "hour of replacement care", card.replacement_care_hourly,
                    text, ("rates.replacement_care_hourly",
                           "rates.replacement_care_travel_hours"))


def _bsl(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    interpreters, rate, half = bsl_booking(a, card)
    why = (f" (co-working, as sessions last over {_num(card.bsl_two_interpreters_over_hours)} h)"
           if interpreters == 2 else "")
    day = (f"a half day (sessions up to {_num(card.bsl_half_day_max_hours)} h)" if half
           else f"a full day (sessions over {_num(card.bsl_half_day_max_hours)} h)")
    text = (f"{_plural(a.sessions, 'session', 'sessions')} × "
            f"{_plural(interpreters, 'BSL interpreter', 'BSL interpreters')}{why} × "
            f"{_gbp(rate)} {day}")
    return ctx.line("access_support", "BSL interpreters", Decimal(a.sessions * interpreters),
                    "interpreter half day" if half else "interpreter day", rate,
                    text, ("rates.bsl_half_day" if half else "rates.bsl_full_day",
                           "rates.bsl_two_interpreters_over_hours"))


def _staff(ctx: _LineContext, card: RateCard) -> CostLine:
    a = ctx.activity
    hours = staff_hours_of(a, card)
    organising = organising_hours(a, card)
    text = (f"{_num(hours)} staff hours (support {_num(a.attendances)} × "
            f"{_num(card.support_hours_per_attendance)} h, organising {_num(a.sessions)} × "
            f"{_num(organising)} h, payment admin {_num(a.attendances)} × "
            f"{_num(card.payment_admin_hours_per_attendance)} h) at {_staff_rate(card)}")
    return ctx.line("staff_coordination", "staff coordination", hours, "staff hour",
                    card.staff_hourly, text, _STAFF_SOURCES)


_STAFF_SOURCES = ("rates.staff_day_rate", "rates.staff_day_hours",
                  "rates.support_hours_per_attendance", "rates.organising_hours_in_person",
                  "rates.organising_hours_remote", "rates.payment_admin_hours_per_attendance")


def _staff_rate(card: RateCard) -> str:
    return (f"{_gbp(card.staff_hourly)} an hour ({_gbp(card.staff_day_rate)} for a "
            f"{_num(card.staff_day_hours)} h day)")


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _plan_line(category: str, description: str, quantity: Decimal, unit: str,
               unit_cost: Decimal, text: str, sources: tuple[str, ...]) -> CostLine:
    """A plan-wide line: set-up stage, year 1 (f = 1), no role and no activity."""
    unit_cost = round_pence(unit_cost)
    return CostLine(category, STAGES[0], None, description, quantity, unit, unit_cost,
                    round_pence(quantity * unit_cost), 1, text + ".", None, sources)


def _plan_wide_lines(plan: Plan, card: RateCard) -> tuple[list[CostLine], Decimal, Decimal]:
    """Recruitment, induction and easy read lines (set-up, year 1), and their hours."""
    lines: list[CostLine] = []
    contributors = plan.contributor_count
    recruit_hours = induction_hours = ZERO
    if contributors:
        recruitment = _recruitment(plan, card, contributors)
        recruit_hours = recruitment.quantity
        lines.append(recruitment)
    if contributors and plan.level in INDUCTION_LEVELS:
        induction_hours = contributors * card.induction_hours
        lines.append(_plan_line(
            "training", "Induction for contributors", induction_hours, "contributor hour",
            card.contributor_hourly,
            f"{_plural(contributors, 'contributor', 'contributors')} × "
            f"{_num(card.induction_hours)} h induction at {_gbp(card.contributor_hourly)} an hour",
            ("rates.induction_hours", "rates.contributor_hourly")))
    if plan.easy_read_pages:
        lines.append(_plan_line(
            "accessible_formats", "Easy read versions", Decimal(plan.easy_read_pages), "page",
            card.easy_read_per_page,
            f"{_plural(plan.easy_read_pages, 'easy read page', 'easy read pages')} × "
            f"{_gbp(card.easy_read_per_page)} a page", ("rates.easy_read_per_page",)))
    return lines, recruit_hours, induction_hours


def _recruitment(plan: Plan, card: RateCard, contributors: int) -> CostLine:
    """Staff time to recruit N contributors: less from an existing network."""
    if plan.existing_network:
        each, how, key = (card.recruitment_hours_existing_network, "from the existing network",
                          "rates.recruitment_hours_existing_network")
    else:
        each, how, key = (card.recruitment_hours_new, "as new contributors",
                          "rates.recruitment_hours_new")
    hours = contributors * each
    return _plan_line(
        "staff_coordination", "Recruiting contributors (staff time)", hours, "staff hour",
        card.staff_hourly,
        f"{_plural(contributors, 'contributor', 'contributors')} × {_num(each)} h of staff time "
        f"each to recruit {how} at {_staff_rate(card)}", (key, "rates.staff_day_rate"))


def totals_json(costing: Costing, duration_weeks: Decimal) -> dict[str, Any]:
    """``by_category``, ``by_stage`` and ``by_year`` as JSON, every key present."""
    # sums of lines rounded to the penny are exact to the penny already
    return {"by_category": {k: float(v) for k, v in costing.by_key("category",
                                                                    CATEGORIES).items()},
            "by_stage": {k: float(v) for k, v in costing.by_key("stage", STAGES).items()},
            "by_year": {k: float(v) for k, v in costing.by_year(duration_weeks).items()}}
