"""Financial years (April to March) and the bid date that places a bid in one.

A bid belongs to the financial year of its submission deadline; a bid with
no deadline belongs to the year of the day it was created (UK time).
Boundaries are computed here, in Python, so the SQL that filters and groups
by year, quarter or month is plain comparisons that read the same on SQLite
and PostgreSQL and use the index on ``bids.deadline``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, and_, case, or_

from app.formatting import LONDON, london_date, month_name
from app.models import Bid

FIRST_MONTH = 4  # April


def financial_year_of(day: date) -> int:
    """The year an April-to-March financial year starts in: 31 March 2027 -> 2026."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def current_financial_year(now: datetime | None = None) -> int:
    """The financial year of today in the UK."""
    return financial_year_of((now or datetime.now(UTC)).astimezone(LONDON).date())


def bid_financial_year(deadline: date | None, created_at: datetime | None) -> int | None:
    """The financial year a bid belongs to: its deadline's, else its creation day's."""
    if deadline is not None:
        return financial_year_of(deadline)
    return financial_year_of(london_date(created_at)) if created_at is not None else None


def uk_midnight(day: date) -> datetime:
    """The UTC instant a UK calendar day starts, for comparing with ``created_at``."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def month_start(year: int, month: int) -> date:
    """The first day of ``month`` months after January ``year`` (month may exceed 12)."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class FinancialYear:
    """April ``start_year`` to March ``start_year + 1``."""

    start_year: int

    @property
    def start(self) -> date:
        return date(self.start_year, FIRST_MONTH, 1)

    @property
    def end(self) -> date:
        """The first day after the year (exclusive bound)."""
        return date(self.start_year + 1, FIRST_MONTH, 1)

    @property
    def label(self) -> str:
        """'2026 to 2027', as GOV.UK style writes year ranges."""
        return f"{self.start_year} to {self.start_year + 1}"

    @property
    def long_label(self) -> str:
        return f"April {self.start_year} to March {self.start_year + 1}"

    def month_starts(self) -> list[date]:
        """The 13 boundaries of the year's months: 1 April ... 1 April next year."""
        return [month_start(self.start_year, FIRST_MONTH + offset) for offset in range(13)]

    def month_labels(self) -> list[str]:
        return [f"{month_name(day)} {day.year}" for day in self.month_starts()[:12]]

    @staticmethod
    def quarter_of_month(month_index: int) -> int:
        """Quarter 0..3 of month 0..11 of the year."""
        return month_index // 3

    def quarter_labels(self) -> list[str]:
        starts = self.month_starts()
        return [f"Q{q + 1}: {month_name(starts[3 * q])} to {month_name(starts[3 * q + 2])} "
                f"{starts[3 * q + 2].year}" for q in range(4)]


def dated_before(day: date) -> ColumnElement[bool]:
    """SQL: the bid's date (deadline, else the UK day it was created) is before ``day``."""
    return or_(Bid.deadline < day,
               and_(Bid.deadline.is_(None), Bid.created_at < uk_midnight(day)))


def dated_in(start: date, end: date) -> ColumnElement[bool]:
    """SQL: the bid's date falls in [start, end)."""
    return or_(and_(Bid.deadline >= start, Bid.deadline < end),
               and_(Bid.deadline.is_(None), Bid.created_at >= uk_midnight(start),
                    Bid.created_at < uk_midnight(end)))


def in_financial_year(year: FinancialYear) -> ColumnElement[bool]:
    return dated_in(year.start, year.end)


def month_of_year(year: FinancialYear) -> ColumnElement[int]:
    """SQL: month 0 (April) to 11 (March) of a bid already filtered to ``year``."""
    starts = year.month_starts()
    return case(*((dated_before(starts[index + 1]), index) for index in range(11)), else_=11)
