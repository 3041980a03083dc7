"""Level templates for each kind of work, and the four-level comparison."""
from __future__ import annotations

import pytest

from app.costing import (
    LEVEL_DESCRIPTIONS,
    LEVELS,
    WORK_TYPES,
    PlanError,
    compare_levels,
    estimate,
    template_activities,
)
from tests.costing.conftest import worked_example


def bid(months=12, scope="regional", work_type="research", value=120_000, requires=False):
    return {"value_gbp": value, "duration_months": months, "scope": scope,
            "work_type": work_type, "client_requires_coproduction": requires}


def roles(level, work_type, **bid_fields):
    return {line["role"] for line in template_activities(level, work_type,
                                                         bid(work_type=work_type, **bid_fields))}


@pytest.mark.parametrize("work_type", WORK_TYPES)
def test_none_is_empty(work_type):
    assert template_activities("none", work_type) == []


@pytest.mark.parametrize("work_type", WORK_TYPES)
@pytest.mark.parametrize("level", ["limited", "good", "full"])
@pytest.mark.parametrize("months", [1, 12, 120])
def test_every_template_is_a_valid_plan(work_type, level, months):
    the_bid = bid(months=months, work_type=work_type)
    lines = template_activities(level, work_type, the_bid)
    result = estimate({"bid": the_bid, "level": level, "activities": lines,
                       "options": {"draws": 100}})
    assert result["total_gbp"] > 0
    assert all(line["travel"] == "regional" for line in lines)
    assert "starts_late" not in [w["code"] for w in result["warnings"]]


def test_good_training_has_an_advisory_group_and_a_co_trainer():
    assert {"advisory_group_member", "co_trainer"} <= roles("good", "training")


def test_full_research_has_a_co_lead_and_peer_researchers():
    assert {"co_lead", "peer_researcher"} <= roles("full", "research")


@pytest.mark.parametrize("work_type", WORK_TYPES)
def test_limited_is_small_and_levels_grow(work_type):
    limited = template_activities("limited", work_type)
    assert len(limited) <= 2
    assert sum(line["people"] for line in limited) <= 10
    assert all(line["sessions"] <= 2 for line in limited)
    totals = [estimate({"bid": bid(work_type=work_type), "level": level,
                        "activities": template_activities(level, work_type),
                        "options": {"draws": 100}})["total_gbp"]
              for level in ("limited", "good", "full")]
    assert totals == sorted(totals) and len(set(totals)) == 3


def test_recurring_sessions_scale_with_duration():
    short = template_activities("good", "training", bid(months=12, work_type="training"))
    long = template_activities("good", "training", bid(months=36, work_type="training"))
    assert [line["sessions"] for line in long] == [3 * line["sessions"] for line in short]


def test_lines_start_at_their_stage_inside_the_bid():
    lines = template_activities("full", "research", bid(months=24))
    starts = {line["role"]: line["start_week"] for line in lines}
    assert starts["co_lead"] == 0  # set-up
    assert starts["advisory_group_member"] == 10  # scoping starts at 10% of 104 weeks
    assert starts["conference_speaker"] == 93  # dissemination starts at 90%


def test_unknown_level_or_work_type_is_an_error():
    with pytest.raises(PlanError) as caught:
        template_activities("lots", "knitting")
    assert [e["field"] for e in caught.value.errors] == ["level", "work_type"]


def test_compare_levels_shape_and_none():
    comparison = compare_levels(bid(value=120_000, requires=True), draws=200)
    assert [row["level"] for row in comparison["levels"]] == list(LEVELS)
    none = comparison["levels"][0]
    assert (none["total_gbp"], none["percent_of_bid"], none["overhead_weeks"],
            none["p80_gbp"]) == (0.0, 0.0, 0, 0.0)
    assert none["description"] == LEVEL_DESCRIPTIONS["none"]
    assert comparison["recommendation"]["level"] == "good"
    assert [row["recommended"] for row in comparison["levels"]] == [False, False, True, False]


def test_compare_levels_matches_estimating_each_template():
    the_bid = bid(work_type="film", value=300_000)
    comparison = compare_levels(the_bid, draws=300, seed=4)
    for row in comparison["levels"][1:]:
        result = estimate({"bid": the_bid, "level": row["level"],
                           "activities": template_activities(row["level"], "film", the_bid),
                           "options": {"draws": 300, "seed": 4}})
        assert row["total_gbp"] == result["total_gbp"]
        assert row["percent_of_bid"] == result["percent_of_bid"]
        assert row["overhead_weeks"] == result["time"]["overhead_weeks"]
        assert row["p80_gbp"] == result["uncertainty"]["p80"]
        assert row["p80_gbp"] >= row["total_gbp"] * 0.9


def test_compare_levels_uses_an_existing_plans_network_and_contributors():
    existing = worked_example()
    existing["options"] = {"draws": 200}
    with_plan = compare_levels(existing["bid"], existing)
    without = compare_levels(existing["bid"], draws=200)
    assert all(row["contributors"] == 6 for row in with_plan["levels"][1:])
    assert with_plan["levels"][2]["lead_time_weeks"] == 6  # network 4 weeks, easy read 6
    assert without["levels"][2]["lead_time_weeks"] == 10  # new contributors


def test_compare_levels_rejects_a_bad_bid():
    with pytest.raises(PlanError) as caught:
        compare_levels({"value_gbp": -1, "duration_months": 12, "scope": "local",
                        "work_type": "events"})
    assert [e["field"] for e in caught.value.errors] == ["bid.value_gbp"]


def test_templates_check_the_bid():
    with pytest.raises(PlanError) as caught:
        template_activities("good", "training", bid(scope="galactic", months=0))
    assert [e["field"] for e in caught.value.errors] == ["bid.duration_months", "bid.scope"]


def test_compare_levels_checks_the_options():
    with pytest.raises(PlanError) as caught:
        compare_levels(bid(), {"options": {"draws": 5}})
    assert [e["field"] for e in caught.value.errors] == ["options.draws"]
    with pytest.raises(PlanError) as caught:
        compare_levels(bid(), draws=10**7)
    assert [e["field"] for e in caught.value.errors] == ["options.draws"]
