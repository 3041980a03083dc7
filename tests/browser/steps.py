"""Steps a person takes in the browser, shared by the journeys."""
from __future__ import annotations

from playwright.sync_api import Page, expect


def loaded(page: Page) -> Page:
    """Wait until the page is as a reader gets it, stylesheets and scripts applied. A click
    that navigates returns once the new page starts arriving; on a busy machine, checks
    made then measured (and ran axe on) a page without its styles."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    return page


def create_bid(page: Page, title: str, *, client: str, value: str, months: str, kind: str,
               scope: str | None = None, requires_coproduction: bool = True) -> None:
    """Fill in and send the new-bid form from the bid list, and land on the bid's page."""
    page.get_by_role("link", name="Create a bid").click()
    page.get_by_label("Bid title").fill(title)
    page.get_by_label("Client or funder").fill(client)
    page.get_by_label("Bid value in pounds").fill(value)
    page.get_by_label("Start date").fill("2027-04-01")
    page.get_by_label("Duration in months").fill(months)
    if scope is not None:
        page.get_by_label("Scope").select_option(scope)
    page.get_by_label("Kind of work").select_option(kind)
    if requires_coproduction:
        page.get_by_label("The client requires co-production").check()
    page.get_by_role("button", name="Create bid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
