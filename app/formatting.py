"""Presentation, in one place: pence and pounds, money, percentages, numbers, dates and
times, vocabulary labels, and the share of a bid's value. (A version status's label
is in app.versions.statuses, with the statuses.)

Pages (the Jinja filters in app.templating), reports, charts, the portfolio and the
API all format through this module. It imports no Flask and no database, so reports
and charts use it too. The engine keeps its own arithmetic in app.costing.money;
money text is its ``format_gbp``, so an amount reads the same in the engine's
messages and everywhere else.

Times are stored in UTC and shown in Europe/London (GMT or BST): a moment saved at
23:30 UTC on a summer day is shown as 00:30 the next day. A naive datetime (SQLite
returns them) is read as UTC.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from app.costing.money import format_gbp, format_number, round_pence, share_of, to_decimal

__all__ = ["LONDON", "date_text", "format_gbp", "format_number", "iso_date_text", "label",
           "london", "london_date", "long_date", "moment_text", "month_name", "pence", "pence_to_pounds",
           "percent", "plain_money", "plain_number", "plain_pounds", "pounds_to_pence",
           "share_of_bid", "short_date"]

#: The time zone every time and date-from-a-time is shown in (tzdata is a requirement).
LONDON = ZoneInfo("Europe/London")
MISSING = "–"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


# --- money --------------------------------------------------------------------------

def pence_to_pounds(pence: int) -> Decimal:
    """Integer pence as exact Decimal pounds: 1234567 -> Decimal('12345.67')."""
    return Decimal(pence) / 100


def pounds_to_pence(amount: Decimal) -> int:
    """Decimal pounds as integer pence (to the nearest penny, as stored)."""
    return int((amount * 100).to_integral_value())


def pence(amount_pence: int | None, missing: str = MISSING) -> str:
    """Integer pence as money text: 1234567 -> '£12,345.67'; None -> ``missing``."""
    return missing if amount_pence is None else format_gbp(pence_to_pounds(amount_pence))


def plain_money(amount: object) -> str:
    """'2640.00': pounds to the penny, no symbol or separators (for CSV)."""
    return f"{round_pence(to_decimal(amount)):.2f}"


def plain_number(value: object) -> str:
    """'96', '47.5': a quantity without trailing zeros or separators."""
    text = f"{to_decimal(value).normalize():f}" if value is not None else ""
    return text


def plain_pounds(amount_pence: int | None) -> str:
    """Pence as plain pounds for CSV: 12000000 -> '120000.00' (no £, no commas)."""
    return "" if amount_pence is None else plain_money(pence_to_pounds(amount_pence))


# --- shares and percentages ---------------------------------------------------------

def share_of_bid(cost: int | float | Decimal | None,
                 bid_value: int | float | Decimal | None) -> Decimal | None:
    """The co-production cost as a percentage of the bid's value (both in the same unit,
    pence or pounds), exact; None without a cost or a bid value. The portfolio's SQL
    sorts and averages by the same ratio (app.portfolio.queries.share_percent)."""
    if cost is None or not bid_value:
        return None
    return share_of(to_decimal(cost), to_decimal(bid_value))


def percent(value: float | Decimal | None, places: int = 1, missing: str = MISSING) -> str:
    """12.345 -> '12.3%' (half-up to ``places``); None -> ``missing``."""
    if value is None:
        return missing
    exponent = Decimal(1).scaleb(-places)
    return f"{to_decimal(value).quantize(exponent, rounding=ROUND_HALF_UP):f}%"


# --- dates and times ----------------------------------------------------------------

def london(moment: datetime) -> datetime:
    """A stored moment in Europe/London (naive moments are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def london_date(moment: datetime | date) -> date:
    """The London calendar day of a moment (a date is returned as it is)."""
    return london(moment).date() if isinstance(moment, datetime) else moment


def long_date(day: date | datetime | None, missing: str = "Not dated") -> str:
    """'1 April 2027' (no leading zero, no locale dependence); a moment's London day."""
    if day is None:
        return missing
    day = london_date(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date | datetime | None) -> str:
    """'1 Apr 2027', for tables; a moment's London day."""
    if day is None:
        return MISSING
    day = london_date(day)
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_name(day: date) -> str:
    """'April' (no locale dependence)."""
    return MONTHS[day.month - 1]


def date_text(value: date | datetime | None) -> str:
    """For pages: '1 April 2027', or with a moment '1 April 2027 at 14:05' (London)."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        local = london(value)
        return f"{long_date(local)} at {local:%H:%M}"
    return long_date(value)


def iso_date_text(value: str | date | None) -> str:
    """A date stored as text in a document ('2026-12-01', as rate cards and estimates
    keep it) written out: '1 December 2026'; text that is not a date is shown as it is."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, date):
        return long_date(value)
    try:
        return long_date(date.fromisoformat(value))
    except ValueError:
        return value


def moment_text(value: date | datetime | None, missing: str = "Not recorded") -> str:
    """For documents: '1 April 2027 at 15:05 BST' (London, with the zone's name)."""
    if value is None:
        return missing
    if not isinstance(value, datetime):
        return long_date(value)
    local = london(value)
    return f"{long_date(local)} at {local:%H:%M} {local.tzname()}"


# --- labels -------------------------------------------------------------------------

def label(key: str | None, labels: dict[str, str] | None = None,
          missing: str = MISSING) -> str:
    """A vocabulary key shown as words, from ``labels`` when it has one:
    'in_review' -> 'In review'."""
    if not key:
        return missing
    return (labels or {}).get(key) or key.replace("_", " ").capitalize()
