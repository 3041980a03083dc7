"""Rate cards are data: the uk-2026 defaults, validation, round trips, other cards."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.costing import PlanError, RateCard, default_rate_card, estimate
from app.costing.ratecard import default_card, engine_card, rate_card_document
from tests.costing.conftest import worked_example


def test_the_first_card_holds_the_spec_values():
    card = rate_card_document("uk-2026")
    assert (card["id"], card["currency"], card["effective_from"]) == (
        "uk-2026", "GBP", "2026-04-01")
    rates = card["rates"]
    assert rates["contributor_hourly"] == 27.50
    assert rates["travel_return"] == {"local": 12, "regional": 40, "national": 110}
    assert rates["venue_per_session"] == {"local": 150, "regional": 250, "national": 400}
    assert (rates["bsl_half_day"], rates["bsl_full_day"]) == (120, 240)
    assert rates["early_start_before"] == "10:00"
    assert (rates["staff_day_rate"], rates["staff_day_hours"]) == (360, 7.5)
    assert rates["role_fee_multipliers"]["co_lead"] == 1.5
    assert (card["time"]["recruitment_weeks_new"], card["time"]["easy_read_weeks"]) == (10, 6)
    assert card["uncertainty"]["attendance"] == {"low": 0.7, "mode": 0.95, "high": 1.0}
    assert card["policy"]["justification_min_chars"] == 40
    # its one weekly benefit figure (2023/24) stands for both weekly limits; lines independent
    assert card["benefits"] == {"carers_allowance_weekly": 167, "esa_permitted_work_weekly": 167,
                                "uc_work_allowance_monthly": 379}
    assert card["uncertainty"]["correlation"] == 0


def test_the_default_card_is_uk_2026_12_with_the_spec_changes():
    first, card = rate_card_document("uk-2026"), default_rate_card()
    assert (card["id"], card["effective_from"]) == ("uk-2026-12", "2026-12-01")
    assert (card["rates"]["bsl_half_day"], card["rates"]["bsl_full_day"]) == (140, 280)
    assert card["rates"]["replacement_care_hourly"] == 32.14
    assert card["benefits"] == {"carers_allowance_weekly": 204, "esa_permitted_work_weekly": 203.5,
                                "uc_work_allowance_monthly": 411}
    assert card["uncertainty"]["correlation"] == 0.5
    changed = {f"{section}.{key}" for section in ("rates", "time", "uncertainty", "benefits",
                                                  "policy")
               for key in card[section] if card[section][key] != first[section].get(key)}
    assert changed == {"rates.bsl_half_day", "rates.bsl_full_day",
                       "rates.replacement_care_hourly", "benefits.carers_allowance_weekly",
                       "benefits.esa_permitted_work_weekly",
                       "benefits.uc_work_allowance_monthly", "uncertainty.correlation"}
    assert card["sources"]["benefits.esa_permitted_work_weekly"]["status"] == "derived"
    assert "NUBSLI" in card["sources"]["rates.bsl_full_day"]["basis"]
    assert card["sources"]["rates.bsl_full_day"]["checked"] == "2026-12-01"
    assert default_card() is engine_card("uk-2026-12")


@pytest.mark.parametrize("card_id", ["uk-2026", "uk-2026-12"])
def test_every_value_has_a_status_a_basis_and_a_checked_date(card_id):
    card = rate_card_document(card_id)
    values = [f"{section}.{key}" for section in ("rates", "time", "uncertainty", "benefits",
                                                 "policy")
              for key in card[section]]
    assert set(card["sources"]) == set(values)
    for entry in card["sources"].values():
        assert entry["status"] in ("published", "derived", "assumed")
        assert entry["basis"] and entry["label"]
        assert entry["checked"] <= card["effective_from"]
    assert card["sources"]["rates.contributor_hourly"]["status"] == "published"
    assert "NIHR" in card["sources"]["rates.contributor_hourly"]["basis"]
    assert card["sources"]["rates.pa_hourly"]["status"] == "assumed"


def test_a_card_stored_before_the_benefits_section_reads_as_it_was_costed():
    document = rate_card_document("uk-2026")
    benefits = document.pop("benefits")
    del document["uncertainty"]["correlation"]
    document["rates"].update(benefit_weekly_threshold=150, benefit_monthly_threshold=400)
    for key in benefits:
        document["sources"].pop(f"benefits.{key}")
    document["sources"]["rates.benefit_weekly_threshold"] = {"status": "assumed",
                                                           "basis": "our own figure"}
    card = RateCard.from_dict(document)
    assert (card.carers_allowance_weekly, card.esa_permitted_work_weekly,
            card.uc_work_allowance_monthly, card.correlation) == (150, 150, 400, 0)
    assert card.sources["benefits.esa_permitted_work_weekly"]["basis"] == "our own figure"
    assert card.to_dict()["benefits"] == {"carers_allowance_weekly": 150,
                                          "esa_permitted_work_weekly": 150,
                                          "uc_work_allowance_monthly": 400}


def test_a_copy_keeps_and_may_change_status_basis_and_checked_date():
    document = default_rate_card()
    document["sources"]["rates.pa_hourly"] = {"status": "published", "basis": "Our PA agency",
                                              "checked": "2026-11-20"}
    entry = RateCard.from_dict(document).to_dict()["sources"]["rates.pa_hourly"]
    assert (entry["status"], entry["basis"], entry["checked"]) == (
        "published", "Our PA agency", "2026-11-20")
    document["sources"]["rates.pa_hourly"]["checked"] = "last week"
    with pytest.raises(PlanError) as raised:
        RateCard.from_dict(document)
    assert raised.value.errors[0]["field"] == "sources.rates.pa_hourly.checked"


def test_the_correlation_is_a_fraction():
    document = default_rate_card()
    document["uncertainty"]["correlation"] = 1.5
    with pytest.raises(PlanError) as raised:
        RateCard.from_dict(document)
    assert raised.value.errors[0]["field"] == "uncertainty.correlation"


def test_document_is_json_and_round_trips():
    document = default_rate_card()
    assert json.loads(json.dumps(document)) == document
    card = RateCard.from_dict(document)
    assert card.to_dict() == document
    assert RateCard.from_dict(card.to_dict()) == card
    assert card.contributor_hourly == Decimal("27.5")
    assert card.early_start_before == 600


def test_default_document_is_a_fresh_copy():
    default_rate_card()["rates"]["travel_return"]["local"] = 999
    assert default_rate_card()["rates"]["travel_return"]["local"] == 12


def test_an_organisations_own_card_from_the_old_one():
    document = default_rate_card()
    document.update(id="acme-2027", label="Acme rates", effective_from="2027-04-01")
    document["rates"]["contributor_hourly"] = 30
    document["sources"]["rates.contributor_hourly"] = {"status": "assumed",
                                                       "basis": "Acme's board decision"}
    card = RateCard.from_dict(document)
    result = estimate(worked_example(), card)
    assert result["rate_card"] == {"id": "acme-2027", "label": "Acme rates",
                                   "effective_from": "2027-04-01"}
    # fees 96 h and induction 18 h at 30.00 instead of 27.50
    assert result["total_gbp"] == 7419.00 + 114 * 2.5
    assert card.sources["rates.contributor_hourly"]["basis"] == "Acme's board decision"


def test_the_card_can_be_passed_as_a_dict_or_inside_the_plan():
    document = default_rate_card()
    document["rates"]["easy_read_per_page"] = 70
    assert estimate(worked_example(), document)["total_gbp"] == 7419.00 + 120
    plan = worked_example()
    plan["rate_card"] = document
    assert estimate(plan)["total_gbp"] == 7419.00 + 120


def test_an_unknown_card_id_in_the_plan_is_an_error():
    plan = worked_example()
    plan["rate_card"] = "uk-1999"
    with pytest.raises(PlanError) as caught:
        estimate(plan)
    assert caught.value.errors[0]["field"] == "rate_card"


def test_a_given_card_wins_over_the_plans_id():
    plan = worked_example()
    plan["rate_card"] = "uk-1999"
    assert estimate(plan, default_card())["total_gbp"] == 7419.00


def test_bad_card_values_are_all_reported():
    document = default_rate_card()
    document["rates"]["contributor_hourly"] = -1
    document["rates"]["travel_return"]["national"] = "lots"
    document["rates"]["early_start_before"] = "9am"
    document["uncertainty"]["sessions"] = {"low": 1.2, "mode": 1.0, "high": 1.5}
    document["policy"]["client_requirement_level"] = "some"
    document["effective_from"] = "April 2026"
    del document["time"]
    with pytest.raises(PlanError) as caught:
        RateCard.from_dict(document, path="rate_card")
    fields = [e["field"] for e in caught.value.errors]
    assert fields == ["rate_card.effective_from", "rate_card.time",
                      "rate_card.rates.contributor_hourly",
                      "rate_card.rates.travel_return.national",
                      "rate_card.rates.early_start_before", "rate_card.uncertainty.sessions",
                      "rate_card.policy.client_requirement_level"]


@pytest.mark.parametrize("document", [None, [], "uk-2026", {}])
def test_a_card_must_be_a_whole_document(document):
    with pytest.raises(PlanError) as caught:
        RateCard.from_dict(document)
    assert caught.value.errors


def test_unknown_card_keys_are_ignored():
    document = default_rate_card()
    document["notes"] = "kept by the app"
    document["rates"]["unused_rate"] = 5
    assert RateCard.from_dict(document) == default_card()


def test_inconsistent_policy_is_an_error():
    document = default_rate_card()
    document["policy"]["good_below_gbp"] = 1000
    with pytest.raises(PlanError) as caught:
        RateCard.from_dict(document)
    assert caught.value.errors[0]["field"] == "policy.good_below_gbp"


def test_an_edited_assumption_changes_the_estimate():
    document = default_rate_card()
    document["rates"]["annual_inflation"] = 0.10
    plan = worked_example()
    plan["bid"]["duration_months"] = 24
    plan["activities"][0]["start_week"] = 60
    result = estimate(plan, document)
    fees = next(line for line in result["lines"] if line["category"] == "fees")
    assert (fees["year"], fees["amount_gbp"]) == (2, 2904.00)  # 2,640 × 1.10


def test_a_card_document_is_read_once_and_a_changed_one_afresh():
    from app.costing.engine import card_from_document

    document = json.loads(json.dumps(rate_card_document("uk-2026-12")))
    first = card_from_document(document, "rate_card")
    assert card_from_document(json.loads(json.dumps(document)), "rate_card") is first
    changed = json.loads(json.dumps(document))
    changed["id"] = "uk-2026-12-changed"
    assert card_from_document(changed, "rate_card").id == "uk-2026-12-changed"
    assert card_from_document(document, "rate_card") is first


def test_a_refused_card_document_is_refused_every_time():
    from app.costing.engine import card_from_document

    document = json.loads(json.dumps(rate_card_document("uk-2026-12")))
    document["id"] = ""
    for _ in range(2):
        with pytest.raises(PlanError) as refused:
            card_from_document(document, "rate_card")
        assert any(error["field"].startswith("rate_card") for error in refused.value.errors)
