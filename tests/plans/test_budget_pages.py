"""The budget to request, cost by year and the weekly benefits check on the pages and API."""
from __future__ import annotations

import re

from app import costing
from app.extensions import db
from app.models import ApiToken
from app.versions import engine, store
from tests.factories import make_bid


def two_year_bid():
    return make_bid("Alpha", title="Peer research", value_pence=30_000_000, duration_months=24,
                    work_type="research", scope="local")


PLAN = {"level": "limited", "existing_network": True, "contributors": None,
        "accessible_formats": {"easy_read_pages": 0},
        "activities": [
            {"role": "peer_researcher", "people": 2, "sessions": 30, "hours_per_session": 8,
             "prep_hours_per_session": 0, "stage": "development", "start_week": 26},
            {"role": "advisory_group_member", "people": 5, "sessions": 4, "stage": "delivery",
             "start_week": 70}]}


def token_for(user) -> dict:
    row, clear = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#39;", "'")


def test_the_estimate_page_shows_the_budget_to_request_years_and_benefits(client, writer):
    bid = two_year_bid()
    version = store.save_plan(bid, PLAN, writer, None)
    estimate = version.estimate
    assert estimate["rate_card"]["id"] == "uk-2026-12"
    page = text(client.get(f"/bids/{bid.id}/plan/versions/1").get_data(as_text=True))
    budget = costing.format_gbp(estimate["budget_to_request_gbp"])
    assert f"Budget to request (total plus contingency, the P80 budget) {budget}" in page
    assert "The total assumes every session, hour and journey goes as planned" in page
    assert f"Budget to request {budget}" in page  # the lines table's last row
    for year in ("1", "2"):
        assert f"Year {year} {costing.format_gbp(estimate['by_year'][year])}" in page
    fees = next(line for line in estimate["lines"] if line["category"] == "fees")
    assert f"{fees['quantity']} × {costing.format_gbp(fees['unit_cost_gbp'])}" in page
    # 8 paid hours × 27.50 = 220.00 a week on line 1: over both weekly limits
    assert ("Line 1 (Peer researcher) £220.00 Carer's Allowance earnings limit and ESA "
            "permitted work limit") in page


def test_a_version_saved_before_the_budget_to_request_shows_total_plus_contingency(
        client, writer):
    bid = two_year_bid()
    version = store.save_plan(bid, PLAN, writer, None)
    old = dict(version.estimate)
    for key in ("budget_to_request_gbp", "by_year"):
        old.pop(key)
    version.estimate = old
    db.session.commit()
    page = text(client.get(f"/bids/{bid.id}/plan/versions/1").get_data(as_text=True))
    expected = costing.format_gbp(
        old["total_gbp"] + old["uncertainty"]["recommended_contingency_gbp"])
    assert f"the P80 budget) {expected}" in page and "Cost by year" not in page


def test_the_summary_and_the_api_carry_the_budget_to_request(client, writer):
    bid = two_year_bid()
    version = store.save_plan(bid, PLAN, writer, None)
    budget = version.estimate["budget_to_request_gbp"]
    page = client.get(f"/bids/{bid.id}/plan/activities").get_data(as_text=True)
    assert costing.format_gbp(budget) in page
    listed = client.get(f"/api/v1/bids/{bid.id}", headers=token_for(writer)).get_json()
    assert listed["versions"][0]["budget_to_request_gbp"] == budget
    document = dict(PLAN, bid=engine.bid_document(bid))
    posted = client.post("/api/v1/estimate", json=document,
                         headers=token_for(writer)).get_json()
    assert posted["budget_to_request_gbp"] == costing.estimate(document)["budget_to_request_gbp"]
    assert set(posted["by_year"]) == {"1", "2"}
