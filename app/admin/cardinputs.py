"""The inputs of the new-rate-card form, laid out from the engine's table of card values.

``app.costing.ratecard_fields.FIELDS`` lists every value of a card; here each
becomes one input, or one input per key for a table of numbers (travel by
band, venue by scope, fee multiplier by role, an uncertainty triangle).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app import fieldpaths
from app.costing.ratecard import upgraded_document
from app.costing.ratecard_fields import FIELDS, SECTIONS, CardField
from app.costing.vocabulary import ROLE_LABELS, SCOPE_LABELS, TRAVEL_LABELS

SEPARATOR = "__"  # between a section's (or table's) name and its inputs' names
SECTION_LABELS = {"rates": "Rates and staff time", "time": "Lead times",
                  "uncertainty": "Uncertainty", "benefits": "Benefit limits",
                  "policy": "Proportionality policy"}
SOURCE_STATUS_LABELS = {"published": "Published", "derived": "Derived from published figures",
                 "assumed": "Assumption"}
SOURCE_KEYS = ("status", "basis", "checked")


def source_key(card_field: CardField) -> str:
    """The name of a value's source inputs in the form: ``rates_contributor_hourly``."""
    return f"{card_field.section}_{card_field.key}"
KEY_LABELS: dict[str, Mapping[str, str]] = {
    "gbp_by_travel": TRAVEL_LABELS, "gbp_by_scope": SCOPE_LABELS,
    "multiplier_by_role": ROLE_LABELS,
    "triangular": {"low": "Low", "mode": "Most likely", "high": "High"},
}


@dataclass(frozen=True)
class CardInput:
    """One input of the rate card form and where its value sits in a card document."""

    card_field: CardField
    sub_key: str | None
    label: str  # at the input, e.g. "Local travel"
    full_label: str  # in messages, e.g. "Return travel: Local travel"

    @property
    def name(self) -> str:
        """The form field's name (and HTML id), e.g. ``rates__travel_return__local``: its
        path's parts joined as the form's nested sections join them."""
        return fieldpaths.html_id(self.path, separator=SEPARATOR)

    @property
    def path(self) -> str:
        """The engine's name for the value, e.g. ``rates.travel_return.local``."""
        return self.card_field.path + (f".{self.sub_key}" if self.sub_key else "")

    @property
    def example(self) -> Any:
        """The default card's value, shown in messages as an example."""
        default = self.card_field.default
        return default[self.sub_key] if self.sub_key else default

    def value_in(self, document: Mapping) -> Any:
        """This input's value in a card document (None when it is missing)."""
        section = document.get(self.card_field.section)
        value = section.get(self.card_field.key) if isinstance(section, Mapping) else None
        if self.sub_key is not None:
            value = value.get(self.sub_key) if isinstance(value, Mapping) else None
        return value


def _inputs_for(card_field: CardField) -> list[CardInput]:
    if not isinstance(card_field.default, Mapping):
        return [CardInput(card_field, None, card_field.label, card_field.label)]
    labels = KEY_LABELS.get(card_field.kind, {})
    return [CardInput(card_field, key, labels.get(key, key),
                      f"{card_field.label}: {labels.get(key, key)}")
            for key in card_field.default]


CARD_GROUPS: tuple[tuple[CardField, tuple[CardInput, ...]], ...] = tuple(
    (card_field, tuple(_inputs_for(card_field))) for card_field in FIELDS)
CARD_INPUTS: tuple[CardInput, ...] = tuple(i for _, inputs in CARD_GROUPS for i in inputs)
_INPUT_FOR_PATH: dict[str, CardInput] = {
    **{card_field.path: inputs[0] for card_field, inputs in CARD_GROUPS},
    **{card_input.path: card_input for card_input in CARD_INPUTS}}


def input_for_path(path: str) -> CardInput | None:
    """The input an engine error path is about (a whole table's: its first input)."""
    return _INPUT_FOR_PATH.get(path)


def card_sections() -> list[tuple[str, str, list]]:
    """``[(section, label, [(card_field, inputs), ...]), ...]`` in the card's order."""
    return [(section, SECTION_LABELS.get(section, section),
             [group for group in CARD_GROUPS if group[0].section == section])
            for section in SECTIONS]


def initial_card_data(document: Mapping) -> dict[str, Any]:
    """A RateCardForm's starting values, nested as the card is: every value of the source
    card document (numbers as Decimals, 12.0 as 12), and each value's status, basis and
    checked date."""
    document = upgraded_document(document)
    data: dict[str, Any] = {section: {} for section in SECTIONS}
    data["sources"] = {source_key(f): source_entry(document, f) for f in FIELDS}
    for card_input in CARD_INPUTS:
        value = card_input.value_in(document)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if value.is_finite() and value == value.to_integral_value():
                value = Decimal(int(value))  # 12.0 shows as 12
        value = value if isinstance(value, (str, Decimal)) else None
        section = data[card_input.card_field.section]
        if card_input.sub_key is None:
            section[card_input.card_field.key] = value
        else:
            section.setdefault(card_input.card_field.key, {})[card_input.sub_key] = value
    return data


def source_entry(document: Mapping, card_field: CardField) -> dict[str, Any]:
    """``{status, basis, checked}`` of one value in a card document (checked as a date)."""
    sources = document.get("sources")
    entry = sources.get(card_field.path) if isinstance(sources, Mapping) else None
    entry = entry if isinstance(entry, Mapping) else {}
    checked = entry.get("checked")
    try:
        checked = date.fromisoformat(checked) if isinstance(checked, str) else None
    except ValueError:
        checked = None
    return {"status": entry.get("status") or card_field.status,
            "basis": entry.get("basis") or card_field.basis, "checked": checked}
