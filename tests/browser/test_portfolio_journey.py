"""The portfolio pages in a real browser, checked with axe-core (WCAG 2.2 AA).

Uses the browser fixtures of tests/browser/conftest.py (live server with the demo data,
headless Chromium, axe-core); adds a handful of bids to the live database.
"""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Bid

pytestmark = pytest.mark.browser
ADMIN = "admin@example.org"


@pytest.fixture
def portfolio_bids(live_app):
    """A few bids of every kind in the demo team (added once per session database)."""
    from tests.test_portfolio import add_bid

    with live_app.app_context():
        if db.session.scalar(db.select(Bid).where(Bid.title == "Portfolio A")) is None:
            today = date.today()
            add_bid("Portfolio A", "Demo", deadline=today, value_gbp=100_000, outcome="won",
                    versions=[("submitted", "good", 8_000, [])])
            add_bid("Portfolio B", "Demo", deadline=today, value_gbp=20_000, requires=True,
                    versions=[("draft", "limited", 4_000,
                               ["disproportionate", "below_client_requirement"])])
            add_bid("Portfolio C", "Demo", deadline=today, value_gbp=30_000)
        db.session.remove()


def test_portfolio_pages_are_accessible(page, sign_in, assert_accessible,
                                        portfolio_bids):
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Portfolio")).to_be_visible()
    expect(page.get_by_role("link", name="Portfolio A")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Level of co-production").select_option("limited")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Portfolio B")).to_be_visible()
    expect(page.get_by_role("link", name="Portfolio A")).to_have_count(0)
    page.get_by_role("link", name="KPIs and charts").click()
    expect(page.get_by_role("img", name="Bids by level and quarter")).to_be_visible()
    expect(page.get_by_role("table", name="Bids by level and quarter")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change the targets").click()
    assert_accessible(page)
    page.get_by_label("Co-production income target for the year, in pounds").fill("lots")
    page.get_by_role("button", name="Save targets").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Income target must be an amount in pounds, like 100000")
    assert_accessible(page)
