"""The lock: an approved (or submitted) version never changes, whatever route is posted to.

The route list comes from app.url_map at run time, so a route added later is
covered without touching this file. Editing an approved plan starts a new
draft version that copies it.
"""
from __future__ import annotations

import itertools

import pytest
from flask import url_for
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from app.extensions import db
from app.models import Bid, PlanVersion
from app.versions import documents
from tests.factories import form_for
from tests.plan_forms import JUSTIFICATION, activities_form
from tests.review_steps import approve, fresh, mark_submitted, submit

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
# The only state changes allowed on a locked version: approved -> submitted (and the
# bid's outcome, which is not part of the version).
ALLOWED_ON_APPROVED = {"reviews.mark_submitted"}
EXPECTED = {"bids.edit", "bids.archive", "plans.level", "plans.activities", "plans.preview",
            "reviews.submit", "reviews.approve", "reviews.request_changes",
            "reviews.mark_submitted", "reviews.record_outcome", "reviews.add_comment",
            "reviews.reply", "reviews.resolve"}


def mutating_rules(app):
    """Every rule taking a bid_id that accepts POST, PUT, PATCH or DELETE."""
    return [rule for rule in app.url_map.iter_rules()
            if "bid_id" in rule.arguments and rule.methods & MUTATING]


def urls_for(app, rule, known: dict) -> list[str]:
    """The rule's URLs with the known values, every choice of an any() converter, 1 for
    other numbers and 'x' for other text."""
    options = []
    for name in sorted(rule.arguments):
        converter = rule._converters.get(name)
        if name in known:
            options.append([(name, known[name])])
        elif isinstance(converter, AnyConverter):
            options.append([(name, item) for item in sorted(converter.items)])
        else:
            options.append([(name, 1 if isinstance(converter, IntegerConverter) else "x")])
    with app.test_request_context():
        return [url_for(rule.endpoint, **dict(values)) for values in itertools.product(*options)]


def payloads(bid, version, comment_id) -> list[dict]:
    """One form holding what every route reads, with the version's and the bid's row_version."""
    data = {**form_for(bid.team_id, title="Changed", value_gbp="1"),
            **activities_form(version, **{"activities-0-people": "7"}),
            "level": "full", "justification": JUSTIFICATION, "comment-section": "plan",
            "comment-body": "Late comment", f"reply-{comment_id}-body": "Late reply",
            "resolved": "1", "changes-reason": "Change it after all", "outcome-outcome": "won",
            "archived": "1", "add_line": "1", "remove_line": "0"}
    variants = []
    for row_version in (version.row_version, bid.row_version):
        variant = dict(data, row_version=str(row_version))
        variant.update({f"{prefix}-row_version": str(row_version)
                        for prefix in ("submit", "approve", "changes", "submitted")})
        variants.append(variant)
    return variants


def snapshot(version_id: int) -> dict:
    """Everything about a version that approval fixes, read fresh from the database."""
    db.session.expire_all()
    version = db.session.get(PlanVersion, version_id)
    return {
        "inputs": version.inputs, "estimate": version.estimate, "level": version.level,
        "total_pence": version.total_pence, "rate_card_id": version.rate_card_id,
        "status": version.status, "approved_by_id": version.approved_by_id,
        "approved_at": version.approved_at, "pdf_sha256": version.pdf_sha256,
        "updated_by_id": version.updated_by_id, "submitted_at": version.submitted_at,
        "row_version": version.row_version, "document_pdf": version.document.pdf,
        "document_sha256": version.document.sha256,
        "comments": [(c.id, c.body, c.parent_id, c.resolved_at) for c in version.comments],
    }


@pytest.fixture
def locked_setup(bid, draft, team, as_user):
    """Version 1, commented on in review and then approved by a reviewer."""
    assert submit(as_user(team.writer), bid, draft).status_code == 302
    reviewer = as_user(team.reviewer)
    reviewer.post(f"/bids/{bid.id}/review/versions/1/comments",
                  data={"comment-section": "budget", "comment-body": "Fine by me."})
    [comment] = fresh(draft).comments
    assert approve(reviewer, bid, fresh(draft)).status_code == 302
    return fresh(draft), comment.id


def post_everything(app, client, bid, version, comment_id, skip=frozenset()) -> list[str]:
    """Send every mutating request to every mutating route; return what was tried."""
    tried = []
    for rule in mutating_rules(app):
        if rule.endpoint in skip:
            continue
        known = {"bid_id": bid.id, "number": version.number, "comment_id": comment_id}
        for address, method, data in itertools.product(
                urls_for(app, rule, known), sorted(rule.methods & MUTATING),
                payloads(db.session.get(Bid, bid.id), fresh(version), comment_id)):
            response = client.open(address, method=method, data=data)
            assert response.status_code < 500, (method, address, response.status_code)
            tried.append(rule.endpoint)
    return tried


@pytest.mark.parametrize("who", ["admin", "writer", "reviewer"])
def test_no_route_changes_an_approved_version(app, locked_setup, bid, team, as_user, who):
    version, comment_id = locked_setup
    before = snapshot(version.id)
    client = as_user(getattr(team, who))
    tried = post_everything(app, client, bid, version, comment_id, skip=ALLOWED_ON_APPROVED)
    assert set(tried) >= EXPECTED - ALLOWED_ON_APPROVED
    assert snapshot(version.id) == before
    response = client.get(f"/bids/{bid.id}/plan/versions/1/pdf")
    assert response.data == before["document_pdf"]
    assert documents.sha256(response.data) == before["pdf_sha256"]


def test_marking_submitted_changes_only_the_status_and_then_nothing_changes(
        app, locked_setup, bid, team, as_user):
    version, comment_id = locked_setup
    before = snapshot(version.id)
    client = as_user(team.admin)
    assert mark_submitted(client, bid, version).status_code == 302
    after = snapshot(version.id)
    assert after["status"] == "submitted" and after["submitted_at"] is not None
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"status", "submitted_at", "row_version"}
    tried = post_everything(app, client, bid, version, comment_id)
    assert set(tried) >= EXPECTED
    assert snapshot(version.id) == after
    assert db.session.get(Bid, bid.id).outcome == "won"  # the outcome is allowed after submission


def test_editing_an_approved_plan_starts_a_new_draft_that_copies_it(locked_setup, bid, team,
                                                                    as_user):
    version, _ = locked_setup
    before = snapshot(version.id)
    people = version.inputs["activities"][0]["people"]
    response = as_user(team.writer).post(f"/bids/{bid.id}/plan/activities", data=activities_form(
        version, **{"activities-0-people": str(people + 1)}))
    assert response.status_code == 302
    assert snapshot(version.id) == before
    copy = db.session.scalar(db.select(PlanVersion).where(PlanVersion.bid_id == bid.id,
                                                          PlanVersion.number == 2))
    assert copy.status == "draft" and copy.created_by_id == team.writer.id
    assert copy.document is None and copy.approved_by_id is None and copy.pdf_sha256 is None
    assert copy.comments == []
    expected = [dict(line) for line in version.inputs["activities"]]
    expected[0]["people"] = people + 1
    assert copy.inputs["activities"] == expected
    assert {key: value for key, value in copy.inputs.items() if key != "activities"} == {
        key: value for key, value in version.inputs.items() if key != "activities"}
    assert db.session.get(Bid, bid.id).status == "draft"


def test_an_unchanged_save_of_an_approved_plan_copies_it_exactly(locked_setup, bid, team,
                                                                 as_user):
    version, _ = locked_setup
    response = as_user(team.writer).post(f"/bids/{bid.id}/plan/activities",
                                         data=activities_form(version))
    assert response.status_code == 302
    copy = db.session.scalar(db.select(PlanVersion).where(PlanVersion.bid_id == bid.id,
                                                          PlanVersion.number == 2))
    assert copy.inputs == version.inputs and copy.estimate == version.estimate
    assert copy.number == 2 and fresh(version).status == "approved"


def test_the_plan_pages_say_on_opening_that_a_version_in_review_cannot_change(
        in_review, bid, team, as_user):
    """Before anyone types into a plan that cannot be saved, not only after pressing Save."""
    writer = as_user(team.writer)
    for page in ("level", "activities"):
        text = writer.get(f"/bids/{bid.id}/plan/{page}").get_data(as_text=True)
        assert f"Version {in_review.number} is waiting for review, so it cannot change" in text, page


def test_a_draft_opens_without_the_review_notice(draft, bid, team, as_user):
    writer = as_user(team.writer)
    for page in ("level", "activities"):
        assert "waiting for review" not in writer.get(f"/bids/{bid.id}/plan/{page}").get_data(
            as_text=True), page
