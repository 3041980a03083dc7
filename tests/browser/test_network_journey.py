"""The network register in a real browser: a coordinator adds a member who needs BSL,
assigns them to an advisory group line and sees the BSL cost on the plan; the writer
sees the count but not the name. axe-core checks every register page."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Bid, Team, User
from app.versions import store
from tests.browser.steps import loaded

pytestmark = pytest.mark.browser
COORDINATOR, WRITER = "network@example.org", "lead@example.org"
NAME = "Bea Browser-Signer"
TITLE = "Network journey: a national evidence review"


@pytest.fixture
def network_bid(live_app) -> dict:
    """A Demo-team bid whose plan has one advisory group line, nobody on it yet."""
    with live_app.app_context():
        bid = db.session.scalar(db.select(Bid).where(Bid.title == TITLE))
        if bid is None:
            team = db.session.scalar(db.select(Team).where(Team.name == "Demo"))
            writer = db.session.scalar(db.select(User).where(User.email == WRITER))
            bid = Bid(team=team, title=TITLE, client="A research funder", reference="NET-1",
                      value_pence=20_000_000, start_date=date(2027, 9, 1), duration_months=12,
                      scope="national", work_type="research", created_by=writer)
            db.session.add(bid)
            db.session.commit()
            store.save_plan(bid, {"level": "limited", "activities": [
                {"role": "advisory_group_member", "people": 6, "sessions": 4,
                 "mode": "in_person", "travel": "national"}]}, writer, None)
        values = {"id": bid.id}
        db.session.remove()
    return values


def bsl_amount(live_app, bid_id: int) -> float | None:
    with live_app.app_context():
        version = store.latest_version(db.session.get(Bid, bid_id))
        amounts = [line["amount_gbp"] for line in version.estimate["lines"]
                   if "BSL" in line["description"]]
        db.session.remove()
    return amounts[0] if amounts else None


def test_coordinator_assigns_a_bsl_member_and_the_writer_sees_only_the_count(
        page, sign_in, assert_accessible, live_app, network_bid):
    bid_id = network_bid["id"]
    assert bsl_amount(live_app, bid_id) is None
    sign_in(page, COORDINATOR)
    page.get_by_role("link", name="Network", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Network register")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a member").first.click()
    page.get_by_role("button", name="Add member").click()  # empty: every problem named
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the member's name")
    assert_accessible(page)
    page.get_by_label("Individual (a person who uses services or a carer)").check()
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Region").select_option("london")
    page.get_by_label("Advisory group member").check()
    page.get_by_label("Areas of lived experience").fill("deaf")
    page.get_by_label("British Sign Language interpreter").check()
    page.get_by_label("Paid", exact=True).check()
    page.get_by_label("Joined the network on").fill("2025-05-01")
    page.get_by_label("They consent to being proposed for bid work").check()
    page.get_by_label("Consent given on").fill("2025-05-01")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("heading", level=1, name=NAME)).to_be_visible()
    expect(page.get_by_text("British Sign Language interpreter")).to_be_visible()
    assert_accessible(page)
    member_url = page.url
    for path in ("/edit", "/erase"):
        page.goto(member_url + path)
        assert_accessible(page)
    for path in ("/network/import", "/network/meetings", "/network/meetings/new",
                 "/network/retention", "/network/?role=advisory_group_member&need=bsl"):
        page.goto(path)
        assert_accessible(page)

    page.goto(f"/bids/{bid_id}/plan/activities")
    page.locator("#line-network-0").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Advisory group member")
    assert_accessible(page)
    page.get_by_label(re.compile(NAME)).check()
    page.get_by_role("button", name="Assign to line 1").click()
    expect(page.get_by_text("the line's access needs now follow theirs")).to_be_visible()
    amount = bsl_amount(live_app, bid_id)
    assert amount is not None and amount > 0
    page.goto(f"/bids/{bid_id}/plan/activities")
    expect(page.locator("#activities-0-needs-bsl")).to_be_checked()
    version = page.goto(f"/bids/{bid_id}/plan/versions/1")
    assert version.ok
    expect(page.get_by_role("row", name=re.compile("BSL interpreters"))).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, WRITER)
    page.goto(f"/bids/{bid_id}/plan/activities")
    expect(page.locator("#line-network-0")).to_contain_text("network member")
    page.locator("#line-network-0").click()
    expect(page.locator("#line-count")).to_contain_text("already assigned")
    expect(page.get_by_text(NAME)).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Network", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Co-production network")).to_be_visible()
    expect(page.get_by_text(NAME)).to_have_count(0)
    assert_accessible(page)


def test_register_pages_reflow_at_400_percent_zoom(page, sign_in, assert_accessible, tmp_path):
    """1280 CSS px at 400% zoom is 320 px: the column list of the import page wraps and the
    meetings, consent and involvement tables scroll in their own region, not the page."""
    sign_in(page, COORDINATOR)
    page.set_viewport_size({"width": 320, "height": 256})
    member = page.context.request.get("/network/").text()
    member_path = re.search(r'href="(/network/members/\d+)"', member)[1]
    for path in ("/network/", "/network/meetings", member_path, "/network/import"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    assert_accessible(page)
    wrong_columns = tmp_path / "members.csv"
    wrong_columns.write_text("display_name,kind\nBea,person\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(wrong_columns))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Nothing was imported: 1 problem in the file"))\
        .to_be_visible()
    assert loaded(page).evaluate("document.documentElement.scrollWidth <= window.innerWidth")
