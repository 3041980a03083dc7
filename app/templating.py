"""Template filters and globals: money, dates and labels are formatted in one place."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from app import access
from app.costing.money import format_gbp


def pence_to_gbp(pence: int | None) -> str:
    """Format integer pence as money, e.g. 1234567 -> £12,345.67."""
    if pence is None:
        return "–"
    return format_gbp(Decimal(pence) / 100)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%-d %B %Y at %H:%M")
    return value.strftime("%-d %B %Y")


def label(value: str | None) -> str:
    """A vocabulary key shown as words: 'in_review' -> 'In review'."""
    if not value:
        return "–"
    return value.replace("_", " ").capitalize()


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(gbp=format_gbp, pence=pence_to_gbp, date=format_date,
                                 label=label)
    app.jinja_env.globals.update(access=access)
