"""Rate cards: the values the engine is given (money, time, uncertainty, policy).

A rate card is data. :func:`default_rate_card` returns the default card
(``uk-2026-12``) as a JSON-able document, :func:`rate_card_document` either of the
engine's cards; :meth:`RateCard.from_dict` validates any card document (an
organisation's own, an older one, one stored as JSON in the database) and
:meth:`RateCard.to_dict` gives the document back, so new cards are made by
copying an old one and changing values. Every value must be present; unknown
keys are ignored. Cards written before the ``benefits`` section existed (their
``rates.benefit_weekly_threshold`` and ``rates.benefit_monthly_threshold``) are
read as they were costed: the weekly figure stands for both weekly limits, and
a card without ``uncertainty.correlation`` keeps independent lines (0).
``sources`` says, per value, whether it is published, derived or assumed, why,
and when it was checked; entries missing from a document keep the default
metadata.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from .checks import (
    FieldErrors,
    join,
    parse_clock,
    read_choice,
    read_date,
    read_mapping,
    read_number,
    read_text,
)
from .ratecard_fields import (
    ADDED_LATER,
    DEFAULT_CARD_ID,
    ENGINE_CARD_IDS,
    FIELDS,
    FIRST_CARD_CHECKED,
    FIRST_CARD_ID,
    SECTIONS,
    STATUSES,
    CardField,
    card_document,
)
from .vocabulary import LEVELS, ROLES, SCOPES

_LEGACY_BENEFITS = {  # the rates keys of cards written before the benefits section
    "carers_allowance_weekly": "benefit_weekly_threshold",
    "esa_permitted_work_weekly": "benefit_weekly_threshold",
    "uc_work_allowance_monthly": "benefit_monthly_threshold",
}
_TRAVEL_KEYS = ("local", "regional", "national")  # travel "none" costs nothing


@dataclass(frozen=True)
class Triangle:
    """A triangular distribution (low, mode, high) of a multiplier."""

    low: float
    mode: float
    high: float


@dataclass(frozen=True)
class Policy:
    """The organisation's proportionality policy (editable, in the card)."""

    limited_below_gbp: Decimal
    good_below_gbp: Decimal
    client_requirement_level: str
    disproportionate_percent: Decimal
    tight_timeline_percent: Decimal
    justification_min_chars: int
    limited_target_percent: Decimal
    good_target_percent: Decimal
    full_target_percent: Decimal

    def target_percent(self, level: str) -> Decimal:
        """The share of the bid value a level's sized starting plan aims at (none: 0)."""
        return getattr(self, f"{level}_target_percent") if level != "none" else Decimal(0)


@dataclass(frozen=True)
class RateCard:
    """A validated rate card. Money and hours are Decimals; see ``ratecard_fields``."""

    id: str
    label: str
    description: str | None
    currency: str
    effective_from: str
    contributor_hourly: Decimal
    minimum_paid_hours: Decimal
    role_fee_multipliers: Mapping[str, Decimal]
    travel_return: Mapping[str, Decimal]
    mileage_per_mile: Decimal
    subsistence: Decimal
    overnight_stay: Decimal
    early_start_before: int  # minutes after midnight
    pa_hourly: Decimal
    replacement_care_hourly: Decimal
    replacement_care_travel_hours: Decimal
    bsl_half_day: Decimal
    bsl_full_day: Decimal
    bsl_half_day_max_hours: Decimal
    bsl_two_interpreters_over_hours: Decimal
    easy_read_per_page: Decimal
    venue_per_session: Mapping[str, Decimal]
    catering: Decimal
    digital_allowance: Decimal
    staff_day_rate: Decimal
    staff_day_hours: Decimal
    recruitment_hours_new: Decimal
    recruitment_hours_existing_network: Decimal
    support_hours_per_attendance: Decimal
    organising_hours_in_person: Decimal
    organising_hours_remote: Decimal
    payment_admin_hours_per_attendance: Decimal
    induction_hours: Decimal
    annual_inflation: Decimal
    carers_allowance_weekly: Decimal
    esa_permitted_work_weekly: Decimal
    uc_work_allowance_monthly: Decimal
    recruitment_weeks_existing_network: Decimal
    recruitment_weeks_new: Decimal
    easy_read_weeks: Decimal
    review_weeks_per_session: Decimal
    payment_weeks_min: Decimal
    payment_weeks_max: Decimal
    uncertainty: Mapping[str, Triangle]
    correlation: float  # uncertainty.correlation: 0 independent lines, 1 one shared factor
    policy: Policy
    sources: Mapping[str, Mapping[str, str]] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, document: Any, path: str = "") -> RateCard:
        """Validate a card document; raise PlanError listing every bad field.

        ``path`` prefixes field names, e.g. ``"rate_card"`` when the card came
        inside a plan.
        """
        errors = FieldErrors()
        if not isinstance(document, Mapping):
            errors.add(path or "rate_card", "must be an object (a rate card document)",
                       "wrong_type")
            errors.raise_if_any()
        document = _upgrade(document)
        values = _read_header(errors, document, path)
        values.update(_read_sections(errors, document, path))
        values["sources"] = _read_sources(errors, document, path)
        _check_consistency(errors, values, path)
        errors.raise_if_any()
        return _build(values)

    def to_dict(self) -> dict[str, Any]:
        """The card as a JSON-able document that :meth:`from_dict` accepts."""
        document: dict[str, Any] = {"id": self.id, "label": self.label,
                                    "description": self.description,
                                    "currency": self.currency,
                                    "effective_from": self.effective_from}
        for section in SECTIONS:
            document[section] = {}
        for card_field in FIELDS:
            document[card_field.section][card_field.key] = _to_json(
                card_field.kind, self._value(card_field))
        document["sources"] = {key: dict(entry) for key, entry in self.sources.items()}
        return document

    def _value(self, card_field: CardField) -> Any:
        if card_field.path == "uncertainty.correlation":
            return self.correlation
        if card_field.section == "uncertainty":
            return self.uncertainty[card_field.key]
        if card_field.section == "policy":
            return getattr(self.policy, card_field.key)
        return getattr(self, card_field.key)

    @property
    def weekly_benefit_limits(self) -> dict[str, Decimal]:
        """The two weekly cliffs, keyed by their ``benefits`` keys."""
        return {"carers_allowance_weekly": self.carers_allowance_weekly,
                "esa_permitted_work_weekly": self.esa_permitted_work_weekly}

    @property
    def staff_hourly(self) -> Decimal:
        """Staff cost of one hour: the day rate over the day's hours."""
        return self.staff_day_rate / self.staff_day_hours

    def summary(self) -> dict[str, str]:
        """``{"id", "label", "effective_from"}`` recorded in every estimate."""
        return {"id": self.id, "label": self.label, "effective_from": self.effective_from}


def default_rate_card() -> dict[str, Any]:
    """The default card (``uk-2026-12``) as a fresh JSON-able document."""
    return card_document(DEFAULT_CARD_ID)


def rate_card_document(card_id: str) -> dict[str, Any]:
    """One of the engine's cards (:data:`ENGINE_CARD_IDS`) as a fresh document."""
    return card_document(card_id)


@lru_cache(maxsize=len(ENGINE_CARD_IDS))
def engine_card(card_id: str) -> RateCard:
    """One of the engine's cards, parsed once (RateCard is immutable)."""
    return RateCard.from_dict(card_document(card_id))


def default_card() -> RateCard:
    """The parsed default card (``uk-2026-12``)."""
    return engine_card(DEFAULT_CARD_ID)


def upgraded_document(document: Mapping) -> Mapping:
    """A stored card document in today's layout (a ``benefits`` section, a correlation),
    with the values it was costed with; a current document as it is."""
    return _upgrade(document) if isinstance(document, Mapping) else document


def _upgrade(document: Mapping) -> Mapping:
    """A card written before the ``benefits`` section and correlated lines, read the
    way it was costed: its weekly figure for both weekly limits, correlation 0."""
    benefits = document.get("benefits")
    uncertainty = document.get("uncertainty")
    rates = document.get("rates")
    old_benefits = benefits is None and isinstance(rates, Mapping) and any(
        key in rates for key in _LEGACY_BENEFITS.values())
    no_correlation = isinstance(uncertainty, Mapping) and "correlation" not in uncertainty
    if not old_benefits and not no_correlation:
        return document
    upgraded = dict(document)
    sources = dict(document.get("sources") or {}) if isinstance(
        document.get("sources"), Mapping) else document.get("sources")
    if old_benefits:
        upgraded["benefits"] = {key: rates.get(old) for key, old in _LEGACY_BENEFITS.items()}
        if isinstance(sources, dict):
            for key, old in _LEGACY_BENEFITS.items():
                if f"rates.{old}" in sources:
                    sources.setdefault(f"benefits.{key}", sources[f"rates.{old}"])
    if no_correlation:
        upgraded["uncertainty"] = {**uncertainty, "correlation": 0}
    if sources is not None:
        upgraded["sources"] = sources
    return upgraded


def _read_header(errors: FieldErrors, document: Mapping, path: str) -> dict[str, Any]:
    card_id = read_text(errors, document, "id", path, max_length=64)
    if (card_id is None or not card_id.strip()) and not any(
            e["field"] == join(path, "id") for e in errors.items):
        errors.add(join(path, "id"), "is required (a short name for the card)", "required")
    label = read_text(errors, document, "label", path, max_length=200)
    currency = read_choice(errors, document, "currency", path, ("GBP",), noun="currency",
                           default="GBP")
    return {"id": card_id, "label": label or card_id, "currency": currency,
            "description": read_text(errors, document, "description", path),
            "effective_from": read_date(errors, document, "effective_from", path,
                                        required=True)}


def _read_sections(errors: FieldErrors, document: Mapping, path: str) -> dict[str, Any]:
    sections = {name: read_mapping(errors, document, name, path, required=True)
                for name in SECTIONS}
    values: dict[str, Any] = {"uncertainty": {}, "policy": {}}
    for card_field in FIELDS:
        section = sections[card_field.section]
        if section is None:
            continue
        if card_field.path in ADDED_LATER and card_field.key not in section:
            section = {card_field.key: card_field.default}
        value = _READERS[card_field.kind](errors, section, card_field.key,
                                          join(path, card_field.section))
        if card_field.path == "uncertainty.correlation":
            values["correlation"] = None if value is None else float(value)
        elif card_field.section in ("uncertainty", "policy"):
            values[card_field.section][card_field.key] = value
        else:
            values[card_field.key] = value
    return values


def _read_sources(errors: FieldErrors, document: Mapping, path: str) -> dict[str, dict]:
    given = read_mapping(errors, document, "sources", path, required=False) or {}
    sources: dict[str, dict] = {}
    for card_field in FIELDS:
        entry = dict(label=card_field.label, unit=card_field.unit, status=card_field.status,
                     basis=card_field.basis, checked=FIRST_CARD_CHECKED)
        override = given.get(card_field.path)
        where = join(join(path, "sources"), card_field.path)
        if isinstance(override, Mapping):
            entry["status"] = read_choice(errors, override, "status", where, STATUSES,
                                          noun="source status", default=entry["status"])
            entry["basis"] = read_text(errors, override, "basis", where) or entry["basis"]
            entry["checked"] = read_date(errors, override, "checked", where) or entry["checked"]
        elif override is not None:
            errors.add(where, "must be an object with status and basis", "wrong_type")
        sources[card_field.path] = entry
    return sources


def _check_consistency(errors: FieldErrors, values: dict[str, Any], path: str) -> None:
    policy = values["policy"]
    low, high = policy.get("limited_below_gbp"), policy.get("good_below_gbp")
    if low is not None and high is not None and high < low:
        errors.add(join(path, "policy.good_below_gbp"),
                   "must be at least policy.limited_below_gbp", "out_of_range")
    first, last = values.get("payment_weeks_min"), values.get("payment_weeks_max")
    if first is not None and last is not None and last < first:
        errors.add(join(path, "time.payment_weeks_max"), "must be at least payment_weeks_min",
                   "out_of_range")
    if values.get("staff_day_hours") == 0:
        errors.add(join(path, "rates.staff_day_hours"), "must be more than 0", "out_of_range")


def _build(values: dict[str, Any]) -> RateCard:
    """The RateCard, its mappings read-only so a shared card cannot be changed by accident."""
    values["policy"] = Policy(**values["policy"])
    values["sources"] = {key: MappingProxyType(entry) for key, entry in values["sources"].items()}
    for key, value in values.items():
        if isinstance(value, dict):
            values[key] = MappingProxyType(value)
    return RateCard(**values)


def _read_per_key(keys: tuple[str, ...], high: int) -> Callable[..., Any]:
    def read(errors: FieldErrors, doc: Mapping, key: str, path: str) -> Any:
        """A mapping with an amount for every key."""
        table = read_mapping(errors, doc, key, path, required=True)
        if table is None:
            return None
        where = join(path, key)
        values = {name: read_number(errors, table, name, where, low=0, high=high)
                  for name in keys}
        return None if None in values.values() else values
    return read


def _read_triangle(errors: FieldErrors, doc: Mapping, key: str, path: str) -> Any:
    table = read_mapping(errors, doc, key, path, required=True)
    if table is None:
        return None
    where = join(path, key)
    points = [read_number(errors, table, name, where, low=0, high=10)
              for name in ("low", "mode", "high")]
    if None in points:
        return None
    if not points[0] <= points[1] <= points[2]:
        errors.add(where, "must have low <= mode <= high", "out_of_range")
        return None
    return Triangle(*(float(point) for point in points))


def _read_clock_value(errors: FieldErrors, doc: Mapping, key: str, path: str) -> Any:
    value = doc.get(key)
    minutes = parse_clock(value)
    if minutes is None:
        errors.add(join(path, key), "must be a 24-hour time as HH:MM, for example 10:00",
                   "bad_format")
    return minutes


def _number_reader(low: Any, high: Any, whole: bool = False) -> Callable[..., Any]:
    def read(errors: FieldErrors, doc: Mapping, key: str, path: str) -> Any:
        """A number in the bounds."""
        return read_number(errors, doc, key, path, low=low, high=high, whole=whole)
    return read


def _read_level(errors: FieldErrors, doc: Mapping, key: str, path: str) -> Any:
    return read_choice(errors, doc, key, path, LEVELS, noun="level")


_READERS: dict[str, Callable[..., Any]] = {
    "gbp": _number_reader(0, 1_000_000),
    "gbp_large": _number_reader(0, 1_000_000_000_000),
    "hours": _number_reader(0, 24),
    "inflation": _number_reader(Decimal("-0.5"), 1),
    "fraction": _number_reader(0, 1),
    "weeks": _number_reader(0, 260),
    "percent": _number_reader(0, 100),
    "chars": _number_reader(0, 10_000, whole=True),
    "clock": _read_clock_value,
    "level": _read_level,
    "triangular": _read_triangle,
    "gbp_by_travel": _read_per_key(_TRAVEL_KEYS, 1_000_000),
    "gbp_by_scope": _read_per_key(SCOPES, 1_000_000),
    "multiplier_by_role": _read_per_key(tuple(ROLES), 10),
}


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _to_json(kind: str, value: Any) -> Any:
    if kind == "clock":
        return f"{value // 60:02d}:{value % 60:02d}"
    if kind == "triangular":
        return {"low": value.low, "mode": value.mode, "high": value.high}
    if isinstance(value, Mapping):
        return {key: _plain(number) for key, number in value.items()}
    if isinstance(value, Decimal):
        return _plain(value)
    return value


__all__ = ["DEFAULT_CARD_ID", "ENGINE_CARD_IDS", "FIRST_CARD_ID", "Policy", "RateCard",
           "Triangle", "default_card", "default_rate_card", "engine_card", "rate_card_document",
           "upgraded_document"]
