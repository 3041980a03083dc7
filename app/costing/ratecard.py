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

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from .checks import FieldErrors
from .ratecard_document import (
    Triangle,
    check_consistency,
    read_header,
    read_sections,
    read_sources,
    upgrade,
    upgraded_document,
    value_to_json,
)
from .ratecard_fields import (
    DEFAULT_CARD_ID,
    ENGINE_CARD_IDS,
    FIELDS,
    FIRST_CARD_ID,
    SECTIONS,
    CardField,
    card_document,
)


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
        document = upgrade(document)
        values = read_header(errors, document, path)
        values.update(read_sections(errors, document, path))
        values["sources"] = read_sources(errors, document, path)
        check_consistency(errors, values, path)
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
            document[card_field.section][card_field.key] = value_to_json(
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


def _build(values: dict[str, Any]) -> RateCard:
    """The RateCard, its mappings read-only so a shared card cannot be changed by accident."""
    values["policy"] = Policy(**values["policy"])
    values["sources"] = {key: MappingProxyType(entry) for key, entry in values["sources"].items()}
    for key, value in values.items():
        if isinstance(value, dict):
            values[key] = MappingProxyType(value)
    return RateCard(**values)


__all__ = ["DEFAULT_CARD_ID", "ENGINE_CARD_IDS", "FIRST_CARD_ID", "Policy", "RateCard",
           "Triangle", "default_card", "default_rate_card", "engine_card", "rate_card_document",
           "upgraded_document"]
