"""Hand-worked examples of each category formula (default card uk-2026)."""
from __future__ import annotations

import pytest

from app.costing import estimate
from tests.costing.conftest import activity, amount, gbp, lines_of, plan


def cost(*lines, **fields):
    return estimate(plan(*lines, **fields))


class TestFees:
    def test_paid_hours_are_session_plus_preparation(self):
        result = cost(activity(people=2, sessions=3, hours_per_session=3,
                               prep_hours_per_session=1))
        assert amount(result, "fees") == gbp(660.00)  # 6 × 4 h × 27.50

    def test_short_sessions_are_paid_the_minimum_hour(self):
        result = cost(activity(hours_per_session=0.5, prep_hours_per_session=0.5))
        assert amount(result, "fees") == gbp(41.25)  # (max(0.5, 1) + 0.5) × 27.50

    def test_role_multiplier_rounds_half_up(self):
        # co-lead: 4.5 h × 27.50 × 1.5 = 185.625, half-up to 185.63
        result = cost(activity(role="co_lead", hours_per_session=3.5,
                               prep_hours_per_session=1, stage="setup"))
        assert amount(result, "fees") == gbp(185.63)
        assert lines_of(result, "fees")[0]["unit_cost_gbp"] == 41.25

    def test_role_defaults_fill_omitted_hours_and_stage(self):
        line = activity(role="guideline_committee_member")
        for key in ("hours_per_session", "prep_hours_per_session", "stage"):
            del line[key]
        result = cost(line)
        assert amount(result, "fees") == gbp(220.00)  # (6 + 2) h × 27.50
        assert lines_of(result, "fees")[0]["stage"] == "development"


class TestTravelAndAccommodation:
    def test_travel_and_subsistence_per_attendance(self):
        result = cost(activity(people=2, sessions=3, travel="regional"))
        assert amount(result, "travel_subsistence") == gbp(300.00)  # 6 × (40 + 10)

    def test_no_travel_line_when_travel_is_none(self):
        assert lines_of(cost(activity(travel="none")), "travel_subsistence") == []

    def test_overnight_for_in_person_national_lines_starting_before_ten(self):
        result = cost(activity(people=2, sessions=3, travel="national", start_time="09:30"))
        assert amount(result, "accommodation") == gbp(780.00)  # 6 × 130
        assert amount(result, "travel_subsistence") == gbp(720.00)  # 6 × (110 + 10)

    @pytest.mark.parametrize("changes", [
        {"start_time": "10:00"}, {"start_time": None}, {"start_time": "23:59"},
        {"travel": "regional"}, {"mode": "remote"},
    ])
    def test_no_overnight_otherwise(self, changes):
        line = activity(travel="national", start_time="09:30")
        line.update(changes)
        assert lines_of(cost(line), "accommodation") == []

    def test_missing_start_time_is_not_early(self):
        line = activity(travel="national")
        del line["start_time"]
        assert lines_of(cost(line), "accommodation") == []


class TestVenueAndRemote:
    def test_venue_by_bid_scope_and_catering_per_attendance(self):
        result = cost(activity(people=5, sessions=2),
                      bid={"value_gbp": 100000, "duration_months": 24, "scope": "regional",
                           "work_type": "research"})
        assert amount(result, "venue_catering") == gbp(590.00)  # 2 × 250 + 10 × 9

    def test_remote_pays_the_digital_allowance_and_no_venue_or_travel(self):
        result = cost(activity(people=3, sessions=2, mode="remote", travel="national",
                               start_time="08:00"))
        venue = lines_of(result, "venue_catering")
        assert [line["unit"] for line in venue] == ["remote attendance"]
        assert amount(result, "venue_catering") == gbp(60.00)  # 6 × 10
        assert lines_of(result, "travel_subsistence") == []
        assert lines_of(result, "accommodation") == []

    def test_remote_organising_takes_two_staff_hours_a_session(self):
        result = cost(activity(people=3, sessions=2, mode="remote"))
        # (6 × 0.5 + 2 × 2 + 6 × 0.25) = 8.5 h × 48.00
        assert amount(result, "staff_coordination") == gbp(408.00)


class TestAccessSupport:
    def test_personal_assistants_with_fares_in_person(self):
        line = activity(sessions=3, hours_per_session=2, travel="regional",
                        needs={"personal_assistants": 2})
        assert amount(cost(line), "access_support") == gbp(492.00)  # 2 × 3 × (42 + 40)

    def test_personal_assistants_without_fares_remotely(self):
        line = activity(sessions=2, mode="remote", travel="regional",
                        needs={"personal_assistants": 1})
        assert amount(cost(line), "access_support") == gbp(126.00)  # 1 × 2 × 3 h × 21

    def test_replacement_care_includes_an_hour_of_travel(self):
        line = activity(sessions=2, needs={"carers_needing_replacement_care": 1})
        assert amount(cost(line), "access_support") == gbp(192.00)  # 1 × 2 × 4 h × 24

    @pytest.mark.parametrize("hours, interpreters, rate", [
        (0.5, 1, 120), (1.0, 1, 120), (1.25, 2, 120), (3.5, 2, 120), (4.0, 2, 240),
        (12, 2, 240),
    ])
    def test_bsl_interpreters_and_day_rate(self, hours, interpreters, rate):
        result = cost(activity(sessions=3, hours_per_session=hours, needs={"bsl": True}))
        bsl = lines_of(result, "access_support")
        assert len(bsl) == 1
        assert bsl[0]["quantity"] == 3 * interpreters
        assert amount(result, "access_support") == gbp(3 * interpreters * rate)


class TestInflation:
    def test_year_two_starts_at_week_52_and_rounds_half_up(self):
        result = cost(activity(hours_per_session=1, start_week=52))
        fees = lines_of(result, "fees")[0]
        assert fees["year"] == 2
        assert fees["amount_gbp"] == 28.33  # 27.50 × 1.03 = 28.325
        assert amount(result, "travel_subsistence") == 0
        assert amount(result, "venue_catering") == gbp(163.77)  # (150 + 9) × 1.03
        assert amount(result, "staff_coordination") == gbp(234.84)  # 4.75 h × 48 × 1.03

    def test_week_51_is_still_year_one(self):
        fees = lines_of(cost(activity(hours_per_session=1, start_week=51)), "fees")[0]
        assert (fees["year"], fees["amount_gbp"]) == (1, 27.50)

    def test_year_three_compounds(self):
        fees = lines_of(cost(activity(start_week=104)), "fees")[0]
        # the unit cost 27.50 × 1.0609 = 29.17475 is rounded to 29.17 first: 3 h × 29.17
        assert (fees["year"], fees["unit_cost_gbp"], fees["amount_gbp"]) == (3, 29.17, 87.51)


class TestPlanWideLines:
    def test_recruitment_from_an_existing_network(self):
        result = cost(activity(people=6))
        line = lines_of(result, "staff_coordination", None)[0]
        assert (line["stage"], line["year"], line["amount_gbp"]) == ("setup", 1, 288.00)

    def test_recruitment_of_new_contributors(self):
        result = cost(activity(people=6), existing_network=False)
        assert amount(result, "staff_coordination", None) == gbp(864.00)  # 6 × 3 h × 48

    def test_contributors_is_n_when_given(self):
        result = cost(activity(people=6), contributors=10)
        assert amount(result, "staff_coordination", None) == gbp(480.00)

    def test_n_is_the_largest_people_otherwise(self):
        result = cost(activity(people=4), activity(people=7, start_week=20))
        assert amount(result, "staff_coordination", None) == gbp(336.00)  # 7 × 1 h × 48

    @pytest.mark.parametrize("level, induction", [("limited", 0), ("good", 495),
                                                   ("full", 495)])
    def test_induction_only_for_good_and_full(self, level, induction):
        result = cost(activity(people=6), level=level)
        assert amount(result, "training", None) == induction  # 6 × 3 h × 27.50

    def test_no_induction_at_level_none(self):
        result = cost(activity(people=6), level="none",
                      justification="A reason of more than forty characters for level none.")
        assert amount(result, "training", None) == 0

    def test_easy_read_pages(self):
        result = cost(activity(), accessible_formats={"easy_read_pages": 7})
        line = lines_of(result, "accessible_formats", None)[0]
        assert (line["quantity"], line["unit_cost_gbp"], line["amount_gbp"]) == (7, 60.0, 420.0)

    def test_no_easy_read_line_without_pages(self):
        assert lines_of(cost(activity()), "accessible_formats", None) == []
