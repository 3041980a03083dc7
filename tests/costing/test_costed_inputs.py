"""``estimate["inputs"]``: the plan as costed, every default filled in; ``new_line``."""
from __future__ import annotations

import pytest

from app.costing import ROLES, PlanError, estimate, new_line
from tests.costing.conftest import worked_example


def test_a_complete_plan_comes_back_as_it_was_sent():
    plan = worked_example()
    inputs = estimate(plan)["inputs"]
    assert inputs["activities"] == plan["activities"]
    assert inputs["contributors"] == 6 and inputs["contributor_count"] == 6
    assert inputs["accessible_formats"] == plan["accessible_formats"]
    assert inputs["options"] == plan["options"]
    assert (inputs["level"], inputs["existing_network"]) == ("good", True)


def test_omitted_fields_carry_the_defaults_the_engine_costed():
    plan = worked_example()
    plan["bid"]["scope"] = "regional"
    plan["contributors"] = None
    plan["activities"] = [{"role": "peer_researcher", "people": 3, "sessions": 2},
                          {"role": "blogger", "people": 1, "sessions": 1}]
    result = estimate(plan)
    lines = result["inputs"]["activities"]
    role = ROLES["peer_researcher"]
    assert lines[0]["hours_per_session"] == float(role.hours_per_session)
    assert lines[0]["prep_hours_per_session"] == float(role.prep_hours_per_session)
    assert [line["stage"] for line in lines] == [role.stage, ROLES["blogger"].stage]
    assert {line["travel"] for line in lines} == {"regional"}
    assert {line["mode"] for line in lines} == {"in_person"}
    assert lines[0]["needs"] == {"bsl": False, "personal_assistants": 0,
                                 "carers_needing_replacement_care": 0}
    assert lines[0]["start_time"] is None
    placed = {row["activity_index"]: row["start_week"] for row in result["timeline"]
              if row["kind"] == "activity"}
    assert [line["start_week"] for line in lines] == [placed[0], placed[1]]
    assert result["inputs"]["contributors"] is None
    assert result["inputs"]["contributor_count"] == 3 == result["contributors"]


def test_costing_the_costed_inputs_again_gives_the_same_estimate():
    plan = worked_example()
    plan["activities"] = [{"role": "co_trainer", "people": 2, "sessions": 3}]
    first = estimate(plan)
    again = estimate(dict(first["inputs"], bid=plan["bid"]))
    assert again["total_gbp"] == first["total_gbp"] and again["lines"] == first["lines"]
    assert again["inputs"] == first["inputs"]


@pytest.mark.parametrize("role", list(ROLES))
def test_a_new_line_is_the_line_the_engine_would_cost_from_the_role_alone(role):
    plan = worked_example()
    line = new_line(role, plan["bid"])
    assert (line["role"], line["people"], line["sessions"]) == (role, 1, 1)
    sparse = estimate(dict(plan, activities=[{"role": role, "people": 1, "sessions": 1}]))
    assert estimate(dict(plan, activities=[line]))["inputs"] == sparse["inputs"]


def test_a_new_line_for_an_unknown_role_or_a_bad_bid_names_the_field():
    with pytest.raises(PlanError) as error:
        new_line("astronaut", {"value_gbp": -1})
    fields = {item["field"] for item in error.value.errors}
    assert "role" in fields and "bid.value_gbp" in fields


def test_line_totals_and_the_plan_wide_lines_add_up_to_the_total():
    from decimal import Decimal

    from app.costing import line_totals

    plan = worked_example()
    plan["activities"] = [*plan["activities"], {"role": "co_trainer", "people": 2, "sessions": 3}]
    result = estimate(plan)
    totals = line_totals(result)
    assert len(totals) == 2 and all(total > 0 for total in totals)
    plan_wide = sum(Decimal(str(line["amount_gbp"])) for line in result["lines"]
                    if line["activity_index"] is None)
    assert sum(Decimal(str(total)) for total in totals) + plan_wide == \
        Decimal(str(result["total_gbp"])).quantize(Decimal("0.01"))
    alone = estimate(dict(plan, activities=plan["activities"][:1]))
    assert line_totals(alone) == totals[:1]  # a line's cost does not depend on the others
