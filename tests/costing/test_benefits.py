"""Benefits: one person's fees in one week, worked by hand on uk-2026-12 (Carer's Allowance
204.00 a week, ESA permitted work 203.50 a week, Universal Credit work allowance 411.00).

A 12-month bid has 52 weeks: scoping runs from week 5.2 to 13, development from 13 to 31.2.
"""
from __future__ import annotations

import pytest

from app.costing import estimate
from tests.costing.conftest import activity, plan

BOTH = ["carers_allowance_weekly", "esa_permitted_work_weekly"]


def year_plan(*lines, card="uk-2026-12"):
    document = plan(*lines, rate_card=card)
    document["bid"]["duration_months"] = 12
    return document


def benefits(result):
    found = [w for w in result["warnings"] if w["code"] == "benefits_threshold"]
    return found[0] if found else None


def test_one_eight_hour_peer_researcher_session_a_week_is_over_both_limits():
    # development weeks 13 to 31.2: a span of 18 weeks, 18 sessions, one a week;
    # 8 paid hours × 27.50 = 220.00 a week
    line = activity(role="peer_researcher", stage="development", start_week=13, sessions=18,
                    hours_per_session=8, prep_hours_per_session=0)
    warning = benefits(estimate(year_plan(line)))
    assert warning["details"] == [{"activity_index": 0, "weekly_fee_gbp": 220.00,
                                   "limits": BOTH}]
    message = warning["message"]
    assert "line 1 (Peer researcher)" in message and "£220.00 in a week" in message
    assert "Carer's Allowance earnings limit (£204.00 a week)" in message
    assert "ESA permitted work limit (£203.50 a week)" in message
    for advice in ("decline payment", "paid to a charity", "spread across more weeks", "PW1",
                   "55p for each pound", "£411.00 a month", "vouchers are not a way round",
                   "Expenses (travel, replacement care, assistants) are not earnings"):
        assert advice in message


def test_a_four_hour_advisory_session_a_week_is_under():
    # scoping weeks 5 to 13: 8 weeks, 8 sessions; 3 h + 1 h preparation × 27.50 = 110.00
    line = activity(start_week=5, sessions=8, hours_per_session=3, prep_hours_per_session=1)
    assert benefits(estimate(year_plan(line))) is None


def test_three_sessions_in_a_two_week_span_put_two_in_one_week_and_go_over():
    # scoping ends at week 13: from week 11 a span of 2 weeks; ceil(3 / 2) = 2 sessions in a
    # week × 110.00 = 220.00
    line = activity(start_week=11, sessions=3, hours_per_session=3, prep_hours_per_session=1)
    warning = benefits(estimate(year_plan(line)))
    assert warning["details"] == [{"activity_index": 0, "weekly_fee_gbp": 220.00,
                                   "limits": BOTH}]
    assert warning["activity_indices"] == [0]


def test_a_line_starting_after_its_stage_ends_spreads_over_one_week():
    # scoping ends at week 13; from week 20 the span is max(1, floor(13 - 20)) = 1 week, so
    # both sessions fall in it: 2 × 110.00 = 220.00
    line = activity(start_week=20, sessions=2, hours_per_session=3, prep_hours_per_session=1)
    warning = benefits(estimate(year_plan(line)))
    assert warning["details"][0]["weekly_fee_gbp"] == 220.00
    one = activity(start_week=20, sessions=1, hours_per_session=3, prep_hours_per_session=1)
    assert benefits(estimate(year_plan(one))) is None


def test_only_the_limits_exceeded_are_listed():
    # 7.4 paid hours × 27.50 = 203.50: not over ESA (203.50) nor Carer's Allowance;
    # 7.41 h = 203.775 -> 203.78: over ESA only
    at = activity(role="peer_researcher", stage="development", start_week=13, sessions=18,
                  hours_per_session=7.4, prep_hours_per_session=0)
    assert benefits(estimate(year_plan(at))) is None
    over = dict(at, hours_per_session=7.41)
    warning = benefits(estimate(year_plan(at, over)))
    assert warning["details"] == [{"activity_index": 1, "weekly_fee_gbp": 203.78,
                                   "limits": ["esa_permitted_work_weekly"]}]


def test_later_years_use_the_inflated_unit_cost():
    # year 2 (week 52 on): 27.50 × 1.03 = 28.325 -> 28.33 a paid hour; 7.2 h a week = 203.976
    # -> 203.98: over ESA (203.50), under Carer's Allowance (204.00). In year 1 it is 198.00.
    line = activity(role="peer_researcher", stage="development", start_week=60, sessions=1,
                    hours_per_session=7.2, prep_hours_per_session=0)
    document = plan(line, rate_card="uk-2026-12")  # 24 months: development to week 62.4
    warning = benefits(estimate(document))
    assert warning["details"] == [{"activity_index": 0, "weekly_fee_gbp": 203.98,
                                   "limits": ["esa_permitted_work_weekly"]}]
    assert benefits(estimate(plan(dict(line, start_week=30), rate_card="uk-2026-12"))) is None


@pytest.mark.parametrize("fee_hours, over", [(6, False), (6.1, True)])
def test_uk_2026_keeps_its_one_weekly_figure_for_both_limits(fee_hours, over):
    # uk-2026: 167.00 for both; 6 h × 27.50 = 165.00 under, 6.1 h = 167.75 over
    line = activity(role="peer_researcher", stage="development", start_week=13, sessions=18,
                    hours_per_session=fee_hours, prep_hours_per_session=0)
    warning = benefits(estimate(year_plan(line, card="uk-2026")))
    assert (warning is not None) == over
    if over:
        assert warning["details"][0]["limits"] == BOTH
        assert "(£167.00 a week)" in warning["message"]
