"""Journey step 7 in a real browser: a writer builds a plan and sends it for review; a
reviewer comments and asks for changes; the writer replies, edits and resubmits; the
reviewer approves; the writer downloads the approved PDF and its SHA-256 matches the
one stored and shown. axe-core checks every review page on the way."""
from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Bid, PlanVersion, Team, User

pytestmark = pytest.mark.browser

WRITER = "lead@example.org"
REVIEWER = "reviewer@example.org"
LINE_2 = "Line 2: Advisory group member"
REASON = "Add a BSL interpreter for the advisory group: one member signs."


@pytest.fixture
def review_bid(live_app) -> tuple[int, str]:
    """A fresh bid of the demo team, complete enough to go for review."""
    title = f"Review journey {uuid4().hex[:8]}"
    with live_app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Demo"))
        lead = db.session.scalar(select(User).where(User.email == WRITER))
        bid = Bid(team=team, title=title, client="Northshire County Council",
                  reference="NCC-REV-1", value_pence=9_000_000, start_date=date(2027, 4, 1),
                  duration_months=12, scope="local", work_type="training",
                  client_requires_coproduction=True, deadline=date(2027, 1, 29), created_by=lead)
        db.session.add(bid)
        db.session.commit()
        bid_id = bid.id
        db.session.remove()
    return bid_id, title


def stored_version(live_app, bid_id: int, number: int) -> dict:
    with live_app.app_context():
        version = db.session.scalar(select(PlanVersion).where(PlanVersion.bid_id == bid_id,
                                                              PlanVersion.number == number))
        values = {"status": version.status, "pdf_sha256": version.pdf_sha256,
                  "pdf": version.document.pdf if version.document else None}
        db.session.remove()
    return values


def switch_user(page, sign_in, email: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert")).to_contain_text("You have signed out.")
    sign_in(page, email)


def flash(page):
    return page.get_by_role("alert")


def test_a_plan_goes_through_review_to_an_approved_pdf(page, base_url, sign_in, live_app,
                                                       assert_accessible, review_bid, tmp_path):
    bid_id, title = review_bid
    review_url = f"{base_url}/bids/{bid_id}/review/versions/1"

    # The writer builds the plan and sends it for review from the estimate page.
    sign_in(page, WRITER)
    page.goto(f"/bids/{bid_id}/plan/level")
    page.get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles and activities")
    page.get_by_role("button", name="Save and see the estimate").click()
    expect(page).to_have_url(f"{base_url}/bids/{bid_id}/plan/versions/1")
    panel = page.get_by_test_id("review-panel")
    expect(panel).to_contain_text("Draft")
    assert_accessible(page)
    panel.get_by_role("button", name="Submit for review").click()
    expect(page).to_have_url(review_url)
    expect(flash(page)).to_contain_text("Version 1 sent for review")
    expect(page.get_by_test_id("status")).to_have_text("In review")
    assert_accessible(page)

    # The reviewer finds it waiting, comments on a line, and asks for changes.
    switch_user(page, sign_in, REVIEWER)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notifications \d+ unread$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    page.get_by_test_id("waiting").get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page).to_have_url(review_url)
    expect(page.get_by_role("button", name="Approve version 1")).to_be_visible()
    page.get_by_label("What is the comment about?").select_option(label=LINE_2)
    page.get_by_label("Comment", exact=True).fill("Will anyone on this line need BSL?")
    page.get_by_role("button", name="Add comment").click()
    expect(flash(page)).to_contain_text("Comment added.")
    expect(page.get_by_test_id("comment")).to_contain_text(LINE_2)
    page.get_by_role("button", name="Request changes").click()  # no reason yet
    expect(page).to_have_title(re.compile(r"^Error: Review version 1"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter what needs to change before you can approve"])
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("What needs to change")).to_be_focused()
    page.get_by_label("What needs to change").fill(REASON)
    page.get_by_role("button", name="Request changes").click()
    expect(flash(page)).to_contain_text("Changes requested on version 1")
    expect(page.get_by_test_id("status")).to_have_text("Changes requested")
    assert_accessible(page)

    # The writer replies, edits the plan and sends it back.
    switch_user(page, sign_in, WRITER)
    page.goto("/notifications/")
    expect(page.get_by_test_id("notifications")).to_contain_text("asked for changes")
    page.goto(review_url)
    expect(page.get_by_test_id("comment").filter(has_text=REASON)).to_have_count(1)
    thread = page.get_by_test_id("comment").filter(has_text=LINE_2)
    thread.get_by_role("textbox", name=re.compile("^Reply")).fill("Yes: one member signs.")
    thread.get_by_role("button", name=re.compile("^Reply")).click()
    expect(flash(page)).to_contain_text("Reply added.")
    expect(page.get_by_test_id("reply")).to_contain_text("Yes: one member signs.")
    page.goto(f"/bids/{bid_id}/plan/activities")
    page.locator("#line-1").get_by_label("BSL interpreters needed").check()
    page.get_by_role("button", name="Save and see the estimate").click()
    expect(page).to_have_url(f"{base_url}/bids/{bid_id}/plan/versions/1")
    page.get_by_test_id("review-panel").get_by_role("button", name="Submit for review").click()
    expect(flash(page)).to_contain_text("Version 1 sent for review")

    # The reviewer approves it; the page shows who, when and the document's SHA-256.
    switch_user(page, sign_in, REVIEWER)
    page.goto(review_url)
    page.get_by_role("button", name="Approve version 1").click()
    expect(flash(page)).to_contain_text("Version 1 approved and locked")
    expect(page.get_by_test_id("status")).to_have_text("Approved")
    expect(page.get_by_test_id("approved-by")).to_contain_text("Rae Reviewer")
    expect(page.get_by_text("Comments are closed: this version is locked.")).to_be_visible()
    assert_accessible(page)

    # The writer downloads the approved plan: the bytes hash to what is shown and stored.
    switch_user(page, sign_in, WRITER)
    page.goto(review_url)
    shown = page.get_by_test_id("pdf-sha256").inner_text().strip()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the plan document (PDF), as approved").click()
    saved = Path(tmp_path) / "approved.pdf"
    download.value.save_as(saved)
    content = saved.read_bytes()
    stored = stored_version(live_app, bid_id, 1)
    assert stored["status"] == "approved"
    assert hashlib.sha256(content).hexdigest() == shown == stored["pdf_sha256"]
    assert content == stored["pdf"]
    direct = page.request.get(f"/bids/{bid_id}/plan/versions/1/pdf")
    assert hashlib.sha256(direct.body()).hexdigest() == shown

    # Editing the approved plan starts version 2; the two compare on one page.
    page.goto(f"/bids/{bid_id}/plan/activities")
    page.get_by_label("Easy read pages").fill("8")
    page.get_by_role("button", name="Save and see the estimate").click()
    expect(page).to_have_url(f"{base_url}/bids/{bid_id}/plan/versions/2")
    panel = page.get_by_test_id("review-panel")
    panel.get_by_role("link", name="Compare with another version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare version 1 with version 2")
    expect(page.get_by_test_id("settings-changes")).to_contain_text("Easy read pages")
    assert_accessible(page)
    page.goto(f"/bids/{bid_id}/review/history")
    expect(page.get_by_test_id("event").filter(has_text="Approved version 1")).to_have_count(1)
    assert_accessible(page)
    assert stored_version(live_app, bid_id, 1)["pdf_sha256"] == shown
