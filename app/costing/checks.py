"""Readers that take one field from a JSON document and check it.

Each reader records a ``{field, message, code}`` error in a :class:`FieldErrors`
instead of raising, and returns None for a bad value, so one pass over a
document reports every problem. Unknown keys are never looked at: the engine
ignores keys it does not know, everywhere (plans and rate cards alike).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .errors import PlanError

MISSING: Any = object()
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class FieldErrors:
    """The errors found so far in one document."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, field: str, message: str, code: str) -> None:
        """Record that ``field`` is wrong."""
        self.items.append({"field": field, "message": message, "code": code})

    def raise_if_any(self) -> None:
        """Raise PlanError with everything recorded, if anything was."""
        if self.items:
            raise PlanError(self.items)


def join(path: str, key: str) -> str:
    """``join("bid", "value_gbp")`` -> ``"bid.value_gbp"``."""
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    """What a wrong value is, in words, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _bound(value: int | float | Decimal) -> str:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number.as_tuple().exponent < -2:  # e.g. a bid's 21.666... weeks
        number = number.quantize(Decimal("0.01"))
    return f"{number.normalize() if number == number.to_integral_value() else number:,f}"


def _range_message(low: Any, high: Any, low_open: bool, whole: bool) -> str:
    kind = "a whole number" if whole else "a number"
    if low_open:
        return f"{kind} more than {_bound(low)} and at most {_bound(high)}"
    return f"{kind} from {_bound(low)} to {_bound(high)}"


def _finite_number(errors: FieldErrors, field: str, value: Any) -> int | Decimal | None:
    """``value`` as an int or Decimal, or None (and an error) if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        errors.add(field, f"must be a number, not {describe(value)}", "wrong_type")
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if isinstance(number, Decimal) and not number.is_finite():
        errors.add(field, "must be a finite number (not NaN or infinity)", "not_finite")
        return None
    return number


def read_number(errors: FieldErrors, doc: Mapping, key: str, path: str, *, low: Any,
                high: Any, low_open: bool = False, whole: bool = False,
                default: Any = MISSING) -> Any:
    """A finite number in [low, high] (or (low, high]); int if ``whole``, else Decimal.

    A missing or null field takes ``default``; without one it is an error.
    Booleans and text are never numbers.
    """
    field = join(path, key)
    value = doc.get(key, MISSING)
    if value is MISSING or value is None:
        if default is MISSING:
            errors.add(field, f"is required: {_range_message(low, high, low_open, whole)}",
                       "required")
        return None if default is MISSING else default
    number = _finite_number(errors, field, value)
    if number is None:
        return None
    if whole and number != int(number):
        errors.add(field, "must be " + _range_message(low, high, low_open, whole), "not_whole")
        return None
    too_low = number <= low if low_open else number < low
    if too_low or number > high:
        errors.add(field, "must be " + _range_message(low, high, low_open, whole),
                   "out_of_range")
        return None
    return int(number) if whole else Decimal(number)


def read_choice(errors: FieldErrors, doc: Mapping, key: str, path: str,
                options: tuple[str, ...], *, noun: str, default: Any = MISSING) -> Any:
    """One of ``options`` (a vocabulary key); missing or null takes ``default``."""
    field = join(path, key)
    value = doc.get(key, MISSING)
    choices = ", ".join(options)
    if value is MISSING or value is None:
        if default is MISSING:
            errors.add(field, f"is required: choose a {noun} ({choices})", "required")
            return None
        return default
    if not isinstance(value, str):
        errors.add(field, f"must be a {noun} key ({choices}), not {describe(value)}",
                   "wrong_type")
        return None
    if value not in options:
        shown = value if len(value) <= 40 else value[:37] + "..."
        errors.add(field, f"'{shown}' is not a known {noun}; use one of: {choices}",
                   "unknown_value")
        return None
    return value


def read_bool(errors: FieldErrors, doc: Mapping, key: str, path: str, *,
              default: bool) -> bool | None:
    """true or false; missing or null takes ``default``."""
    value = doc.get(key, MISSING)
    if value is MISSING or value is None:
        return default
    if not isinstance(value, bool):
        errors.add(join(path, key), f"must be true or false, not {describe(value)}",
                   "wrong_type")
        return None
    return value


def read_text(errors: FieldErrors, doc: Mapping, key: str, path: str, *,
              max_length: int = 10_000) -> str | None:
    """Optional text; missing or null is None."""
    value = doc.get(key, MISSING)
    if value is MISSING or value is None:
        return None
    if not isinstance(value, str):
        errors.add(join(path, key), f"must be text, not {describe(value)}", "wrong_type")
        return None
    if len(value) > max_length:
        errors.add(join(path, key), f"must be at most {max_length:,} characters",
                   "out_of_range")
        return None
    return value


def read_mapping(errors: FieldErrors, doc: Mapping, key: str, path: str, *,
                 required: bool) -> Mapping | None:
    """A nested object; an optional one that is missing or null is ``{}``."""
    value = doc.get(key, MISSING)
    if value is MISSING or value is None:
        if required:
            errors.add(join(path, key), "is required (an object)", "required")
            return None
        return {}
    if not isinstance(value, Mapping):
        errors.add(join(path, key), f"must be an object, not {describe(value)}", "wrong_type")
        return None
    return value


def parse_clock(text: Any) -> int | None:
    """Minutes after midnight for ``"HH:MM"`` (24-hour, two-digit hour), else None."""
    if not isinstance(text, str):
        return None
    match = _CLOCK.fullmatch(text)
    return int(match[1]) * 60 + int(match[2]) if match else None


def read_clock(errors: FieldErrors, doc: Mapping, key: str, path: str, *,
               required: bool = False) -> int | None:
    """A time of day ``"HH:MM"`` as minutes after midnight; missing or null is None."""
    value = doc.get(key, MISSING)
    if value is MISSING or value is None:
        if required:
            errors.add(join(path, key), "is required (a time as HH:MM)", "required")
        return None
    minutes = parse_clock(value)
    if minutes is None:
        errors.add(join(path, key), "must be a 24-hour time as HH:MM, for example 10:30",
                   "bad_format")
    return minutes


def read_date(errors: FieldErrors, doc: Mapping, key: str, path: str, *,
              required: bool = False) -> str | None:
    """An ISO date ``"YYYY-MM-DD"``; missing or null is None unless required."""
    value = doc.get(key, MISSING)
    if value is MISSING or value is None:
        if required:
            errors.add(join(path, key), "is required (a date as YYYY-MM-DD)", "required")
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        errors.add(join(path, key), "must be a date as YYYY-MM-DD, for example 2027-04-01",
                   "bad_format")
        return None
    return value
