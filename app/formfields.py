"""Form fields shared by every feature: parse errors that name the field."""
from __future__ import annotations

from wtforms import DateField, DecimalField, IntegerField


class ParseMessageMixin:
    """Replace WTForms' generic 'Not a valid ... value' with a message naming the field."""

    def __init__(self, *args, parse_message: str, **kwargs) -> None:
        self.parse_message = parse_message
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.parse_message) from error


class MoneyField(ParseMessageMixin, DecimalField):
    """Pounds and pence, e.g. 120000 or 99999.99."""


class NumberField(ParseMessageMixin, DecimalField):
    """A decimal quantity such as hours."""


class WholeNumberField(ParseMessageMixin, IntegerField):
    """A count or a whole number of months or weeks."""


class DayField(ParseMessageMixin, DateField):
    """A calendar date as YYYY-MM-DD."""
