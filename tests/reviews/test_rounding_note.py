"""A version costed before the line rule (each line exactly quantity × unit cost) may differ
by pennies when the same plan is costed again: the comparison says how much."""
from __future__ import annotations

import copy
import re

from app.extensions import db
from app.reviews.compare import compare_versions
from tests.plan_forms import activities_form
from tests.review_steps import fresh
from tests.reviews.test_reviews_compare import version


def as_costed_before_the_rule(approved):
    """The approved version's estimate as the old rule stored it: no by_year, and a line
    whose amount was the exact unit cost × quantity (here 2p under the rounded one)."""
    estimate = copy.deepcopy(approved.estimate)
    estimate.pop("by_year")
    estimate.pop("budget_to_request_gbp")
    line = estimate["lines"][0]
    line["amount_gbp"] = round(line["amount_gbp"] - 0.02, 2)
    estimate["total_gbp"] = round(estimate["total_gbp"] - 0.02, 2)
    approved.estimate = estimate
    db.session.commit()


def test_the_comparison_says_how_much_is_rounding(approved, bid, team, as_user):
    as_costed_before_the_rule(approved)
    writer = as_user(team.writer)
    assert writer.post(f"/bids/{bid.id}/plan/activities",
                       data=activities_form(fresh(approved))).status_code == 302
    newer = version(bid, 2)
    comparison = compare_versions(fresh(approved), newer)
    assert str(comparison.rounding) == "0.02"
    page = writer.get(f"/bids/{bid.id}/review/compare?older=1&newer=2").get_data(as_text=True)
    note = re.search(r'data-testid="rounding-note">(.*?)</div>', page, re.S)[1]
    assert "come to £0.02 more" in note and "Version 1 keeps the figures" in note


def test_no_note_when_both_follow_the_rule(approved, bid, team, as_user):
    writer = as_user(team.writer)
    writer.post(f"/bids/{bid.id}/plan/activities", data=activities_form(fresh(approved)))
    assert not compare_versions(fresh(approved), version(bid, 2)).rounding
    page = writer.get(f"/bids/{bid.id}/review/compare?older=1&newer=2").get_data(as_text=True)
    assert "rounding-note" not in page
