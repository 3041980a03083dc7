"""The spec's worked example, to the penny, and the shape of the estimate document."""
from __future__ import annotations

from app.costing import CATEGORIES, STAGES, estimate
from tests.costing.conftest import amount, gbp, lines_of

LINE_KEYS = {"category", "stage", "role", "description", "quantity", "unit", "unit_cost_gbp",
             "amount_gbp", "year", "justification", "activity_index"}


def test_total_and_share_of_bid(example):
    result = estimate(example)
    assert result["total_gbp"] == 7419.00
    assert result["percent_of_bid"] == 6.18


def test_every_line_of_the_worked_example(example):
    result = estimate(example)
    assert amount(result, "fees") == gbp(2640.00)
    assert amount(result, "travel_subsistence") == gbp(528.00)
    assert amount(result, "access_support") == gbp(300.00)
    assert amount(result, "venue_catering") == gbp(816.00)
    assert amount(result, "staff_coordination") == gbp(1632.00)
    assert amount(result, "staff_coordination", None) == gbp(288.00)
    assert amount(result, "training", None) == gbp(495.00)
    assert amount(result, "accessible_formats", None) == gbp(720.00)
    assert amount(result, "accommodation") == 0
    assert len(result["lines"]) == 8


def test_totals_by_stage_and_category(example):
    result = estimate(example)
    assert result["by_stage"] == {"setup": 1503.00, "scoping": 5916.00, "development": 0.0,
                                  "delivery": 0.0, "dissemination": 0.0}
    assert list(result["by_category"]) == list(CATEGORIES)
    assert list(result["by_stage"]) == list(STAGES)
    assert result["by_category"]["staff_coordination"] == 1920.00
    assert result["by_category"]["accommodation"] == 0.0


def test_time_overhead(example):
    time = estimate(example)["time"]
    assert time["lead_time_weeks"] == 6
    assert time["schedule_delay_weeks"] == 4
    assert time["review_weeks"] == 0
    assert time["overhead_weeks"] == 4
    assert time["staff_hours"] == 40  # 34 h for the group + 6 h recruitment
    assert time["contributor_hours"] == 114  # 96 paid hours + 18 h induction


def test_lines_carry_the_contract_keys_and_a_justification(example):
    result = estimate(example)
    for line in result["lines"]:
        assert set(line) >= LINE_KEYS
        assert line["justification"].endswith(".")
    fees = lines_of(result, "fees")[0]
    assert fees["justification"] == ("6 people × 4 sessions × 4 paid hours (3 h session + 1 h "
                                     "preparation) at £27.50 an hour.")
    assert (fees["quantity"], fees["unit"], fees["unit_cost_gbp"]) == (96, "paid hour", 27.50)
    assert (fees["role"], fees["stage"], fees["year"]) == ("advisory_group_member", "scoping", 1)
    wide = lines_of(result, "accessible_formats", None)[0]
    assert (wide["role"], wide["stage"], wide["year"]) == (None, "setup", 1)


def test_contract_sections_are_present(example):
    result = estimate(example)
    assert set(result["uncertainty"]) >= {"draws", "seed", "mean", "p10", "p50", "p80", "p90",
                                          "recommended_contingency_gbp"}
    assert result["rate_card"] == {"id": "uk-2026", "label": "UK default rates 2026",
                                   "effective_from": "2026-04-01"}
    assert result["recommendation"]["level"] == "good"
    # a good plan without the main role (co-trainer) is below its floor
    assert [w["code"] for w in result["warnings"]] == ["below_floor", "easy_read_lead_time",
                                                     "local_partner"]
    assert result["duration_weeks"] == 52
