"""Form fields shared by every feature: parse errors that name the field."""
from __future__ import annotations

import re
from datetime import date

from wtforms import DateField, DecimalField, IntegerField
from wtforms.validators import NumberRange, ValidationError

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


# What people type as a number: ASCII digits, one optional point, an optional sign
# or exponent. Python's own parsers also take 1_000 and other scripts' digits (١٠٠).
PLAIN_DECIMAL = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)
PLAIN_WHOLE = re.compile(r"\s*[+-]?\d{1,15}\s*", re.ASCII)  # 15 digits: far beyond any count
# Money as people write it in the UK, too: an optional £ and thousands grouped with
# commas in threes (£85,000 or 1,234,567.50); "85,00" or "8,5000" are not amounts.
PLAIN_MONEY = re.compile(
    r"\s*£?\s*[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*",
    re.ASCII)


class ParseMessageMixin:
    """Replace WTForms' generic 'Not a valid ... value' with a message naming the field."""

    plain = None  # a pattern the typed text must match, if any

    @staticmethod
    def normalised(text: str) -> str:
        """The typed text as the parser reads it, once it matched ``plain``."""
        return text

    def __init__(self, *args, parse_message: str, **kwargs) -> None:
        self.parse_message = parse_message
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        if valuelist and self.plain is not None and valuelist[0] not in ("", None) \
                and not self.plain.fullmatch(str(valuelist[0])):
            self.data = None
            raise ValueError(self.parse_message)
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [self.normalised(valuelist[0]), *valuelist[1:]]
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.parse_message) from error


class PlainDecimalField(ParseMessageMixin, DecimalField):
    """A decimal as people type it: finite, and without an absurd exponent.

    NaN and infinity are not numbers anyone means, and a value like 1e9999999
    parses instantly but takes minutes to turn into an integer; both get the
    field's message instead. A number that is only too large (99999999999999)
    is a number: it gets the field's range message (its NumberRange), when it has one.
    """

    MAX_EXPONENT = 12
    plain = PLAIN_DECIMAL

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and (not self.data.is_finite()
                                      or abs(self.data.adjusted()) > self.MAX_EXPONENT):
            too_large = self.data.is_finite() and self.data.adjusted() > 0
            self.data = None
            raise ValueError(self._range_message() if too_large else self.parse_message)

    def _range_message(self) -> str:
        ranges = [check for check in self.validators  # one that says how large it may be
                  if isinstance(check, NumberRange) and check.max is not None and check.message]
        return ranges[0].message if ranges else self.parse_message


class MoneyField(PlainDecimalField):
    """Pounds and pence, e.g. 120000, 99999.99 or £85,000."""

    plain = PLAIN_MONEY

    @staticmethod
    def normalised(text: str) -> str:
        return text.replace("£", "").replace(",", "").strip()


class NumberField(PlainDecimalField):
    """A decimal quantity such as hours."""


class WholeNumberField(ParseMessageMixin, IntegerField):
    """A count or a whole number of months or weeks."""

    plain = PLAIN_WHOLE


class DayField(ParseMessageMixin, DateField):
    """A calendar date as YYYY-MM-DD."""


def date_in_range(label: str):
    """A validator: the date falls in 2000 to 2100 (a typo like 0227 is caught)."""
    def check(_form, field) -> None:
        if field.data and not EARLIEST_DATE <= field.data <= LATEST_DATE:
            raise ValidationError(f"{label} must be between 2000 and 2100")
    return check
