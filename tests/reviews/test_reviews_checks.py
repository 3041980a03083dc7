"""Completeness checks before review: each check failing alone, its message and its link."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Bid
from app.reviews import checks
from tests.review_steps import fresh, save_level, submit

SHORT = "Too small."


def _inputs(version, **changes):
    version.inputs = {**version.inputs, **changes}


def no_level(bid, version):
    _inputs(version, level=None)


def none_without_justification(bid, version):
    _inputs(version, level="none", justification="   ", activities=[])


def none_with_a_short_justification(bid, version):
    _inputs(version, level="none", justification=SHORT, activities=[])


def invalid_line(bid, version):
    lines = [dict(line) for line in version.inputs["activities"]]
    lines[0]["people"] = 0
    _inputs(version, activities=lines)


def no_lines(bid, version):
    _inputs(version, activities=[])


def bad_setting(bid, version):
    _inputs(version, accessible_formats={"easy_read_pages": 5000})


def bad_options(bid, version):
    _inputs(version, options={"draws": 0, "seed": 0})


def bid_changed_since_costing(bid, version):
    bid.scope = "national"  # staff travel costs more: the stored estimate is stale


def no_client(bid, version):
    bid.client = "  "


def no_value(bid, version):
    bid.value_pence = 0


def no_deadline(bid, version):
    bid.deadline = None


CASES = [
    (no_level, "level", "Choose a level of co-production", "/plan/level#level"),
    (none_without_justification, "justification", "level “none” needs a justification",
     "/plan/level#justification"),
    (none_with_a_short_justification, "justification", "at least 40 characters",
     "/plan/level#justification"),
    (invalid_line, "activities",
     "Line 1 (Advisory group chair): Number of people must be a whole number from 1 to 500",
     "/plan/activities#activities-0-people"),
    (no_lines, "activities", "Add at least one activity line", "/plan/activities"),
    (bad_setting, "estimate", "Easy read pages must be a whole number from 0 to 1,000",
     "/plan/activities#accessible_formats-easy_read_pages"),
    (bad_options, "estimate", "Options draws must be a whole number", "/plan/activities"),
    (bid_changed_since_costing, "estimate", "The estimate is out of date", "/plan/activities"),
    (no_client, "bid", "Enter the bid's client or funder", "/edit#client"),
    (no_value, "bid", "Enter the bid's value", "/edit#value_gbp"),
    (no_deadline, "bid", "Enter the bid's submission deadline", "/edit#deadline"),
]


@pytest.mark.parametrize("break_it, check, message, link", CASES,
                         ids=[case[0].__name__ for case in CASES])
def test_each_check_fails_alone_and_blocks_submission(app, bid, draft, team, as_user, break_it,
                                                      check, message, link):
    break_it(bid, draft)
    db.session.commit()
    with app.test_request_context():
        problems = checks.completeness_problems(bid, fresh(draft))
    assert [problem.check for problem in problems] == [check], problems
    assert message in problems[0].message
    assert problems[0].href == f"/bids/{bid.id}{link}"
    response = submit(as_user(team.writer), bid, fresh(draft))
    page = response.get_data(as_text=True).replace("&#39;", "'").replace("&amp;", "&")
    assert response.status_code == 200 and "There is a problem" in page
    assert f'<a href="/bids/{bid.id}{link}">' in page and message in page
    assert fresh(draft).status == "draft"
    assert db.session.get(Bid, bid.id).status == "draft"


def test_a_missing_start_date_is_reported(app, bid, draft):
    bid.start_date = None  # the column refuses it, so only in memory
    with app.test_request_context(), db.session.no_autoflush:
        problems = checks.completeness_problems(bid, draft)
    db.session.rollback()
    assert ("bid", "Enter the bid's start date", f"/bids/{bid.id}/edit#start_date") in [
        (problem.check, problem.message, problem.href) for problem in problems]


def test_a_complete_plan_passes_every_check_and_says_so(app, bid, draft, team, as_user):
    with app.test_request_context():
        assert checks.completeness_problems(bid, draft) == []
    page = as_user(team.writer).get(f"/bids/{bid.id}/review/versions/1").get_data(as_text=True)
    assert "Every check passes" in page and "Submit for review" in page


def test_level_none_with_its_reason_passes(app, bid, team):
    version = save_level(bid, team.writer, level="none", justification=(
        "A two-day desk review of published statistics; nobody's services are affected."))
    with app.test_request_context():
        assert checks.completeness_problems(bid, version) == []


def test_the_review_page_lists_failing_checks_before_submission(bid, draft, team, as_user):
    bid.deadline, bid.client = None, ""
    db.session.commit()
    page = as_user(team.writer).get(f"/bids/{bid.id}/review/versions/1").get_data(as_text=True)
    assert "Fix these before submitting version 1 for review" in page
    assert f'href="/bids/{bid.id}/edit#client"' in page
    assert f'href="/bids/{bid.id}/edit#deadline"' in page
    assert "There is a problem" not in page  # a list to work through, not an error yet
