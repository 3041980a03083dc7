"""fit: a plan trimmed to a budget ("Fit to a budget" in docs/costing-model.md), as
properties over any plan and budget, and the worked example."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.costing import PlanError, estimate, fit, template_activities
from tests.costing.conftest import activity, gbp, plan, worked_example
from tests.costing.test_properties import plans

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
TRIMMED = ("people", "sessions")


@st.composite
def plans_and_budgets(draw):
    """Any plan (often starting from its level's template, so it meets its floor) and a
    budget from nothing to more than it costs, in pounds or as a percent of the bid."""
    document = draw(plans(min_value=1000.0))
    if document["level"] != "none" and draw(st.booleans()):
        template = template_activities(document["level"], document["bid"]["work_type"],
                                       document["bid"])
        document["activities"] = template + document["activities"][:draw(st.integers(0, 2))]
    total = gbp(estimate(document)["total_gbp"])
    share = draw(st.sampled_from([0, 0.01, 0.3, 0.6, 0.9, 0.999, 1, 1.5]) |
                 st.floats(min_value=0, max_value=1.2))
    if draw(st.booleans()):
        return document, {"budget_gbp": float(round(total * Decimal(repr(share)), 2))}
    percent = min(100.0, float(total * 100 / Decimal(repr(document["bid"]["value_gbp"]))) * share)
    return document, {"budget_percent": percent}


def total_of(document) -> Decimal:
    return gbp(estimate(document)["total_gbp"])


@SETTINGS
@given(plans_and_budgets())
def test_fit_only_lowers_people_and_sessions_and_keeps_the_floor(case):
    document, budget = case
    before = copy.deepcopy(document)
    result = fit(document, **budget)
    assert document == before  # the plan given is not changed
    trimmed = result["plan"]
    assert {k: v for k, v in trimmed.items() if k != "activities"} == \
        {k: v for k, v in document.items() if k != "activities"}
    changes = []
    for index, (line, original) in enumerate(zip(trimmed["activities"], document["activities"],
                                                 strict=True)):
        assert {k: v for k, v in line.items() if k not in TRIMMED} == \
            {k: v for k, v in original.items() if k not in TRIMMED}
        for field in TRIMMED:
            assert 1 <= line[field] <= original[field]
            if line[field] != original[field]:
                changes.append({"activity_index": index, "field": field,
                                "from": original[field], "to": line[field]})
    assert result["changes"] == changes
    assert result["estimate"] == {**estimate(trimmed), "warnings": result["estimate"]["warnings"]}
    if estimate(document)["floor"]["met"]:
        assert result["estimate"]["floor"]["met"]
    assert fit(document, **budget) == result  # same input, same output


@SETTINGS
@given(plans_and_budgets())
def test_bound_says_why_trimming_stopped(case):
    document, budget = case
    result = fit(document, **budget)
    limit, total = gbp(result["budget_gbp"]), gbp(result["estimate"]["total_gbp"])
    codes = [w["code"] for w in result["estimate"]["warnings"]]
    if result["bound"] == "under_budget":
        assert total_of(document) <= limit and result["changes"] == []
    else:
        assert total_of(document) > limit
    assert (result["bound"] == "floor") == ("over_budget_at_floor" in codes)
    if result["bound"] == "floor":
        assert total > limit
    if result["bound"] != "budget":
        return
    assert total <= limit
    # one more session or person on any trimmed line would go over the budget
    for change in result["changes"]:
        more = copy.deepcopy(result["plan"])
        more["activities"][change["activity_index"]][change["field"]] += 1
        assert total_of(more) > limit, change


def test_the_worked_example_fits_five_percent_of_its_bid():
    result = fit(worked_example(), budget_percent=5)
    assert result["budget_gbp"] == 6000.0
    assert result["bound"] == "budget" and result["estimate"]["total_gbp"] <= 6000.0
    assert all(change["to"] < change["from"] for change in result["changes"])


def test_a_budget_below_the_floor_trims_to_the_floor_with_a_warning():
    document = worked_example()
    document["activities"].append({"role": "co_trainer", "people": 4, "sessions": 5})
    result = fit(document, budget_gbp=10)
    assert result["bound"] == "floor" and result["estimate"]["total_gbp"] > 10
    assert result["estimate"]["floor"]["met"]
    (warning,) = [w for w in result["estimate"]["warnings"]
                  if w["code"] == "over_budget_at_floor"]
    assert "£10.00" in warning["message"]
    people = {line["role"]: line["people"] for line in result["plan"]["activities"]}
    assert people == {"advisory_group_member": 4, "co_trainer": 1}  # the group keeps 4


@pytest.mark.parametrize("budget, field", [
    ({}, "budget_gbp"), ({"budget_gbp": 1, "budget_percent": 1}, "budget_gbp"),
    ({"budget_gbp": -1}, "budget_gbp"), ({"budget_gbp": "lots"}, "budget_gbp"),
    ({"budget_gbp": float("nan")}, "budget_gbp"), ({"budget_percent": 100.5}, "budget_percent"),
    ({"budget_percent": True}, "budget_percent"),
])
def test_bad_budgets_name_the_field(budget, field):
    with pytest.raises(PlanError) as raised:
        fit(worked_example(), **budget)
    assert [error["field"] for error in raised.value.errors] == [field]


def test_plan_and_budget_errors_come_together():
    document = worked_example()
    document["activities"][0]["sessions"] = 0
    with pytest.raises(PlanError) as raised:
        fit(document, budget_gbp="lots")
    assert [e["field"] for e in raised.value.errors] == ["activities[0].sessions", "budget_gbp"]


def test_the_floor_is_kept_by_the_cheapest_lines_that_can_keep_it():
    # Two advisory group lines can each carry the group's 4 people and, between them,
    # its 3 sessions: a long national one (listed first, the most people and sessions)
    # and a short remote one. The floor is the cheaper way of keeping them, so a budget
    # that pays for it is met, not reported as below the floor.
    dear = activity(people=4, sessions=3, hours_per_session=12, prep_hours_per_session=40,
                    travel="national", start_week=10)
    cheap = activity(people=4, sessions=2, hours_per_session=1, mode="remote", start_week=12)
    main = activity(role="peer_researcher", stage="development", start_week=30)
    document = plan(dear, cheap, main, level="good")
    cheapest_floor = copy.deepcopy(document)
    cheapest_floor["activities"][0].update(people=1, sessions=1)
    assert estimate(cheapest_floor)["floor"]["met"]
    budget = total_of(cheapest_floor)
    assert budget < total_of(document)
    result = fit(document, budget_gbp=float(budget))
    assert result["bound"] == "budget"
    assert gbp(result["estimate"]["total_gbp"]) <= budget
    assert result["estimate"]["floor"]["met"]
