"""Lead time, schedule delay, review weeks, hours, and the timeline rows."""
from __future__ import annotations

import itertools

import pytest

from app.costing import STAGES, estimate
from tests.costing.conftest import activity, plan


def time_of(*lines, **fields):
    return estimate(plan(*lines, **fields))["time"]


def test_new_recruitment_takes_ten_weeks():
    time = time_of(activity(start_week=3), existing_network=False)
    assert (time["lead_time_weeks"], time["schedule_delay_weeks"]) == (10, 7)


def test_existing_network_takes_four_weeks():
    time = time_of(activity(start_week=3))
    assert (time["lead_time_weeks"], time["schedule_delay_weeks"]) == (4, 1)


def test_easy_read_counts_only_with_pages():
    time = time_of(activity(start_week=0), accessible_formats={"easy_read_pages": 1})
    assert (time["lead_time_weeks"], time["schedule_delay_weeks"]) == (6, 6)


def test_no_delay_when_the_first_line_starts_after_the_lead_time():
    time = time_of(activity(start_week=30), activity(start_week=12))
    assert time["schedule_delay_weeks"] == 0
    assert time["overhead_weeks"] == 0


def test_review_weeks_are_two_per_reviewer_session():
    time = time_of(activity(start_week=20),
                   activity(role="editor_reviewer", sessions=3, start_week=30, stage=None))
    assert (time["review_weeks"], time["overhead_weeks"]) == (6, 6)


def test_overhead_is_delay_plus_review():
    time = time_of(activity(role="editor_reviewer", sessions=2, start_week=1),
                   existing_network=False)
    assert time == {**time, "schedule_delay_weeks": 9, "review_weeks": 4, "overhead_weeks": 13}


def test_plan_without_lines_has_no_lead_time():
    result = estimate(plan(level="none", activities=[],
                           justification="Desk review only; no contact with people who use "
                                         "services.", accessible_formats={"easy_read_pages": 4}))
    assert result["time"]["lead_time_weeks"] == 0
    assert result["time"]["schedule_delay_weeks"] == 0
    assert result["total_gbp"] == 240.00  # the easy read pages alone


def test_staff_and_contributor_hours():
    time = time_of(activity(people=2, sessions=3, hours_per_session=0.5,
                            prep_hours_per_session=1))
    # staff: 6 × 0.75 + 3 × 4 = 16.5, plus recruitment 2 × 1 h
    assert time["staff_hours"] == 18.5
    assert time["contributor_hours"] == 12  # 6 attendances × (1 h minimum + 1 h prep)


def rows(result, kind):
    return [row for row in result["timeline"] if row["kind"] == kind]


def test_timeline_stage_spans_cover_the_bid_in_order():
    result = estimate(plan(activity()))  # a 24-month bid: 104 weeks
    spans = rows(result, "stage")
    assert [row["stage"] for row in spans] == list(STAGES)
    assert spans[0]["start_week"] == 0 and spans[-1]["end_week"] == 104
    for before, after in itertools.pairwise(spans):
        assert before["end_week"] == after["start_week"]
    assert [row["end_week"] for row in spans] == [10.4, 26, 62.4, 93.6, 104]


def test_timeline_lead_time_rows(example):
    lead = rows(estimate(example), "lead_time")
    assert [(row["label"], row["start_week"], row["end_week"]) for row in lead] == [
        ("Recruitment (existing network)", 0, 4), ("Easy read production", 0, 6)]


def test_timeline_activity_runs_to_its_stage_end(example):
    (row,) = rows(estimate(example), "activity")
    assert row == {**row, "label": "Advisory group member", "stage": "scoping",
                   "start_week": 2, "end_week": 13, "role": "advisory_group_member",
                   "activity_index": 0}


@pytest.mark.parametrize("start, end", [(104, 104), (103.5, 104), (0, 26)])
def test_timeline_activities_are_clamped_inside_the_bid(start, end):
    (row,) = rows(estimate(plan(activity(start_week=start))), "activity")
    assert (row["start_week"], row["end_week"]) == (start, end)


def test_timeline_lead_time_is_clamped_to_a_short_bid():
    bid = {"value_gbp": 50000, "duration_months": 1, "scope": "local", "work_type": "events"}
    result = estimate(plan(activity(start_week=0), bid=bid, existing_network=False))
    recruitment = rows(result, "lead_time")[0]
    assert recruitment["end_week"] == 4.33 and recruitment["weeks"] == 10
    assert result["time"]["duration_weeks"] == 4.33
