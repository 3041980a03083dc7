"""The plan editor in a real browser: a new bid through to a plan fitted to a budget,
the same total on the estimate page and in the PDF; axe-core with and without errors;
keyboard only; 30 lines at 1280 × 900 and at 400% zoom."""
from __future__ import annotations

import io
import re
from uuid import uuid4

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app import costing
from app.extensions import db
from app.models import Bid, PlanVersion, User
from app.versions import engine, store
from tests.browser.steps import create_bid

pytestmark = pytest.mark.browser
TAB_LIMIT = 600  # more than the focusable elements of a 30-line editor


def latest(live_app, bid_id: int) -> dict:
    """The bid's latest version: its inputs, estimate and rate card document."""
    with live_app.app_context():
        version = db.session.scalar(select(PlanVersion).where(PlanVersion.bid_id == bid_id)
                                    .order_by(PlanVersion.number.desc()))
        stored = {"inputs": version.inputs, "estimate": version.estimate,
                  "card": version.rate_card.values}
        db.session.remove()
    return stored


def bid_with_plan(live_app, lines: int | None = None) -> int:
    """A new bid of the demo lead's team with its good starting plan (or ``lines`` lines)."""
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "lead@example.org"))
        template = db.session.scalar(select(Bid).where(Bid.reference == "CC-2027-014"))
        bid = Bid(title=f"Editor bid {uuid4().hex[:6]}", client="A council",
                  value_pence=8_500_000, start_date=template.start_date, duration_months=18,
                  scope="local", work_type="research", client_requires_coproduction=True,
                  team_id=template.team_id, created_by_id=user.id)
        db.session.add(bid)
        db.session.flush()
        inputs = engine.with_level(engine.starting_inputs(None), bid, "good", None,
                                   engine.plan_rate_card(None))
        if lines is not None:
            roles = list(costing.ROLES)
            inputs["activities"] = [costing.new_line(roles[i % len(roles)],
                                                     engine.bid_document(bid))
                                    for i in range(lines)]
        store.save_plan(bid, inputs, user, None)
        bid_id = bid.id
        db.session.remove()
    return bid_id


def tab_to(page, target) -> None:
    """Press Tab (only Tab) until ``target`` has the focus."""
    for _ in range(TAB_LIMIT):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{target} cannot be reached with the Tab key")


def pdf_text(page, link_name: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    with open(download.value.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    return " ".join(" ".join((sheet.extract_text() or "").split()) for sheet in reader.pages)


def test_new_bid_take_the_recommendation_fit_to_five_percent_and_find_the_total_everywhere(
        page, sign_in, assert_accessible, live_app):
    title = f"Local research {uuid4().hex[:6]}"
    sign_in(page, "lead@example.org")
    create_bid(page, title, client="A city council", value="85000", months="18",
               kind="research", scope="local")

    page.get_by_role("link", name="Plan co-production").click()
    recommended = re.search(r"Recommended: (\w+)", page.content())[1]
    page.get_by_label(recommended, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Roles and activities")).to_be_visible()
    assert_accessible(page)

    with live_app.app_context():
        bid_id = db.session.scalar(select(Bid.id).where(Bid.title == title))
        db.session.remove()
    version = latest(live_app, bid_id)
    fitted = costing.fit(version["inputs"], budget_percent=5, card=version["card"])
    new_total = costing.format_gbp(fitted["estimate"]["total_gbp"])

    page.get_by_label("Or a share of the bid value, in %").fill("5")
    page.get_by_role("button", name="Preview the fit").click()
    preview = page.locator("#fit-preview")
    expect(preview).to_be_focused()
    expect(page.get_by_test_id("fit-total")).to_contain_text(new_total)
    for change in fitted["changes"]:
        expect(preview).to_contain_text(f"Line {change['activity_index'] + 1}")
    if fitted["bound"] == "floor":  # the level's floor alone costs more than the budget
        expect(preview).to_contain_text("Even trimmed to its level's floor")
    else:
        assert fitted["estimate"]["percent_of_bid"] <= 5
    assert_accessible(page)
    page.get_by_role("button", name="Apply and save these changes").click()
    total = page.get_by_test_id("summary-total")
    expect(total).to_have_text(new_total)  # in place, on the editor
    expect(page.get_by_test_id("summary-share")).to_have_text(
        f"{fitted['estimate']['percent_of_bid']:.2f}%")
    for change in fitted["changes"]:
        field = page.locator(f"#activities-{change['activity_index']}-{change['field']}")
        expect(field).to_have_value(str(change["to"]))

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"Plan saved as version \d+"))).to_be_visible()
    expect(total).to_have_text(new_total)
    page.get_by_role("button", name="Save and see the estimate").click()
    expect(page.get_by_test_id("total")).to_have_text(new_total)
    assert new_total in pdf_text(page, "Co-production plan (PDF)")
    saved = latest(live_app, bid_id)
    assert saved["inputs"]["activities"] == fitted["plan"]["activities"]


def test_the_editor_passes_axe_with_errors_showing(page, sign_in, assert_accessible, live_app):
    bid_id = bid_with_plan(live_app)
    sign_in(page, "lead@example.org")
    page.goto(f"/bids/{bid_id}/plan/activities")
    page.locator("#activities-1-people").fill("")
    page.locator("#activities-2-hours_per_session").fill("lots")
    page.get_by_label("Budget in pounds").fill("12 pounds")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator("#activities-1-people-error")).to_be_visible()
    expect(page.locator("#activities-2-hours_per_session-error")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Line 2 .*: Enter number of people"))).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 256})
    assert_accessible(page)


def test_keyboard_only_add_change_remove_fit_and_save(page, sign_in, live_app):
    bid_id = bid_with_plan(live_app)
    lines = len(latest(live_app, bid_id)["inputs"]["activities"])
    sign_in(page, "lead@example.org")
    page.goto(f"/bids/{bid_id}/plan/activities")

    tab_to(page, page.get_by_role("button", name="Add a line"))
    page.keyboard.press("Enter")
    new_role = page.locator(f"#activities-{lines}-role")
    expect(new_role).to_be_focused()  # the new row, ready to edit

    page.keyboard.press("Tab")  # role -> people of the new line
    expect(page.locator(f"#activities-{lines}-people")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # Enter in a field saves
    expect(page.get_by_text(re.compile(r"Plan saved as version"))).to_be_visible()
    assert latest(live_app, bid_id)["inputs"]["activities"][lines]["people"] == 3

    tab_to(page, page.get_by_role("button", name=f"Remove line {lines + 1} "))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Line removed.")).to_be_visible()
    assert len(latest(live_app, bid_id)["inputs"]["activities"]) == lines

    tab_to(page, page.get_by_label("Or a share of the bid value, in %"))
    page.keyboard.type("5")
    tab_to(page, page.get_by_role("button", name="Preview the fit"))
    page.keyboard.press("Enter")
    expect(page.locator("#fit-preview")).to_be_focused()
    tab_to(page, page.get_by_role("button", name="Apply and save these changes"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Plan fitted to the budget"))).to_be_visible()

    tab_to(page, page.get_by_role("button", name="Save", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Plan saved as version"))).to_be_visible()


def test_thirty_lines_fit_two_screens_and_stack_at_400_percent(page, sign_in, assert_accessible,
                                                                live_app):
    bid_id = bid_with_plan(live_app, lines=30)
    sign_in(page, "lead@example.org")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/bids/{bid_id}/plan/activities")
    expect(page.locator("tr.app-lines__row")).to_have_count(30)
    assert page.evaluate("document.querySelector('#plan-lines').offsetHeight") <= 2 * 900
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 256})  # 1280 px at 400% zoom
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_text("Number of people", exact=True).first).to_be_visible()


def test_without_javascript_add_copy_remove_fit_and_save(browser, base_url, live_app):
    bid_id = bid_with_plan(live_app)
    lines = len(latest(live_app, bid_id)["inputs"]["activities"])
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_label("Password").fill("coproduce-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/bids/{bid_id}/plan/activities")
    page.get_by_label("Role for the new line").select_option("blogger")
    page.get_by_role("button", name="Add a line").click()
    expect(page.locator("tr.app-lines__row")).to_have_count(lines + 1)
    page.get_by_role("button", name=f"Copy line {lines + 1} ").click()
    expect(page.locator("tr.app-lines__row")).to_have_count(lines + 2)
    page.get_by_role("button", name=f"Remove line {lines + 2} ").click()
    page.get_by_role("button", name=f"Remove line {lines + 1} ").click()
    expect(page.locator("tr.app-lines__row")).to_have_count(lines)
    before = latest(live_app, bid_id)
    fitted = costing.fit(before["inputs"], budget_gbp=6000, card=before["card"])
    page.get_by_label("Budget in pounds").fill("6000")
    page.get_by_role("button", name="Preview the fit").click()
    expect(page.locator("#fit-preview")).to_contain_text("Preview: the plan fitted to £6,000.00")
    page.get_by_role("button", name="Apply and save these changes").click()
    expect(page.get_by_text(re.compile(r"Plan fitted to the budget"))).to_be_visible()
    page.get_by_role("button", name="Save and see the estimate").click()
    expect(page.get_by_role("heading", name=re.compile("^Estimate"))).to_be_visible()
    expect(page.get_by_test_id("total")).to_have_text(
        costing.format_gbp(fitted["estimate"]["total_gbp"]))
    saved = latest(live_app, bid_id)
    assert saved["inputs"]["activities"] == fitted["plan"]["activities"]
    context.close()


def test_line_costs_and_the_summary_recalculate_as_you_type(page, sign_in, live_app):
    bid_id = bid_with_plan(live_app)
    stored = latest(live_app, bid_id)
    sign_in(page, "lead@example.org")
    page.goto(f"/bids/{bid_id}/plan/activities")
    total, cost = page.get_by_test_id("summary-total"), page.locator("#line-cost-1")
    before_total, before_cost, first_cost = (total.inner_text(), cost.inner_text(),
                                             page.locator("#line-cost-0").inner_text())
    people = page.locator("#activities-1-people")
    people.fill(str(int(people.input_value()) + 3))
    expect(cost).not_to_have_text(before_cost)
    expect(total).not_to_have_text(before_total)
    expect(page.locator("#line-cost-0")).to_have_text(first_cost)  # other lines unchanged
    assert latest(live_app, bid_id)["inputs"] == stored["inputs"]  # nothing saved
