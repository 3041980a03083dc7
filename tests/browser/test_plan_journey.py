"""Journey steps 1 to 5 in a real browser, as a new user: create a bid, choose a level,
change a line and watch the total change without a reload, hit an error and fix it,
reach the estimate, whose numbers are the engine's. axe checks every page."""
from __future__ import annotations

import re
from uuid import uuid4

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import costing
from app.extensions import db
from app.models import Bid, PlanVersion
from tests.browser.steps import create_bid

pytestmark = pytest.mark.browser


def stored_plan(live_app, title: str) -> dict:
    with live_app.app_context():
        bid = db.session.scalar(select(Bid).where(Bid.title == title))
        version = db.session.scalar(select(PlanVersion).where(PlanVersion.bid_id == bid.id)
                                    .order_by(PlanVersion.number.desc()))
        values = {"bid_id": bid.id, "inputs": version.inputs, "estimate": version.estimate}
        db.session.remove()
    return values


def test_new_user_costs_a_plan_from_bid_to_estimate(page, sign_in, assert_accessible,
                                                    live_app):
    title = f"Carers' transitions guide {uuid4().hex[:6]}"
    sign_in(page, "lead@example.org")
    create_bid(page, title, client="A county council", value="80000", months="12",
               kind="guidance")

    page.get_by_role("link", name="Plan co-production").click()
    expect(page.get_by_role("heading", name="Choose a level of co-production")).to_be_visible()
    expect(page.get_by_text("Recommended: Good")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("None").check()
    expect(page.get_by_label("Why is co-production not proportionate")).to_be_visible()
    page.get_by_label("Why is co-production not proportionate").fill("Too short")
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    page.get_by_label("Good").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Roles and activities")).to_be_visible()
    assert_accessible(page)

    total = page.get_by_test_id("summary-total")
    before = total.inner_text()
    people = page.locator("#activities-1-people")
    people.fill(str(int(people.input_value()) + 4))
    expect(total).not_to_have_text(before)  # recalculated in place, no reload
    assert page.get_by_role("heading", name="Roles and activities").is_visible()

    page.locator("#activities-0-hours_per_session").fill("13")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_title(re.compile("^Error: "))
    summary_link = page.get_by_role("link", name=re.compile("Hours per session must be"))
    expect(summary_link).to_be_visible()
    assert_accessible(page)
    summary_link.click()
    expect(page.locator("#activities-0-hours_per_session")).to_be_focused()
    page.locator("#activities-0-hours_per_session").fill("3")
    page.get_by_role("button", name="Save and see the estimate").click()
    expect(page.get_by_role("heading", name=re.compile("^Estimate"))).to_be_visible()
    assert_accessible(page)

    stored = stored_plan(live_app, title)
    engine = costing.estimate(stored["inputs"])
    assert stored["estimate"] == engine
    assert stored["inputs"]["activities"][0]["hours_per_session"] == 3
    expect(page.get_by_test_id("total")).to_have_text(costing.format_gbp(engine["total_gbp"]))
    expect(page.get_by_test_id("percent")).to_have_text(f"{engine['percent_of_bid']:.2f}%")
    expect(page.get_by_test_id("contingency")).to_have_text(
        costing.format_gbp(engine["uncertainty"]["recommended_contingency_gbp"]))
    lines = page.get_by_test_id("lines")
    for line in engine["lines"]:
        expect(lines).to_contain_text(costing.format_gbp(line["amount_gbp"]))


def test_the_plan_pages_work_without_javascript(browser, base_url, live_app):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_label("Password").fill("coproduce-demo")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Evidence review: transitions to adult services").click()
    page.goto(page.url + "/plan/level")
    page.get_by_label("Limited").check()
    page.get_by_role("button", name="Save and continue").click()
    page.locator("#activities-0-sessions").fill("3")
    page.get_by_role("button", name="Save and see the estimate").click()
    expect(page.get_by_role("heading", name=re.compile("^Estimate"))).to_be_visible()
    context.close()


def test_plan_pages_reflow_at_400_percent_zoom(page, sign_in, assert_accessible, live_app):
    """1280 CSS px at 400% zoom is 320 px wide: no sideways scrolling of the page (wide
    tables scroll inside their own focusable region instead)."""
    with live_app.app_context():
        bid_id = db.session.scalar(select(Bid.id).where(Bid.reference == "CC-2027-014"))
        db.session.remove()
    sign_in(page, "lead@example.org")
    page.set_viewport_size({"width": 320, "height": 256})
    for path in (f"/bids/{bid_id}/plan/level", f"/bids/{bid_id}/plan/activities",
                 f"/bids/{bid_id}/plan/versions/1", "/portfolio/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    assert_accessible(page)
