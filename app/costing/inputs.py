"""Typed plan inputs, parsed and validated from the JSON contract.

:func:`parse_plan` turns a plan document into a :class:`Plan` or raises
PlanError listing every problem (``{field, message, code}``), including the
spec's two plan errors ``justification_required`` and ``no_activities``.
Unknown keys are ignored at every level (a form may send more than we need);
wrong types, NaN, infinity, out-of-bounds numbers and unknown vocabulary keys
are errors. Omitted optional fields take the role's, the bid's and the rate
card's defaults, as the contract says.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .checks import (
    MISSING,
    FieldErrors,
    describe,
    read_bool,
    read_choice,
    read_clock,
    read_date,
    read_mapping,
    read_number,
    read_text,
)
from .timing import stage_start_week, weeks_in_months
from .vocabulary import LEVELS, MODES, ROLES, SCOPES, STAGES, TRAVEL, WORK_TYPES

PEOPLE_MAX = 500
SESSIONS_MAX = 500
CONTRIBUTORS_MAX = 5_000
ACTIVITIES_MAX = 200
DRAWS_MIN, DRAWS_MAX, DRAWS_DEFAULT = 100, 200_000, 10_000
SEED_MAX = 2**63 - 1


@dataclass(frozen=True)
class Bid:
    """The bid or tender the plan belongs to."""

    value_gbp: Decimal
    duration_months: Decimal
    scope: str
    work_type: str
    client_requires_coproduction: bool = False
    title: str | None = None
    client: str | None = None
    start_date: str | None = None

    @property
    def duration_weeks(self) -> Decimal:
        """The bid's length in weeks (52 weeks a year)."""
        return weeks_in_months(self.duration_months)


@dataclass(frozen=True)
class Needs:
    """Access needs of one activity line."""

    bsl: bool = False
    personal_assistants: int = 0
    carers_needing_replacement_care: int = 0


@dataclass(frozen=True)
class Activity:
    """One activity line: a role, how many people, how often, when, where."""

    index: int
    role: str
    people: int
    sessions: int
    hours_per_session: Decimal
    prep_hours_per_session: Decimal
    stage: str
    start_week: Decimal
    mode: str
    travel: str
    start_time: int | None  # minutes after midnight
    needs: Needs

    @property
    def attendances(self) -> int:
        """People times sessions."""
        return self.people * self.sessions

    @property
    def in_person(self) -> bool:
        """True unless the line meets remotely."""
        return self.mode == "in_person"


@dataclass(frozen=True)
class Options:
    """Simulation options."""

    draws: int = DRAWS_DEFAULT
    seed: int = 0


@dataclass(frozen=True)
class Plan:
    """A validated plan: a bid, a level and the activity lines."""

    bid: Bid
    level: str
    justification: str | None
    existing_network: bool
    contributors: int | None
    activities: tuple[Activity, ...]
    easy_read_pages: int
    options: Options

    @property
    def contributor_count(self) -> int:
        """N: ``contributors`` if given, else the largest ``people`` of any line.

        A plan with no activity lines recruits nobody, so N is 0 there.
        """
        if not self.activities:
            return 0
        if self.contributors is not None:
            return self.contributors
        return max((activity.people for activity in self.activities), default=0)


def parse_plan(document: Any, justification_min_chars: int = 40) -> Plan:
    """Validate a plan document; raise PlanError with every problem found."""
    errors = FieldErrors()
    if not isinstance(document, Mapping):
        errors.add("plan", f"must be an object (a plan document), not {describe(document)}",
                   "wrong_type")
        errors.raise_if_any()
    bid = read_bid(errors, document.get("bid", MISSING), "bid")
    level = read_choice(errors, document, "level", "", LEVELS, noun="level")
    justification = read_text(errors, document, "justification", "")
    activities = _read_activities(errors, document, bid)
    _check_level(errors, level, justification, activities, justification_min_chars)
    plan = Plan(
        bid=bid, level=level, justification=justification,
        existing_network=read_bool(errors, document, "existing_network", "", default=False),
        contributors=read_number(errors, document, "contributors", "", low=0,
                                 high=CONTRIBUTORS_MAX, whole=True, default=None),
        activities=activities,
        easy_read_pages=read_easy_read_pages(errors, document),
        options=read_options(errors, document.get("options")),
    )
    errors.raise_if_any()
    return plan


def read_bid(errors: FieldErrors, value: Any, path: str = "bid") -> Bid | None:
    """The bid object (required); None if it is missing or has errors."""
    if value is MISSING or value is None:
        errors.add(path, "is required (an object describing the bid)", "required")
        return None
    if not isinstance(value, Mapping):
        errors.add(path, f"must be an object, not {describe(value)}", "wrong_type")
        return None
    before = len(errors.items)
    fields = dict(
        value_gbp=read_number(errors, value, "value_gbp", path, low=0, low_open=True,
                              high=1_000_000_000),
        duration_months=read_number(errors, value, "duration_months", path, low=1, high=120),
        scope=read_choice(errors, value, "scope", path, SCOPES, noun="scope"),
        work_type=read_choice(errors, value, "work_type", path, WORK_TYPES, noun="work type"),
        client_requires_coproduction=read_bool(errors, value, "client_requires_coproduction",
                                               path, default=False),
        title=read_text(errors, value, "title", path),
        client=read_text(errors, value, "client", path),
        start_date=read_date(errors, value, "start_date", path),
    )
    return Bid(**fields) if len(errors.items) == before else None


def read_options(errors: FieldErrors, value: Any, path: str = "options") -> Options:
    """Simulation options; missing fields take the defaults (10,000 draws, seed 0)."""
    if value is None:
        return Options()
    if not isinstance(value, Mapping):
        errors.add(path, f"must be an object, not {describe(value)}", "wrong_type")
        return Options()
    draws = read_number(errors, value, "draws", path, low=DRAWS_MIN, high=DRAWS_MAX, whole=True,
                        default=DRAWS_DEFAULT)
    seed = read_number(errors, value, "seed", path, low=0, high=SEED_MAX, whole=True, default=0)
    return Options(draws=draws or DRAWS_DEFAULT, seed=seed or 0)


def _check_level(errors: FieldErrors, level: str | None, justification: str | None,
                 activities: tuple[Activity, ...] | None, min_chars: int) -> None:
    """The spec's plan errors: a reason for none, activity lines otherwise."""
    if level == "none" and len((justification or "").strip()) < min_chars:
        errors.add("justification",
                   f"must be at least {min_chars} characters for level none: say why "
                   "co-production is not proportionate here",
                   "justification_required")
    if level is not None and level != "none" and activities == ():
        errors.add("activities", f"level {level} needs at least one activity line",
                   "no_activities")


def _read_activities(errors: FieldErrors, document: Mapping,
                     bid: Bid | None) -> tuple[Activity, ...] | None:
    value = document.get("activities", MISSING)
    if value is MISSING or value is None:
        return ()
    if not isinstance(value, list):
        errors.add("activities", f"must be a list of activity lines, not {describe(value)}",
                   "wrong_type")
        return None
    if len(value) > ACTIVITIES_MAX:
        errors.add("activities", f"must have at most {ACTIVITIES_MAX} lines", "out_of_range")
        return None
    lines = [_read_activity(errors, item, index, bid) for index, item in enumerate(value)]
    return tuple(lines) if None not in lines else None


def _read_activity(errors: FieldErrors, item: Any, index: int,
                   bid: Bid | None) -> Activity | None:
    path = f"activities[{index}]"
    if not isinstance(item, Mapping):
        errors.add(path, f"must be an object (an activity line), not {describe(item)}",
                   "wrong_type")
        return None
    before = len(errors.items)
    role_key = read_choice(errors, item, "role", path, tuple(ROLES), noun="role")
    role = ROLES.get(role_key) if role_key else None
    stage = read_choice(errors, item, "stage", path, STAGES, noun="stage",
                        default=role.stage if role else None)
    fields = dict(
        index=index, role=role_key, stage=stage,
        people=read_number(errors, item, "people", path, low=1, high=PEOPLE_MAX, whole=True),
        sessions=read_number(errors, item, "sessions", path, low=1, high=SESSIONS_MAX,
                             whole=True),
        hours_per_session=read_number(errors, item, "hours_per_session", path,
                                      low=Decimal("0.25"), high=12,
                                      default=role.hours_per_session if role else None),
        prep_hours_per_session=read_number(errors, item, "prep_hours_per_session", path,
                                           low=0, high=40,
                                           default=role.prep_hours_per_session if role else None),
        start_week=_read_start_week(errors, item, path, bid, stage),
        mode=read_choice(errors, item, "mode", path, MODES, noun="mode", default="in_person"),
        travel=read_choice(errors, item, "travel", path, TRAVEL, noun="kind of travel",
                           default=bid.scope if bid else None),
        start_time=read_clock(errors, item, "start_time", path),
        needs=_read_needs(errors, item, path),
    )
    if len(errors.items) != before or None in (role, stage, fields["travel"]):
        return None
    return Activity(**fields)


def _read_start_week(errors: FieldErrors, item: Mapping, path: str, bid: Bid | None,
                     stage: str | None) -> Decimal | None:
    """Weeks from the bid start, 0 to the bid's duration; defaults to its stage's start."""
    if bid is None:  # the bound is unknown; the bid's own errors are reported
        return read_number(errors, item, "start_week", path, low=0, high=520, default=0)
    duration = bid.duration_weeks
    default = stage_start_week(stage, duration) if stage else Decimal(0)
    week = read_number(errors, item, "start_week", path, low=0, high=duration, default=default)
    return None if week is None else Decimal(week)


def _read_needs(errors: FieldErrors, item: Mapping, path: str) -> Needs | None:
    needs = read_mapping(errors, item, "needs", path, required=False)
    if needs is None:
        return None
    where = f"{path}.needs"
    return Needs(
        bsl=read_bool(errors, needs, "bsl", where, default=False),
        personal_assistants=read_number(errors, needs, "personal_assistants", where, low=0,
                                        high=PEOPLE_MAX, whole=True, default=0),
        carers_needing_replacement_care=read_number(
            errors, needs, "carers_needing_replacement_care", where, low=0, high=PEOPLE_MAX,
            whole=True, default=0),
    )


def read_easy_read_pages(errors: FieldErrors, document: Mapping) -> int:
    """``accessible_formats.easy_read_pages`` (0 to 1,000; absent is 0)."""
    formats = read_mapping(errors, document, "accessible_formats", "", required=False)
    if not formats:
        return 0
    pages = read_number(errors, formats, "easy_read_pages", "accessible_formats", low=0,
                        high=1_000, whole=True, default=0)
    return pages or 0
