"""Hypothesis properties of the estimate over any plan within the contract's bounds."""
from __future__ import annotations

import copy
import json
import math
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.costing import (
    LEVELS,
    MODES,
    ROLES,
    SCOPES,
    STAGES,
    TRAVEL,
    WORK_TYPES,
    PlanError,
    estimate,
)
from tests.costing.conftest import gbp

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
hours = st.floats(min_value=0.25, max_value=12, allow_nan=False) | st.integers(1, 12)


def activities(max_week: int):
    """One activity line whose start week is inside a bid of ``max_week`` weeks."""
    return st.fixed_dictionaries(
        {"role": st.sampled_from(sorted(ROLES)), "people": st.integers(1, 500),
         "sessions": st.integers(1, 500)},
        optional={
            "hours_per_session": hours,
            "prep_hours_per_session": st.floats(min_value=0, max_value=40, allow_nan=False),
            "stage": st.sampled_from(STAGES),
            "start_week": st.integers(0, max_week),
            "mode": st.sampled_from(MODES), "travel": st.sampled_from(TRAVEL),
            "start_time": st.none() | times,
            "needs": st.fixed_dictionaries({}, optional={
                "bsl": st.booleans(), "personal_assistants": st.integers(0, 500),
                "carers_needing_replacement_care": st.integers(0, 500)}),
        })


@st.composite
def plans(draw, min_value: float = 0.0):
    """Any valid plan document, with few draws so each estimate is quick."""
    months = draw(st.integers(1, 120) | st.floats(min_value=1, max_value=120))
    bid = {"value_gbp": draw(st.floats(min_value=min_value, max_value=1e9, exclude_min=True)
                             | st.integers(max(1, math.ceil(min_value)), 10**9)),
           "duration_months": months, "scope": draw(st.sampled_from(SCOPES)),
           "work_type": draw(st.sampled_from(WORK_TYPES)),
           "client_requires_coproduction": draw(st.booleans())}
    weeks = math.floor(Decimal(repr(months)) * 52 / 12)
    level = draw(st.sampled_from(LEVELS))
    lines = draw(st.lists(activities(weeks), min_size=0 if level == "none" else 1,
                          max_size=4))
    document = {"bid": bid, "level": level, "activities": lines,
                "existing_network": draw(st.booleans()),
                "accessible_formats": {"easy_read_pages": draw(st.integers(0, 1000))},
                "options": {"draws": draw(st.integers(100, 200)),
                            "seed": draw(st.integers(0, 2**32))}}
    if level == "none":
        document["justification"] = draw(st.text(min_size=40, max_size=60).filter(
            lambda text: len(text.strip()) >= 40))
    if draw(st.booleans()):
        document["contributors"] = draw(st.integers(0, 5000))
    return document


def total_of(document) -> Decimal:
    return gbp(estimate(document)["total_gbp"])


@SETTINGS
@given(plans())
def test_any_plan_in_bounds_gives_a_json_result(document):
    result = estimate(document)
    json.dumps(result, allow_nan=False)
    assert result["total_gbp"] >= 0
    assert result["time"]["overhead_weeks"] >= 0


@SETTINGS
@given(plans())
def test_totals_are_the_sums_of_the_lines(document):
    result = estimate(document)
    total = gbp(result["total_gbp"])
    assert sum((gbp(line["amount_gbp"]) for line in result["lines"]), Decimal(0)) == total
    assert sum((gbp(v) for v in result["by_category"].values()), Decimal(0)) == total
    assert sum((gbp(v) for v in result["by_stage"].values()), Decimal(0)) == total
    for line in result["lines"]:
        assert gbp(line["amount_gbp"]) == gbp(line["amount_gbp"]).quantize(Decimal("0.01"))


@SETTINGS
@given(plans(), st.data())
def test_one_more_session_person_or_hour_never_costs_less(document, data):
    if not document["activities"]:
        return
    index = data.draw(st.integers(0, len(document["activities"]) - 1))
    line = document["activities"][index]
    before = total_of(document)
    for field, step, high in (("sessions", 1, 500), ("people", 1, 500),
                              ("hours_per_session", 1, 12)):
        current = line.get(field, float(ROLES[line["role"]].hours_per_session))
        more = copy.deepcopy(document)
        more["activities"][index][field] = min(current + step, high)
        assert total_of(more) >= before, field


@SETTINGS
@given(plans(min_value=1.0), st.floats(min_value=1.01, max_value=1000))
def test_a_bigger_bid_costs_the_same_and_is_a_smaller_share(document, factor):
    before = estimate(document)
    bigger = copy.deepcopy(document)
    bigger["bid"]["value_gbp"] = min(1e9, document["bid"]["value_gbp"] * factor)
    after = estimate(bigger)
    assert after["total_gbp"] == before["total_gbp"]
    assert after["lines"] == before["lines"]
    ratio = document["bid"]["value_gbp"] / bigger["bid"]["value_gbp"]
    assert abs(after["percent_of_bid"] - before["percent_of_bid"] * ratio) <= 0.01
    assert after["percent_of_bid"] <= before["percent_of_bid"]


@SETTINGS
@given(plans())
def test_same_seed_same_uncertainty_and_ordered_percentiles(document):
    first, second = estimate(document), estimate(copy.deepcopy(document))
    assert first["uncertainty"] == second["uncertainty"]
    u = first["uncertainty"]
    assert u["p10"] <= u["p50"] <= u["p80"] <= u["p90"]
    assert u["recommended_contingency_gbp"] >= 0
    assert u["draws"] == document["options"]["draws"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)
PLACES = [(), ("bid",), ("activities", 0), ("activities", 0, "needs"), ("options",),
          ("accessible_formats",)]
KEYS = ["bid", "level", "justification", "activities", "contributors", "existing_network",
        "value_gbp", "duration_months", "scope", "work_type", "role", "people", "sessions",
        "hours_per_session", "prep_hours_per_session", "stage", "start_week", "mode",
        "travel", "start_time", "needs", "bsl", "personal_assistants", "draws", "seed",
        "easy_read_pages", "options", "accessible_formats", "rate_card"]


@SETTINGS
@given(plans(), st.sampled_from(PLACES), st.sampled_from(KEYS), json_values)
def test_any_bad_value_anywhere_is_a_plan_error_or_a_result(document, place, key, value):
    target = document
    for step in place:
        if isinstance(target, dict) and step in target or \
                isinstance(target, list) and isinstance(step, int) and step < len(target):
            target = target[step]
    if isinstance(target, dict):
        target[key] = value
    try:
        result = estimate(document)
    except PlanError as problem:
        assert problem.errors and all(e["field"] is not None for e in problem.errors)
    else:
        json.dumps(result, allow_nan=False)
