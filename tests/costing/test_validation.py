"""Bad input: every bound, type and key is an error naming the field, never a crash."""
from __future__ import annotations

import math

import pytest

from app.costing import PlanError, estimate
from tests.costing.conftest import NONE_REASON, activity, plan, worked_example


def errors_of(document):
    with pytest.raises(PlanError) as caught:
        estimate(document)
    errors = caught.value.errors
    for error in errors:
        assert set(error) >= {"field", "message", "code"} and error["message"]
    return errors


def fields_of(document):
    return [error["field"] for error in errors_of(document)]


def with_line(**changes):
    return plan(activity(**changes))


def with_bid(**changes):
    document = plan(activity())
    document["bid"] = {**document["bid"], **changes}
    return document


@pytest.mark.parametrize("field, bad, good", [
    ("people", [0, 501, 1.5], [1, 500, 6.0]),
    ("sessions", [0, 501, 2.5], [1, 500]),
    ("hours_per_session", [0.24, 12.01, 0], [0.25, 12]),
    ("prep_hours_per_session", [-0.1, 40.5], [0, 40]),
    ("start_week", [-1, 104.01], [0, 104, 51.5]),
])
def test_activity_bounds(field, bad, good):
    for value in bad:
        assert fields_of(with_line(**{field: value})) == [f"activities[0].{field}"], value
    for value in good:
        assert estimate(with_line(**{field: value}))["total_gbp"] > 0


@pytest.mark.parametrize("field, bad, good", [
    ("value_gbp", [0, -5, 1_000_000_000.01], [0.01, 1_000_000_000]),
    ("duration_months", [0, 0.5, 121], [1, 120]),
])
def test_bid_bounds(field, bad, good):
    for value in bad:
        assert fields_of(with_bid(**{field: value})) == [f"bid.{field}"], value
    for value in good:
        document = with_bid(**{field: value})
        document["activities"][0]["start_week"] = 0
        assert estimate(document)["total_gbp"] > 0


def test_easy_read_pages_and_draws_bounds():
    for pages in (-1, 1001, 2.5):
        document = plan(activity(), accessible_formats={"easy_read_pages": pages})
        assert fields_of(document) == ["accessible_formats.easy_read_pages"]
    for draws in (99, 200_001, 150.5):
        assert fields_of(plan(activity(), options={"draws": draws})) == ["options.draws"]
    for seed in (-1, 2**64, 1.5):
        assert fields_of(plan(activity(), options={"seed": seed})) == ["options.seed"]
    assert estimate(plan(activity(), accessible_formats={"easy_read_pages": 1000},
                         options={"draws": 100, "seed": 2**63 - 1}))["total_gbp"] > 0


@pytest.mark.parametrize("value, code", [
    (True, "wrong_type"), (False, "wrong_type"), ("6", "wrong_type"), (None, "required"),
    ([6], "wrong_type"), ({"n": 6}, "wrong_type"), (math.nan, "not_finite"),
    (math.inf, "not_finite"), (-math.inf, "not_finite"),
])
def test_numbers_must_be_finite_numbers(value, code):
    (error,) = errors_of(with_line(people=value))
    assert (error["field"], error["code"]) == ("activities[0].people", code)


@pytest.mark.parametrize("value", [math.nan, math.inf, True, "120000"])
def test_bid_value_must_be_a_finite_number(value):
    assert fields_of(with_bid(value_gbp=value)) == ["bid.value_gbp"]


@pytest.mark.parametrize("field, value", [
    ("role", "chief_executive"), ("stage", "planning"), ("mode", "hybrid"),
    ("travel", "international"), ("role", 3), ("mode", True),
])
def test_unknown_activity_vocabulary(field, value):
    (error,) = errors_of(with_line(**{field: value}))
    assert error["field"] == f"activities[0].{field}"
    assert error["code"] in ("unknown_value", "wrong_type")


@pytest.mark.parametrize("field, value", [("scope", "global"), ("work_type", "knitting")])
def test_unknown_bid_vocabulary(field, value):
    (error,) = errors_of(with_bid(**{field: value}))
    assert (error["field"], error["code"]) == (f"bid.{field}", "unknown_value")
    assert value in error["message"]


def test_unknown_level():
    (error,) = errors_of(plan(activity(), level="medium"))
    assert (error["field"], error["code"]) == ("level", "unknown_value")


@pytest.mark.parametrize("time", ["9:30", "24:00", "10:60", "10.30", "1030", "", 930, True,
                                  "10:30:00", " 10:30"])
def test_malformed_start_time(time):
    (error,) = errors_of(with_line(start_time=time))
    assert (error["field"], error["code"]) == ("activities[0].start_time", "bad_format")


@pytest.mark.parametrize("time", ["00:00", "09:59", "10:00", "23:59", None])
def test_well_formed_start_times(time):
    assert estimate(with_line(start_time=time))["total_gbp"] > 0


@pytest.mark.parametrize("activities", ["advisory group", {"role": "writer"}, 3, True])
def test_activities_must_be_a_list(activities):
    (error,) = errors_of(plan(activities=activities))
    assert (error["field"], error["code"]) == ("activities", "wrong_type")


def test_each_activity_must_be_an_object():
    assert fields_of(plan(activities=[activity(), "writer", None])) == [
        "activities[1]", "activities[2]"]


@pytest.mark.parametrize("document", [[], "plan", 42, None, True])
def test_the_document_must_be_an_object(document):
    (error,) = errors_of(document)
    assert (error["field"], error["code"]) == ("plan", "wrong_type")


def test_an_empty_document():
    errors = errors_of({})
    assert [(e["field"], e["code"]) for e in errors] == [("bid", "required"),
                                                          ("level", "required")]


def test_bid_must_be_an_object():
    assert fields_of(plan(activity(), bid="a big one")) == ["bid"]
    document = plan(activity())
    del document["bid"]
    assert fields_of(document) == ["bid"]


@pytest.mark.parametrize("justification", [None, "", "Not needed.", " " * 50,
                                           "x" * 39])
def test_level_none_needs_a_justification(justification):
    document = plan(level="none", activities=[], justification=justification)
    (error,) = errors_of(document)
    assert (error["field"], error["code"]) == ("justification", "justification_required")


def test_level_none_with_a_justification_costs_nothing():
    result = estimate(plan(level="none", activities=[], justification="x" * 40))
    assert result["total_gbp"] == 0 and result["lines"] == []
    assert result["by_category"] == dict.fromkeys(result["by_category"], 0.0)


@pytest.mark.parametrize("level", ["limited", "good", "full"])
def test_other_levels_need_activities(level):
    missing = plan(level=level)
    del missing["activities"]
    for document in (plan(level=level, activities=[]), missing):
        (error,) = errors_of(document)
        assert (error["field"], error["code"]) == ("activities", "no_activities")


def test_several_errors_at_once():
    document = worked_example()
    document["bid"]["value_gbp"] = 0
    document["bid"]["scope"] = "galactic"
    document["activities"][0].update(people=0, start_time="25:00", role="boss")
    document["activities"].append(activity(sessions=math.nan, needs={"bsl": "yes"}))
    document["options"] = {"draws": 10}
    errors = errors_of(document)
    assert [e["field"] for e in errors] == [
        "bid.value_gbp", "bid.scope", "activities[0].role", "activities[0].people",
        "activities[0].start_time", "activities[1].sessions", "activities[1].needs.bsl",
        "options.draws"]


def test_more_type_errors():
    document = plan(activity(needs="lots"), existing_network="yes", contributors=-1,
                    accessible_formats=[12], options=[], justification=40)
    document["bid"].update(client_requires_coproduction=1, start_date="1 April 2027",
                           title=["x"])
    assert fields_of(document) == [
        "bid.client_requires_coproduction", "bid.title", "bid.start_date", "justification",
        "activities[0].needs", "existing_network", "contributors", "accessible_formats",
        "options"]


def test_needs_bounds():
    document = with_line(needs={"personal_assistants": -1,
                                "carers_needing_replacement_care": 501})
    assert fields_of(document) == ["activities[0].needs.personal_assistants",
                                   "activities[0].needs.carers_needing_replacement_care"]


def test_too_many_lines():
    assert fields_of(plan(activities=[activity()] * 201)) == ["activities"]


def test_unknown_keys_are_ignored_everywhere():
    document = worked_example()
    document["colour"] = "blue"
    document["bid"]["reference"] = "T-42"
    document["activities"][0]["notes"] = "keep the room warm"
    document["activities"][0]["needs"]["hearing_loop"] = True
    document["options"]["engine"] = "fast"
    assert estimate(document)["total_gbp"] == 7419.00


def test_omitted_optional_fields_take_defaults():
    document = {"bid": {"value_gbp": 50000, "duration_months": 12, "scope": "regional",
                        "work_type": "guidance"},
                "level": "limited",
                "activities": [{"role": "writer", "people": 2, "sessions": 3}]}
    result = estimate(document)
    fees = result["lines"][0]
    assert (fees["stage"], fees["quantity"]) == ("development", 18)  # 6 × 3 h writer default
    assert result["lines"][1]["category"] == "travel_subsistence"  # travel = bid scope
    assert result["lines"][1]["unit_cost_gbp"] == 50.00  # regional 40 + 10
    assert result["timeline"][-1]["start_week"] == 13  # development starts at 25% of 52
    assert result["uncertainty"]["draws"] == 10_000


def test_none_with_reason_and_lines_is_costed():
    document = plan(activity(), level="none", justification=NONE_REASON)
    assert estimate(document)["total_gbp"] > 0
