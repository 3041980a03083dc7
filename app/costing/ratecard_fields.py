"""Every value a rate card holds: its value in the engine's cards, kind, label and source.

This table is the one place that knows the engine's rates. Each row gives the
value in ``uk-2026`` and says whether the figure is *published* (from a public
source), *derived* (worked out from published figures by a stated rule) or
*assumed* (ours, to be shown as an editable assumption), its basis and the date
it was checked. ``uk-2026-12`` (the default since 1 December 2026) is
``uk-2026`` with the values of :data:`UK_2026_12_CHANGES`. A card document is
grouped into the sections ``rates``, ``time``, ``uncertainty``, ``benefits`` and
``policy``; the ``sources`` mapping of a document is keyed ``"<section>.<key>"``,
each entry ``{label, unit, status, basis, checked}``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .vocabulary import ROLES

FIRST_CARD_ID = "uk-2026"
DEFAULT_CARD_ID = "uk-2026-12"
ENGINE_CARD_IDS: tuple[str, ...] = (FIRST_CARD_ID, DEFAULT_CARD_ID)
CARD_HEADERS: dict[str, dict[str, Any]] = {
    FIRST_CARD_ID: {
        "id": FIRST_CARD_ID,
        "label": "UK default rates 2026",
        "description": ("The Co-production Planner's first UK rates, effective from "
                        "1 April 2026. Kept unchanged for the plans costed with it."),
        "currency": "GBP",
        "effective_from": "2026-04-01",
    },
    DEFAULT_CARD_ID: {
        "id": DEFAULT_CARD_ID,
        "label": "UK default rates December 2026",
        "description": ("The Co-production Planner's default UK rates, effective from "
                        "1 December 2026: published BSL and homecare rates, the 2026/27 "
                        "benefit limits and correlated uncertainty. Copy it to make an "
                        "organisation's own card."),
        "currency": "GBP",
        "effective_from": "2026-12-01",
    },
}
DEFAULT_CARD_HEADER: dict[str, Any] = CARD_HEADERS[DEFAULT_CARD_ID]
SECTIONS: tuple[str, ...] = ("rates", "time", "uncertainty", "benefits", "policy")
STATUSES: tuple[str, ...] = ("published", "derived", "assumed")
# When the values of uk-2026 were checked: the card's own date (none was recorded then).
FIRST_CARD_CHECKED = "2026-04-01"


@dataclass(frozen=True)
class CardField:
    """One value of a rate card."""

    section: str
    key: str
    kind: str
    default: Any
    label: str
    unit: str
    status: str  # "published", "derived" or "assumed"
    basis: str

    @property
    def path(self) -> str:
        """``"rates.contributor_hourly"``: the key in a document's ``sources``."""
        return f"{self.section}.{self.key}"


_PUB, _DER, _ASS = STATUSES
_NIHR = ("published range: GBP 25/h (Blue Heart), 30/h (Co-Production Collective 2024 "
         "pilot); NIHR raised its involvement rates 10% from 16 Dec 2025")
_STAFF = "assumed staff time per task"
_TRIANGLE = "assumed (low, most likely, high) multiplier of the planned figure"

FIELDS: tuple[CardField, ...] = (
    CardField("rates", "contributor_hourly", "gbp", 27.50, "Contributor hourly rate",
              "GBP per hour", _PUB, _NIHR),
    CardField("rates", "minimum_paid_hours", "hours", 1.0, "Minimum paid hours",
              "hours per attendance", _ASS, "assumed: nobody is paid for less than an hour"),
    CardField("rates", "role_fee_multipliers", "multiplier_by_role",
              {key: float(role.fee_multiplier) for key, role in ROLES.items()},
              "Fee multiplier by role", "times the hourly rate", _ASS,
              "assumed: roles that lead or chair are paid 1.5 times the hourly rate"),
    CardField("rates", "travel_return", "gbp_by_travel",
              {"local": 12.00, "regional": 40.00, "national": 110.00},
              "Return travel", "GBP per attendance", _ASS,
              "assumed (mileage alternative: 0.45/mile, published HMRC rate)"),
    CardField("rates", "mileage_per_mile", "gbp", 0.45, "Mileage rate", "GBP per mile", _PUB,
              "published HMRC approved mileage rate (for reference; fares use travel_return)"),
    CardField("rates", "subsistence", "gbp", 10.00, "Subsistence", "GBP per in-person attendance",
              _ASS, "assumed"),
    CardField("rates", "overnight_stay", "gbp", 130.00, "Overnight stay",
              "GBP per attendance", _ASS, "assumed"),
    CardField("rates", "early_start_before", "clock", "10:00", "Early start before", "HH:MM",
              _ASS, "from the board report: breakfast meetings excluded people and forced "
              "overnight stays"),
    CardField("rates", "pa_hourly", "gbp", 21.00, "Personal assistant hourly rate",
              "GBP per hour", _ASS, "assumed"),
    CardField("rates", "replacement_care_hourly", "gbp", 24.00, "Replacement care hourly rate",
              "GBP per hour", _ASS, "assumed"),
    CardField("rates", "replacement_care_travel_hours", "hours", 1.0,
              "Replacement care travel allowance", "hours per session", _ASS, "assumed"),
    CardField("rates", "bsl_half_day", "gbp", 120.00, "BSL interpreter, half day",
              "GBP per interpreter", _PUB, "published (UK sole-trader rates)"),
    CardField("rates", "bsl_full_day", "gbp", 240.00, "BSL interpreter, full day",
              "GBP per interpreter", _PUB, "published (UK sole-trader rates)"),
    CardField("rates", "bsl_half_day_max_hours", "hours", 3.5, "BSL half day lasts up to",
              "hours", _PUB, "published (UK sole-trader rates)"),
    CardField("rates", "bsl_two_interpreters_over_hours", "hours", 1.0,
              "Two BSL interpreters for sessions over", "hours", _PUB,
              "published (co-working for sessions over an hour)"),
    CardField("rates", "easy_read_per_page", "gbp", 60.00, "Easy read", "GBP per page", _ASS,
              "assumed"),
    CardField("rates", "venue_per_session", "gbp_by_scope",
              {"local": 150.00, "regional": 250.00, "national": 400.00},
              "Venue hire by bid scope", "GBP per in-person session", _ASS, "assumed"),
    CardField("rates", "catering", "gbp", 9.00, "Catering", "GBP per in-person attendance", _ASS,
              "assumed"),
    CardField("rates", "digital_allowance", "gbp", 10.00, "Digital allowance",
              "GBP per remote attendance", _ASS, "assumed"),
    CardField("rates", "staff_day_rate", "gbp", 360.00, "Staff day rate", "GBP per day", _ASS,
              "assumed"),
    CardField("rates", "staff_day_hours", "hours", 7.5, "Staff day length", "hours", _ASS,
              "assumed"),
    CardField("rates", "recruitment_hours_new", "hours", 3.0, "Recruitment, new contributors",
              "staff hours per contributor", _ASS, _STAFF),
    CardField("rates", "recruitment_hours_existing_network", "hours", 1.0,
              "Recruitment from an existing network", "staff hours per contributor", _ASS,
              _STAFF),
    CardField("rates", "support_hours_per_attendance", "hours", 0.5, "Support",
              "staff hours per attendance", _ASS, _STAFF),
    CardField("rates", "organising_hours_in_person", "hours", 4.0, "Organising, in person",
              "staff hours per session", _ASS, _STAFF),
    CardField("rates", "organising_hours_remote", "hours", 2.0, "Organising, remote",
              "staff hours per session", _ASS, _STAFF),
    CardField("rates", "payment_admin_hours_per_attendance", "hours", 0.25, "Payment admin",
              "staff hours per attendance", _ASS, _STAFF),
    CardField("rates", "induction_hours", "hours", 3.0, "Induction (levels good and full)",
              "contributor hours per contributor", _ASS,
              "assumed (the report's KPI: capacity development for new roles)"),
    CardField("rates", "annual_inflation", "inflation", 0.03, "Yearly inflation",
              "fraction a year", _ASS, "assumed"),
    CardField("time", "recruitment_weeks_existing_network", "weeks", 4,
              "Recruitment from an existing network", "weeks", _ASS, "assumed"),
    CardField("time", "recruitment_weeks_new", "weeks", 10, "Recruitment of new contributors",
              "weeks", _ASS, "assumed"),
    CardField("time", "easy_read_weeks", "weeks", 6, "Easy read production", "weeks", _PUB,
              "published range 4 to 8 weeks"),
    CardField("time", "review_weeks_per_session", "weeks", 2, "Review turnaround",
              "weeks per reviewer session", _ASS, "assumed"),
    CardField("time", "payment_weeks_min", "weeks", 4, "Contributor payments take at least",
              "weeks", _PUB, "published: payments take 4 to 6 weeks to process"),
    CardField("time", "payment_weeks_max", "weeks", 6, "Contributor payments take at most",
              "weeks", _PUB, "published: payments take 4 to 6 weeks to process"),
    CardField("uncertainty", "sessions", "triangular",
              {"low": 0.9, "mode": 1.0, "high": 1.5}, "Sessions held", "times planned", _ASS,
              _TRIANGLE),
    CardField("uncertainty", "prep_hours", "triangular",
              {"low": 0.75, "mode": 1.0, "high": 2.0}, "Preparation hours", "times planned",
              _ASS, _TRIANGLE),
    CardField("uncertainty", "travel_costs", "triangular",
              {"low": 0.8, "mode": 1.0, "high": 1.5}, "Travel fares", "times planned", _ASS,
              _TRIANGLE),
    CardField("uncertainty", "attendance", "triangular",
              {"low": 0.7, "mode": 0.95, "high": 1.0}, "Attendance", "share of planned places",
              _ASS, _TRIANGLE),
    CardField("uncertainty", "staff_hours", "triangular",
              {"low": 0.8, "mode": 1.0, "high": 1.6}, "Staff hours", "times planned", _ASS,
              _TRIANGLE),
    CardField("uncertainty", "correlation", "fraction", 0, "Correlation between lines",
              "0 independent lines to 1 one shared factor", _ASS,
              "uk-2026 predates correlated lines: its lines vary independently (0)"),
    CardField("benefits", "carers_allowance_weekly", "gbp", 167.00,
              "Carer's Allowance earnings limit", "GBP per week", _PUB,
              "published 2023/24 weekly permitted earnings (uk-2026's one weekly figure, used "
              "for both weekly limits)"),
    CardField("benefits", "esa_permitted_work_weekly", "gbp", 167.00,
              "ESA permitted work limit", "GBP per week", _PUB,
              "published 2023/24 weekly permitted earnings (uk-2026's one weekly figure, used "
              "for both weekly limits)"),
    CardField("benefits", "uc_work_allowance_monthly", "gbp", 379.00,
              "Universal Credit work allowance", "GBP per month", _PUB,
              "published 2023/24 work allowance"),
    CardField("policy", "limited_below_gbp", "gbp_large", 25_000, "Recommend limited below",
              "GBP bid value", _ASS, "organisation policy (editable)"),
    CardField("policy", "good_below_gbp", "gbp_large", 500_000, "Recommend good below",
              "GBP bid value (full at or above)", _ASS, "organisation policy (editable)"),
    CardField("policy", "client_requirement_level", "level", "good",
              "Lowest level when the client requires co-production", "level", _ASS,
              "organisation policy (editable)"),
    CardField("policy", "disproportionate_percent", "percent", 15,
              "Warn when co-production costs more than", "percent of bid value", _ASS,
              "organisation policy (editable)"),
    CardField("policy", "limited_target_percent", "percent", 3,
              "Size limited starting plans to at most", "percent of bid value", _ASS,
              "organisation policy (editable)"),
    CardField("policy", "good_target_percent", "percent", 8,
              "Size good starting plans to at most", "percent of bid value", _ASS,
              "organisation policy (editable)"),
    CardField("policy", "full_target_percent", "percent", 15,
              "Size full starting plans to at most", "percent of bid value", _ASS,
              "organisation policy (editable)"),
    CardField("policy", "tight_timeline_percent", "percent", 25,
              "Warn when time overhead is more than", "percent of the bid's weeks", _ASS,
              "organisation policy (editable)"),
    CardField("policy", "justification_min_chars", "chars", 40,
              "Shortest justification for level none", "characters", _ASS,
              "organisation policy (editable)"),
)
FIELDS_BY_PATH: dict[str, CardField] = {field.path: field for field in FIELDS}
# Values added after cards were saved: a card without them takes the default.
ADDED_LATER: frozenset[str] = frozenset({"policy.limited_target_percent",
                                         "policy.good_target_percent",
                                         "policy.full_target_percent"})


_CHECKED_12 = "2026-12-01"


@dataclass(frozen=True)
class Change:
    """A value of ``uk-2026-12`` that differs from ``uk-2026``."""

    value: Any
    status: str
    basis: str
    checked: str = _CHECKED_12


UK_2026_12_CHANGES: dict[str, Change] = {
    "rates.bsl_half_day": Change(
        140.00, _PUB, "published: NUBSLI fees guidance 2020-22 (London; every region's full "
        "day at least 245.00; updated guidance May 2024)"),
    "rates.bsl_full_day": Change(
        280.00, _PUB, "published: NUBSLI fees guidance 2020-22 (London; every region's full "
        "day at least 245.00; updated guidance May 2024)"),
    "rates.replacement_care_hourly": Change(
        32.14, _PUB, "published: Homecare Association minimum price for homecare 2025/26 "
        "(agency care; a self-employed sitter costs less)"),
    "benefits.carers_allowance_weekly": Change(
        204.00, _PUB, "published: DWP, Carer's Allowance earnings limit from April 2026 "
        "(196.00 in 2025/26)"),
    "benefits.esa_permitted_work_weekly": Change(
        203.50, _DER, "derived: 16 h × National Living Wage 12.71 from April 2026, rounded up "
        "to 50p, the DWP's rule (195.50 in 2025/26, published)"),
    "benefits.uc_work_allowance_monthly": Change(
        411.00, _PUB, "published: 2025/26 lower work allowance (with housing costs; 684.00 "
        "without); the 2026/27 figure to be checked"),
    "uncertainty.correlation": Change(
        0.5, _ASS, "assumed: sessions, attendance and staff time overrun together across "
        "lines (the same staff, people and client)"),
}


def _copy(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


def card_sources(card_id: str = DEFAULT_CARD_ID) -> dict[str, dict[str, str]]:
    """``{"rates.contributor_hourly": {label, unit, status, basis, checked}, ...}``."""
    changes = UK_2026_12_CHANGES if card_id == DEFAULT_CARD_ID else {}
    sources = {}
    for f in FIELDS:
        change = changes.get(f.path)
        sources[f.path] = {"label": f.label, "unit": f.unit,
                           "status": change.status if change else f.status,
                           "basis": change.basis if change else f.basis,
                           "checked": change.checked if change else FIRST_CARD_CHECKED}
    return sources


def default_sources() -> dict[str, dict[str, str]]:
    """The sources of the default card (``uk-2026-12``)."""
    return card_sources(DEFAULT_CARD_ID)


def card_document(card_id: str = DEFAULT_CARD_ID) -> dict[str, Any]:
    """One of the engine's cards (``uk-2026`` or ``uk-2026-12``) as a fresh document."""
    changes = UK_2026_12_CHANGES if card_id == DEFAULT_CARD_ID else {}
    document: dict[str, Any] = dict(CARD_HEADERS[card_id])
    for section in SECTIONS:
        document[section] = {}
    for f in FIELDS:
        change = changes.get(f.path)
        document[f.section][f.key] = _copy(change.value if change else f.default)
    document["sources"] = card_sources(card_id)
    return document


def default_document() -> dict[str, Any]:
    """The default card (``uk-2026-12``) as a fresh JSON-able document (safe to modify)."""
    return card_document(DEFAULT_CARD_ID)
