"""The recommended level and every warning of the spec's table."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest

from app.costing import default_rate_card, estimate
from tests.costing.conftest import NONE_REASON, activity, gbp, plan


def bid(value=100000, months=24, scope="regional", requires=False):
    return {"value_gbp": value, "duration_months": months, "scope": scope,
            "work_type": "research", "client_requires_coproduction": requires}


def codes(document, card=None):
    return [w["code"] for w in estimate(document, card)["warnings"]]


@pytest.mark.parametrize("value, requires, level, steps", [
    (24_999.99, False, "limited", ["by_value"]),
    # by value good, but good's floor is over 15% of £25,000: one step down
    (25_000, False, "limited", ["by_value", "stepped_down"]),
    (499_999, False, "good", ["by_value"]), (500_000, False, "full", ["by_value"]),
    # the client's good cannot be stepped down, even though it costs over 15% of £10,000
    (10_000, True, "good", ["by_value", "client_requires", "minimum_exceeds_threshold"]),
    (600_000, True, "full", ["by_value", "client_requires"]),
])
def test_recommended_level(value, requires, level, steps):
    recommendation = estimate(plan(activity(), bid=bid(value, requires=requires)))[
        "recommendation"]
    assert recommendation["level"] == level
    assert recommendation["codes"] == steps
    assert all(reason.endswith(".") for reason in recommendation["reasons"])


def test_reasons_name_the_value_and_the_client_requirement():
    reasons = estimate(plan(activity(), bid=bid(10_000, requires=True)))["recommendation"][
        "reasons"]
    assert "£10,000.00" in reasons[0] and "limited" in reasons[0]
    assert "client requires co-production" in reasons[1] and "good" in reasons[1]


def test_policy_thresholds_come_from_the_rate_card():
    card = default_rate_card()
    card["policy"]["limited_below_gbp"] = 200_000
    result = estimate(plan(activity(), bid=bid(100_000)), card)
    assert result["recommendation"]["level"] == "limited"


def test_a_clean_plan_has_no_warnings():
    assert codes(plan(activity(start_week=10, people=3), bid=bid())) == []


def test_early_start_overnight():
    document = plan(activity(travel="national", start_time="09:59"),
                    activity(travel="national", start_time="10:00", start_week=20), bid=bid())
    result = estimate(document)
    (warning,) = [w for w in result["warnings"] if w["code"] == "early_start_overnight"]
    assert warning["kind"] == "warning" and warning["activity_indices"] == [0]
    assert warning["advice"]


def test_starts_late_when_nothing_is_in_setup_or_scoping():
    document = plan(activity(stage="development", start_week=30, people=3), bid=bid())
    assert codes(document) == ["starts_late"]
    assert "starts_late" not in codes(plan(activity(stage="setup"), bid=bid()))


def test_tight_timeline_over_a_quarter_of_the_bid():
    # 6-month bid = 26 weeks; new recruitment 10 weeks from week 0 is 38% of it
    document = plan(activity(start_week=0), bid=bid(months=6), existing_network=False)
    assert "tight_timeline" in codes(document)
    # 6.5 weeks of 26 is exactly 25%: not over
    document = plan(activity(start_week=3.5), bid=bid(months=6), existing_network=False)
    assert "tight_timeline" not in codes(document)


def test_disproportionate_over_15_percent_of_the_bid():
    line = activity(people=10, sessions=10)
    total = gbp(estimate(plan(line, bid=bid()))["total_gbp"])
    exactly_15 = total * 100 / 15  # the bid value at which the total is exactly 15%
    over = float(exactly_15.quantize(Decimal("0.01"), ROUND_FLOOR) - Decimal("0.01"))
    at_most = float(exactly_15.quantize(Decimal("0.01"), ROUND_CEILING))
    assert "disproportionate" in codes(plan(line, bid=bid(value=over)))
    assert "disproportionate" not in codes(plan(line, bid=bid(value=at_most)))


@pytest.mark.parametrize("level, warned", [("none", True), ("limited", True),
                                           ("good", False), ("full", False)])
def test_below_client_requirement(level, warned):
    document = plan(activity(), bid=bid(requires=True), level=level,
                    justification=NONE_REASON)
    assert ("below_client_requirement" in codes(document)) is warned


def test_benefits_threshold_for_one_session_fee():
    # guideline committee: 8 h × 27.50 = 220.00 > 167.00; advisory member 3 h: 82.50
    document = plan(activity(), activity(role="guideline_committee_member", stage="scoping",
                                         hours_per_session=6, prep_hours_per_session=2),
                    bid=bid())
    (warning,) = [w for w in estimate(document)["warnings"]
                  if w["code"] == "benefits_threshold"]
    assert warning["activity_indices"] == [1]
    assert "£220.00" in warning["message"] and "£167.00" in warning["message"]


def test_easy_read_lead_time():
    document = plan(activity(start_week=5), bid=bid(),
                    accessible_formats={"easy_read_pages": 3})
    assert "easy_read_lead_time" in codes(document)
    document["activities"][0]["start_week"] = 6
    assert "easy_read_lead_time" not in codes(document)


@pytest.mark.parametrize("scope, level, suggested", [
    ("local", "good", True), ("local", "full", True), ("local", "limited", False),
    ("regional", "good", False),
])
def test_local_partner_suggestion(scope, level, suggested):
    result = estimate(plan(activity(), bid=bid(scope=scope), level=level))
    found = [w for w in result["warnings"] if w["code"] == "local_partner"]
    assert bool(found) is suggested
    if found:
        assert found[0]["kind"] == "suggestion"


def test_warnings_carry_code_kind_message_and_advice():
    document = plan(activity(travel="national", start_time="08:00", stage="delivery",
                             start_week=0), bid=bid(value=1000, months=3),
                    accessible_formats={"easy_read_pages": 2})
    warnings = estimate(document)["warnings"]
    assert len(warnings) >= 5
    for warning in warnings:
        assert set(warning) >= {"code", "kind", "message", "advice"}
        assert warning["kind"] in ("warning", "suggestion")
        assert warning["message"].endswith(".") and warning["advice"].endswith(".")
