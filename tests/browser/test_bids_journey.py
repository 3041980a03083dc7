"""A new writer's first visit, in a real browser: sign in, describe a bid, fix a
mistake, edit it, sign out. Every page is checked with axe-core (WCAG 2.2 AA)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import loaded

pytestmark = pytest.mark.browser

WRITER = "lead@example.org"
# Markup, an ampersand, curly quotes, an emoji and right-to-left text: shown exactly, never run.
HOSTILE_TITLE = "<script>alert(1)</script> & “quotes” 😀 שלום"
NEGATIVE_VALUE_ERROR = "Bid value must be more than £0 and at most £1,000,000,000"


def error_summary(page):
    return page.locator(".govuk-error-summary")


def assert_summary_links_focus_their_fields(page) -> None:
    """Each link in the error summary moves focus to the field it names."""
    links = error_summary(page).get_by_role("link")
    assert links.count() > 0
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        assert target and target.startswith("#"), f"summary link without a field: {target}"
        link.click()
        expect(page.locator(target)).to_be_focused()


def test_a_new_writer_describes_edits_and_finds_a_bid(page, base_url, assert_accessible,
                                                      page_problems):
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in")
    expect(page).to_have_title("Sign in – Co-production Planner")
    assert_accessible(page)

    # Signing in with nothing entered names both fields at the top.
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – Co-production Planner")
    expect(error_summary(page).get_by_role("link")).to_have_text(
        ["Enter your email address", "Enter your password"])
    assert_accessible(page)
    assert_summary_links_focus_their_fields(page)

    page.get_by_label("Email address").fill(WRITER)
    page.get_by_label("Password").fill("coproduce-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/bids/")
    expect(page.get_by_role("link", name="Care Act training for frontline staff")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Create a bid").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Describe the bid")
    assert_accessible(page)

    page.get_by_label("Bid title").fill(HOSTILE_TITLE)
    page.get_by_label("Client or funder").fill("Northshire County Council")
    page.get_by_label("Bid reference").fill("NCC-2027-101")
    page.get_by_label("Bid value in pounds").fill("-500")
    page.get_by_label("Start date").fill("2027-04-01")
    page.get_by_label("Duration in months").fill("12")
    page.get_by_label("Scope").select_option(label="Regional")
    page.get_by_label("Kind of work").select_option(label="Research")
    page.get_by_label("The client requires co-production").check()
    page.get_by_label("Submission deadline").fill("2027-01-29")
    page.get_by_role("button", name="Create bid").click()

    # The mistake: a summary at the top (focused, so a screen reader hears it),
    # the message again at the field, and nothing else lost.
    expect(page).to_have_title("Error: Create a bid – Co-production Planner")
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text([NEGATIVE_VALUE_ERROR])
    # The field's own description carries the message, so it is read out at the field.
    expect(page.get_by_label("Bid value in pounds")).to_have_accessible_description(
        re.compile(re.escape(NEGATIVE_VALUE_ERROR)))
    expect(page.get_by_label("Bid title")).to_have_value(HOSTILE_TITLE)
    assert_accessible(page)

    assert_summary_links_focus_their_fields(page)
    expect(page.get_by_label("Bid value in pounds")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("120000")
    page.get_by_role("button", name="Create bid").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/bids/\d+$"))
    bid_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_TITLE)
    expect(page).to_have_title(f"{HOSTILE_TITLE} – Co-production Planner")
    expect(page.get_by_role("alert")).to_contain_text(f"Bid “{HOSTILE_TITLE}” created.")
    expect(page.get_by_role("definition").filter(has_text="£120,000.00")).to_have_count(1)
    expect(page.locator("main li").filter(has_text=f"Created bid “{HOSTILE_TITLE}”")).to_have_count(1)
    assert page.locator("main script").count() == 0, "typed markup became a script element"
    assert_accessible(page)

    page.get_by_role("link", name="Edit bid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit bid")
    expect(page.get_by_label("Bid title")).to_have_value(HOSTILE_TITLE)
    expect(page.get_by_label("Bid value in pounds")).to_have_value("120000.00")
    assert_accessible(page)

    page.get_by_label("Client or funder").fill("Southshire Borough Council")
    page.get_by_label("Duration in months").fill("18")
    page.get_by_role("button", name="Save bid").click()
    expect(page).to_have_url(bid_url)
    expect(page.get_by_role("alert")).to_contain_text("Bid saved.")
    expect(page.get_by_role("definition").filter(has_text="Southshire Borough Council")).to_have_count(1)
    expect(page.get_by_role("definition").filter(has_text="18 months")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bids").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=HOSTILE_TITLE, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Southshire Borough Council")
    expect(row).to_contain_text("£120,000.00")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base_url}/sign-in")
    expect(page.get_by_role("alert")).to_contain_text("You have signed out.")
    assert_accessible(page)

    page.goto(bid_url)
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/sign-in\?next="))
    expect(page.get_by_role("region", name="Important")).to_contain_text("Sign in to continue.")
    assert_accessible(page)
    assert page_problems.dialogs == [], "typed markup ran as script"


def test_edit_and_archive_line_up_on_the_bid_page(page, sign_in):
    """The archive button (in its own form) sits level with the edit link beside it."""
    sign_in(page, WRITER)
    page.get_by_role("link", name="Care Act training for frontline staff").click()
    edit = loaded(page).get_by_role("link", name="Edit bid").bounding_box()
    archive = page.get_by_role("button", name="Archive bid").bounding_box()
    assert edit and archive and abs(edit["y"] - archive["y"]) < 1, (edit, archive)


def test_a_missing_page_is_friendly_and_accessible(page, assert_accessible):
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the start page")).to_be_visible()
    assert_accessible(page)


def test_a_bid_that_does_not_exist_answers_404_when_signed_in(page, sign_in, assert_accessible):
    sign_in(page, WRITER)
    response = page.goto("/bids/999999")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_a_form_with_a_forged_csrf_token_is_refused_kindly(page, sign_in, assert_accessible):
    sign_in(page, WRITER)
    page.goto("/bids/new")
    page.locator("main input[name=csrf_token]").evaluate("field => field.value = 'forged'")
    page.get_by_label("Bid title").fill("Never saved")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Create bid").click()
    assert posted.value.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("The request could not be understood")
    expect(page.get_by_role("main")).to_contain_text("reload the page and try again")
    assert_accessible(page)
    page.goto("/bids/?q=Never+saved")
    expect(page.get_by_role("main")).to_contain_text("No bids match.")


def test_assert_accessible_names_each_violation(page, assert_accessible):
    """The checker itself: a page with known faults must fail, naming rule, impact and node."""
    page.goto("/sign-in")
    page.evaluate("""() => {
        const main = document.querySelector("main");
        main.insertAdjacentHTML("beforeend",
            '<input id="unlabelled-field" type="text"><button id="nameless-button"></button>' +
            '<p id="main-content">A second main-content</p>');
    }""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    report = str(failure.value)
    assert "- label (critical): Form elements must have labels" in report
    assert "#unlabelled-field" in report
    assert "- button-name (critical)" in report
    assert "#nameless-button" in report
    assert "- duplicate id: #main-content" in report


def test_the_page_fixture_records_dialogs_script_errors_and_broken_assets(page, base_url,
                                                                          page_problems):
    """The guard the journey relies on: had the typed title run, the dialog would be caught."""
    page.goto("/sign-in")
    page.evaluate("alert('ran')")
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate("console.error('something broke')")
    with page.expect_response("**/static/no-such-image.png"):
        page.evaluate("""() => {
            const image = document.createElement("img");
            image.alt = "";
            image.src = "/static/no-such-image.png";
            document.querySelector("main").append(image);
        }""")
    assert page_problems.summary() == {
        "script_errors": ["something broke"],
        "broken_assets": [f"404 {base_url}/static/no-such-image.png"],
        "dialogs": ["alert: ran"]}
    for kind in (page_problems.script_errors, page_problems.broken_assets, page_problems.dialogs):
        kind.clear()


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()


def test_signing_in_needs_only_tab_and_enter(page, base_url):
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Co-production Planner")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(WRITER)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("coproduce-demo")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}/bids/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bids")


def horizontal_overflow(page) -> int:
    """How many CSS px the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return loaded(page).evaluate("document.documentElement.scrollWidth - window.innerWidth")


def header_items_outside_the_header(page) -> list[str]:
    """Header links and text that spill out of the header's own (dark) box when it wraps."""
    return loaded(page).evaluate("""() => {
        const header = document.querySelector("header").getBoundingClientRect();
        return Array.from(document.querySelectorAll("header a, header button, header span"))
            .filter(item => {
                const box = item.getBoundingClientRect();
                return box.bottom > header.bottom || box.right > header.right;
            })
            .map(item => item.textContent.trim());
    }""")


def assert_reflows(page) -> None:
    assert horizontal_overflow(page) <= 0, f"{page.url} scrolls sideways"
    assert header_items_outside_the_header(page) == []


@pytest.mark.parametrize("email", [WRITER, "admin@example.org"])
def test_the_bid_form_reflows_at_400_percent_zoom(page, sign_in, assert_accessible, email):
    """1280 px at 400% zoom is 320 CSS px: no sideways scrolling, nothing spilling (WCAG 1.4.10)."""
    page.set_viewport_size({"width": 1280 // 4, "height": 1024 // 4})
    page.goto("/sign-in")
    assert_reflows(page)
    sign_in(page, email)
    page.goto("/bids/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Describe the bid")
    assert_reflows(page)
    assert_accessible(page)

    page.get_by_label("Bid title").fill("x" * 200)
    page.get_by_label("Bid value in pounds").fill("-1")
    page.get_by_role("button", name="Create bid").click()
    expect(error_summary(page)).to_be_visible()
    assert_reflows(page)
    assert_accessible(page)
