"""app.formatting: times stored in UTC are shown in Europe/London on both sides of a
clock change; money, shares and labels as every page and report shows them."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import render_template_string

from app import formatting
from app.costing import estimate

SUMMER_LATE = datetime(2026, 7, 14, 23, 30, tzinfo=UTC)   # 00:30 BST on 15 July
WINTER_LATE = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)   # 23:30 GMT, same day


def test_a_summer_time_just_before_midnight_utc_shows_as_the_next_day_in_london():
    assert formatting.date_text(SUMMER_LATE) == "15 July 2026 at 00:30"
    assert formatting.london_date(SUMMER_LATE) == date(2026, 7, 15)
    assert formatting.moment_text(SUMMER_LATE) == "15 July 2026 at 00:30 BST"


def test_a_winter_time_is_unchanged():
    assert formatting.date_text(WINTER_LATE) == "14 January 2026 at 23:30"
    assert formatting.moment_text(WINTER_LATE) == "14 January 2026 at 23:30 GMT"


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 March 2026 at 00:59 GMT"),  # last GMT minute
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 March 2026 at 02:00 BST"),   # clocks go forward
    (datetime(2026, 10, 25, 0, 59, tzinfo=UTC), "25 October 2026 at 01:59 BST"),
    (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), "25 October 2026 at 01:00 GMT"),  # and back
])
def test_either_side_of_each_clock_change(moment, shown):
    assert formatting.moment_text(moment) == shown


def test_a_naive_moment_is_read_as_utc():
    """SQLite hands stored moments back without a zone: they are UTC."""
    assert formatting.date_text(SUMMER_LATE.replace(tzinfo=None)) == "15 July 2026 at 00:30"


def test_a_date_is_shown_as_it_is():
    assert formatting.date_text(date(2027, 4, 1)) == "1 April 2027"
    assert formatting.long_date(None) == "Not dated"
    assert formatting.date_text(None) == "–"


def test_the_date_filter_shows_london_time(app):
    assert render_template_string("{{ moment|date }}", moment=SUMMER_LATE) == \
        "15 July 2026 at 00:30"


def test_money_from_pence_and_back():
    assert formatting.pence(1234567) == "£12,345.67"
    assert formatting.pence(None) == "–"
    assert formatting.plain_pounds(12_000_000) == "120000.00"
    assert formatting.pounds_to_pence(Decimal("12345.67")) == 1234567
    assert formatting.pence_to_pounds(1234567) == Decimal("12345.67")


def test_share_of_bid_agrees_with_the_engine():
    plan = {"bid": {"value_gbp": 120_000, "start_date": "2027-04-01", "duration_months": 12,
                    "scope": "regional", "work_type": "research"},
            "level": "good", "activities": [{"role": "advisory_group_member", "people": 6,
                                             "sessions": 4}]}
    result = estimate(plan)
    share = formatting.share_of_bid(result["total_gbp"], 120_000)
    assert formatting.percent(share, places=2) == f"{result['percent_of_bid']:.2f}%"
    assert formatting.share_of_bid(None, 100) is None
    assert formatting.share_of_bid(5, 0) is None


def test_percent_rounds_half_up():
    assert formatting.percent(Decimal("2.125"), places=2) == "2.13%"
    assert formatting.percent(None) == "–"


def test_labels():
    assert formatting.label("in_review") == "In review"
    assert formatting.label("good", {"good": "Good co-production"}) == "Good co-production"
    assert formatting.label(None, missing="") == ""


def test_short_dates_and_month_names_need_no_locale():
    assert formatting.short_date(date(2027, 9, 1)) == "1 Sep 2027"
    assert formatting.short_date(SUMMER_LATE) == "15 Jul 2026"
    assert formatting.month_name(date(2027, 4, 1)) == "April"
