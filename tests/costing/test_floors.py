"""Level floors (what every plan of a level has at least) and the policy targets."""
from __future__ import annotations

import pytest

from app.costing import default_rate_card, estimate
from app.costing.inputs import parse_plan
from app.costing.ratecard import RateCard
from app.costing.sizing import sized_plan
from tests.costing.conftest import NONE_REASON, activity, plan


def group(**fields):
    return activity(**{"role": "advisory_group_member", "people": 4, "sessions": 3,
                       "stage": "scoping", "start_week": 10, **fields})


def floor_of(document):
    result = estimate(document)
    codes = [w["code"] for w in result["warnings"]]
    assert ("below_floor" in codes) == (not result["floor"]["met"])
    return result["floor"]


def test_limited_needs_a_line_of_three_people():
    assert floor_of(plan(activity(people=3)))["met"]
    floor = floor_of(plan(activity(people=2), activity(people=1)))
    assert floor["missing"] == ["A line with 3 or more people (the largest has 2)."]


def test_good_needs_an_early_advisory_group_and_the_main_role():
    main = activity(role="peer_researcher", stage="development", start_week=30)
    assert floor_of(plan(group(), main, level="good"))["met"]
    missing = floor_of(plan(group(people=3, sessions=2), level="good"))["missing"]
    assert len(missing) == 3
    assert "4 or more people" in missing[0] and "(the plan has 2)" in missing[1]
    assert "peer researcher" in missing[2]
    # the group may meet over two lines, but its first line must be in set-up or scoping
    split = plan(group(sessions=1), group(sessions=2, start_week=12), main, level="good")
    assert floor_of(split)["met"]
    late = plan(group(stage="development", start_week=30), main, level="good")
    assert floor_of(late)["missing"] == [
        "The advisory group starting in set-up or scoping (its first line is in development)."]


def test_full_adds_a_co_lead_from_set_up_and_four_stages():
    lines = [activity(role="co_lead", stage="setup", start_week=0, sessions=4), group(),
             activity(role="peer_researcher", stage="development", start_week=30),
             activity(role="conference_speaker", stage="dissemination", start_week=95)]
    assert floor_of(plan(*lines, level="full"))["met"]
    lines[0]["sessions"] = 3
    lines[3]["stage"] = "development"
    missing = floor_of(plan(*lines, level="full"))["missing"]
    assert missing == ["A co-lead with lived experience line in set-up with 4 or more sessions.",
                       "Lines in at least 4 of the five stages (the plan has 3: set-up, "
                       "scoping, development)."]


def test_none_with_its_justification_meets_its_floor():
    document = plan(level="none", activities=[], justification=NONE_REASON)
    assert floor_of(document) == {"met": True, "missing": []}


def test_below_floor_details_list_what_is_missing():
    result = estimate(plan(activity(people=2)))
    (warning,) = [w for w in result["warnings"] if w["code"] == "below_floor"]
    assert warning["details"] == {"missing": result["floor"]["missing"]}
    assert result["floor"]["missing"][0] in warning["message"]


def test_targets_come_from_the_card_and_old_cards_take_the_defaults():
    document = default_rate_card()
    document["policy"]["good_target_percent"] = 5
    card = RateCard.from_dict(document)
    bid = parse_plan(plan(bid={"value_gbp": 400_000, "duration_months": 24,
                               "scope": "local", "work_type": "training"})).bid
    sized = sized_plan("good", bid, card)
    assert not sized.floor_above_target and sized.total <= 20_000 < sized.template_total
    assert sized.total > sized_plan("good", bid, RateCard.from_dict(
        dict(document, policy=dict(document["policy"], good_target_percent=2)))).total
    old = default_rate_card()
    for key in ("limited_target_percent", "good_target_percent", "full_target_percent"):
        del old["policy"][key]
    assert [RateCard.from_dict(old).policy.target_percent(level)
            for level in ("none", "limited", "good", "full")] == [0, 3, 8, 15]


@pytest.mark.parametrize("value", [-1, 101, "eight"])
def test_a_target_outside_0_to_100_is_an_error(value):
    document = default_rate_card()
    document["policy"]["good_target_percent"] = value
    with pytest.raises(Exception) as raised:
        RateCard.from_dict(document)
    assert raised.value.errors[0]["field"] == "policy.good_target_percent"
