"""Reading and writing rate card documents: every value checked and named by its path,
cards of an older layout read the way they were costed, values back to JSON.

:meth:`app.costing.ratecard.RateCard.from_dict` reads a document with these functions and
builds the card; :meth:`~app.costing.ratecard.RateCard.to_dict` writes each value back with
:func:`value_to_json`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
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
from .ratecard_fields import ADDED_LATER, FIELDS, FIRST_CARD_CHECKED, SECTIONS, STATUSES
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


def upgraded_document(document: Mapping) -> Mapping:
    """A stored card document in today's layout (a ``benefits`` section, a correlation),
    with the values it was costed with; a current document as it is."""
    return upgrade(document) if isinstance(document, Mapping) else document


def upgrade(document: Mapping) -> Mapping:
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


def read_header(errors: FieldErrors, document: Mapping, path: str) -> dict[str, Any]:
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


def read_sections(errors: FieldErrors, document: Mapping, path: str) -> dict[str, Any]:
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


def read_sources(errors: FieldErrors, document: Mapping, path: str) -> dict[str, dict]:
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


def check_consistency(errors: FieldErrors, values: dict[str, Any], path: str) -> None:
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


def value_to_json(kind: str, value: Any) -> Any:
    if kind == "clock":
        return f"{value // 60:02d}:{value % 60:02d}"
    if kind == "triangular":
        return {"low": value.low, "mode": value.mode, "high": value.high}
    if isinstance(value, Mapping):
        return {key: _plain(number) for key, number in value.items()}
    if isinstance(value, Decimal):
        return _plain(value)
    return value
