"""Sized starting plans and the recommendation, over every kind of work, bid value
(£5,000 to £50,000,000), duration and scope: the rules of "Levels: floors, targets and
sized starting plans" and "Recommendation" in docs/costing-model.md."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.costing import LEVELS, SCOPES, WORK_TYPES, estimate, template_activities
from app.costing import format_gbp as costing_gbp
from app.costing.inputs import Bid
from app.costing.ratecard import default_card
from app.costing.sizing import PlanBasics, sized_plan
from tests.costing.conftest import gbp

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
PENCE = st.integers(5_000_00, 50_000_000_00)
bids = st.builds(
    lambda pence, months, scope, work_type, requires: Bid(
        value_gbp=Decimal(pence) / 100, duration_months=Decimal(months), scope=scope,
        work_type=work_type, client_requires_coproduction=requires),
    PENCE, st.integers(1, 120) | st.decimals("1", "120", places=1), st.sampled_from(SCOPES),
    st.sampled_from(WORK_TYPES), st.booleans())
basics = st.builds(PlanBasics, st.booleans(), st.none() | st.integers(0, 40),
                   st.sampled_from([0, 0, 12]))


def document(bid: Bid, level: str, activities: list, plan_basics: PlanBasics) -> dict:
    # floats of these decimals read back exactly (the engine takes a float's shortest repr)
    return {"bid": {"value_gbp": float(bid.value_gbp),
                    "duration_months": float(bid.duration_months),
                    "scope": bid.scope, "work_type": bid.work_type,
                    "client_requires_coproduction": bid.client_requires_coproduction},
            "level": level, "activities": activities, **plan_basics.to_document(),
            "options": {"draws": 100}}


def bid_document(bid: Bid) -> dict:
    return document(bid, "good", [], PlanBasics())["bid"]


@SETTINGS
@given(bids, basics)
def test_sized_plans_meet_the_floor_and_stay_within_template_and_target(bid, plan_basics):
    card, totals = default_card(), []
    for level in LEVELS[1:]:
        sized = sized_plan(level, bid, card, plan_basics)
        template = template_activities(level, bid.work_type, bid_document(bid))
        result = estimate(document(bid, level, sized.activities, plan_basics))
        assert result["floor"] == {"met": True, "missing": []}
        assert gbp(result["total_gbp"]) == sized.total  # the estimate is the one reported
        for line, cap in zip(sized.activities, template, strict=True):
            assert {k: v for k, v in line.items() if k not in ("people", "sessions")} == \
                {k: v for k, v in cap.items() if k not in ("people", "sessions")}
            assert 1 <= line["people"] <= cap["people"]
            assert 1 <= line["sessions"] <= cap["sessions"]
        codes = [w["code"] for w in result["warnings"]]
        if sized.floor_above_target:
            assert sized.total == sized.floor_total > sized.target_gbp
            assert "floor_above_target" in codes
        else:
            assert sized.total <= sized.target_gbp
            assert "floor_above_target" not in codes
        totals.append(sized.total)
    assert totals == sorted(totals)  # none (0) <= limited <= good <= full


@SETTINGS
@given(bids, PENCE, basics)
def test_a_larger_bid_never_gives_a_smaller_sized_plan(bid, other_pence, plan_basics):
    values = sorted([bid.value_gbp, Decimal(other_pence) / 100])
    smaller, larger = (Bid(v, bid.duration_months, bid.scope, bid.work_type,
                           bid.client_requires_coproduction) for v in values)
    card = default_card()
    for level in LEVELS[1:]:
        assert sized_plan(level, smaller, card, plan_basics).total <= \
            sized_plan(level, larger, card, plan_basics).total


@SETTINGS
@given(bids, basics)
def test_the_recommendation_keeps_its_own_limit(bid, plan_basics):
    card = default_card()
    plan = document(bid, "limited", [], plan_basics)
    plan["activities"] = sized_plan("limited", bid, card, plan_basics).activities
    recommendation = estimate(plan)["recommendation"]
    level, codes = recommendation["level"], recommendation["codes"]
    assert level != "none" and codes[0] == "by_value"
    sized = sized_plan(level, bid, card, plan_basics)
    over = sized.total * 100 > card.policy.disproportionate_percent * bid.value_gbp
    assert over == ("minimum_exceeds_threshold" in codes)
    if over:
        assert recommendation["actions"]
    lowest = "good" if bid.client_requires_coproduction else "limited"
    assert LEVELS.index(level) >= LEVELS.index(lowest)
    assert ("client_requires" in codes) == bid.client_requires_coproduction
    # it steps down only from levels whose sized plan is over the limit, never past `lowest`
    by_value = ("limited" if bid.value_gbp < 25_000 else "good" if bid.value_gbp < 500_000
                else "full")
    start = max(by_value, lowest, key=LEVELS.index)
    assert ("stepped_down" in codes) == (level != start)
    for above in LEVELS[LEVELS.index(level) + 1:LEVELS.index(start) + 1]:
        above_plan = sized_plan(above, bid, card, plan_basics)
        assert above_plan.total * 100 > card.policy.disproportionate_percent * bid.value_gbp
    assert costing_gbp(sized.total) in " ".join(recommendation["reasons"])
    # every reason carries a figure: the bid value, a cost or a share
    assert all(("£" in reason or "%" in reason) for reason in recommendation["reasons"][:-1])
