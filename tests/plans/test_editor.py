"""The plan editor without JavaScript: one table row per line; add, copy, remove, save;
errors in their cells and in the summary; the live summary under the version's own
card; fit to a budget previewed, then applied as an audited save."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app import costing
from app.extensions import db
from app.models import AuditEvent, RateCard
from app.versions import engine
from tests.html import form_fields
from tests.plan_forms import activities_form, versions


@pytest.fixture
def planned(client, bid):
    """The bid with its good starting plan saved as version 1."""
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    return versions(bid.id)[0]


def page_of(client, bid) -> str:
    return client.get(f"/bids/{bid.id}/plan/activities").get_data(as_text=True)


def rows(page: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row app-lines__row" id="line-\d+">.*?</tr>',
                      page, re.S)


def test_each_line_is_one_row_with_its_fields_and_its_cost(client, bid, planned):
    page = page_of(client, bid)
    lines = planned.estimate["inputs"]["activities"]
    assert len(rows(page)) == len(lines)
    first = rows(page)[0]
    for name in ("role", "people", "sessions", "hours_per_session", "prep_hours_per_session",
                 "stage", "start_week", "mode", "travel", "start_time", "needs-bsl",
                 "needs-personal_assistants", "needs-carers_needing_replacement_care"):
        assert f'name="activities-0-{name}"' in first, name
    assert 'for="activities-0-people"' in first and ", line 1</span>" in first
    for index, cost in enumerate(costing.line_totals(planned.estimate)):
        assert re.search(rf'id="line-cost-{index}" class="app-money">{re.escape(costing.format_gbp(cost))}<',
                         page), index
    assert costing.format_gbp(planned.estimate["total_gbp"]) in page


def test_copy_puts_the_same_line_after_it_and_saves(client, bid, planned):
    lines = planned.inputs["activities"]
    response = client.post(f"/bids/{bid.id}/plan/activities",
                           data=activities_form(planned, duplicate_line="1"))
    assert response.status_code == 302 and response.headers["Location"].endswith("#line-2")
    db.session.refresh(planned)
    saved = planned.inputs["activities"]
    assert len(saved) == len(lines) + 1 and saved[2] == saved[1]
    assert [line["role"] for line in saved] == [line["role"] for line in
                                               [*lines[:2], lines[1], *lines[2:]]]
    assert planned.estimate == costing.estimate(planned.inputs)
    assert "Line 2 duplicated as line 3." in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_add_starts_from_the_roles_defaults(client, bid, planned):
    count = len(planned.inputs["activities"])
    response = client.post(f"/bids/{bid.id}/plan/activities",
                           data=activities_form(planned, add_line="1", new_role="co_trainer"))
    assert response.headers["Location"].endswith(f"#line-{count}")
    db.session.refresh(planned)
    assert planned.inputs["activities"][-1] == costing.new_line("co_trainer",
                                                                engine.bid_document(bid))


def test_remove_drops_even_a_line_with_a_bad_value(client, bid, planned):
    lines = planned.inputs["activities"]
    response = client.post(f"/bids/{bid.id}/plan/activities", data=activities_form(
        planned, remove_line="0", **{"activities-0-people": "lots"}))
    assert response.status_code == 302
    db.session.refresh(planned)
    assert planned.inputs["activities"] == lines[1:]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("people", "0", "Number of people must be a whole number from 1 to 500"),  # the engine's
    ("needs-personal_assistants", "x", "Personal assistants must be a whole number"),  # the form's
])
def test_a_bad_value_shows_in_its_cell_and_in_the_summary_and_stores_nothing(
        client, bid, planned, field, value, message):
    saved, audits = dict(planned.inputs), db.session.scalar(
        db.select(db.func.count()).select_from(AuditEvent))
    role = costing.ROLE_LABELS[planned.inputs["activities"][2]["role"]]
    response = client.post(f"/bids/{bid.id}/plan/activities", data=activities_form(
        planned, **{f"activities-2-{field}": value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error: " in page
    row = rows(page)[2]
    assert f'id="activities-2-{field}-error"' in row and message in row
    assert f'aria-describedby="activities-2-{field}-error"' in row
    assert f'<a href="#activities-2-{field}">Line 3 ({role}): {message}' in page
    db.session.refresh(planned)
    assert planned.inputs == saved and db.session.scalar(
        db.select(db.func.count()).select_from(AuditEvent)) == audits


def test_enter_in_a_field_saves_rather_than_copying_the_first_line(client, bid, planned):
    page = page_of(client, bid)
    first_submit = re.search(r'<button type="submit" name="(\w+)" value="(\w+)"', page)
    assert first_submit.groups() == ("action", "save")


def test_the_live_summary_uses_the_versions_own_card(client, bid, planned):
    """A draft keeps the card it was costed on while a newer card is the default: the
    summary as someone types and the save that follows give the same total."""
    own = planned.rate_card_id
    card = costing.default_rate_card()
    card["rates"]["contributor_hourly"] = 40.0
    card.update(id="org-2027", label="Dearer", effective_from="2026-06-01")
    db.session.execute(db.update(RateCard).values(is_default=False))
    db.session.add(RateCard(id="org-2027", label="Dearer", values=card, is_default=True,
                            effective_from=date(2026, 6, 1)))
    db.session.commit()
    data = activities_form(planned, **{"activities-0-people": "3"})
    live = client.post(f"/bids/{bid.id}/plan/preview", data=data).get_data(as_text=True)
    client.post(f"/bids/{bid.id}/plan/activities", data=data)
    db.session.refresh(planned)
    assert planned.rate_card_id == own != "org-2027"
    total = costing.format_gbp(planned.estimate["total_gbp"])
    assert f'data-testid="summary-total">{total}<' in live
    for index, cost in enumerate(costing.line_totals(planned.estimate)):
        assert (f'<span id="line-cost-{index}" class="app-money" hx-swap-oob="true">'
                f'{costing.format_gbp(cost)}</span>') in live


def fit_page(client, bid, planned, **budget):
    return client.post(f"/bids/{bid.id}/plan/activities",
                       data=activities_form(planned, fit="preview", **budget))


def test_fit_preview_shows_every_change_and_the_new_total_and_saves_nothing(client, bid,
                                                                              planned):
    saved = dict(planned.inputs)
    page = fit_page(client, bid, planned, budget_percent="5").get_data(as_text=True)
    expected = costing.fit(engine.plan_document(bid, planned.inputs, planned.rate_card),
                           budget_percent=5, card=planned.rate_card.values)
    assert expected["changes"] and expected["bound"] == "budget"
    preview = page[page.index('id="fit-preview"'):page.index('id="plan-form"')]
    for change in expected["changes"]:
        label = costing.vocabulary.ACTIVITY_FIELD_LABELS[change["field"]]
        role = costing.ROLE_LABELS[saved["activities"][change["activity_index"]]["role"]]
        assert re.search(
            rf'Line {change["activity_index"] + 1}: {re.escape(role)}</td>\s*'
            rf'<td class="govuk-table__cell">{label}</td>\s*'
            rf'<td[^>]*>{change["from"]}</td>\s*<td[^>]*>{change["to"]}</td>', preview), change
    assert costing.format_gbp(expected["estimate"]["total_gbp"]) in preview
    assert f"{expected['estimate']['percent_of_bid']:.2f}% of the bid" in preview
    assert expected["estimate"]["percent_of_bid"] <= 5
    db.session.refresh(planned)
    assert planned.inputs == saved and len(versions(bid.id)) == 1


def test_applying_the_previewed_fit_saves_the_trimmed_plan_with_an_audit_entry(client, bid,
                                                                              planned):
    page = fit_page(client, bid, planned, budget_percent="5").get_data(as_text=True)
    digest = re.search(r'name="fit_digest" value="(\w+)"', page)[1]
    expected = costing.fit(engine.plan_document(bid, planned.inputs, planned.rate_card),
                           budget_percent=5, card=planned.rate_card.values)
    response = client.post(f"/bids/{bid.id}/plan/activities", data=activities_form(
        planned, fit="apply", budget_percent="5", fit_digest=digest))
    assert response.status_code == 302
    db.session.refresh(planned)
    assert planned.inputs["activities"] == expected["plan"]["activities"]
    assert planned.estimate["total_gbp"] == expected["estimate"]["total_gbp"]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "plan.fitted"))
    assert event.bid_id == bid.id and len(event.changes) == len(expected["changes"])
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"New total {costing.format_gbp(expected['estimate']['total_gbp'])}" in shown


def test_a_fit_is_applied_only_as_previewed(client, bid, planned):
    page = fit_page(client, bid, planned, budget_percent="5").get_data(as_text=True)
    digest = re.search(r'name="fit_digest" value="(\w+)"', page)[1]
    saved = dict(planned.inputs)
    response = client.post(f"/bids/{bid.id}/plan/activities", data=activities_form(
        planned, fit="apply", budget_percent="4", fit_digest=digest))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "changed since the preview" in page
    assert 'id="fit-preview"' in page  # the new preview, to apply again
    db.session.refresh(planned)
    assert planned.inputs == saved


@pytest.mark.parametrize(("budget", "field", "message"), [
    ({}, "budget_gbp", "Enter a budget in pounds, or a share of the bid value"),
    ({"budget_gbp": "3000", "budget_percent": "5"}, "budget_gbp", "not both"),
    ({"budget_gbp": "lots"}, "budget_gbp", "Budget in pounds must be an amount"),
    # The message names the field as people read it, never as "Or a share of ... in %".
    ({"budget_percent": "150"}, "budget_percent",
     "Share of the bid value must be a number from 0 to 100"),
    ({"budget_gbp": "-5"}, "budget_gbp", "Budget in pounds must be a number from 0 to"),
    ({"budget_gbp": "99999999999999"}, "budget_gbp",
     "Budget in pounds must be a number from 0 to 1,000,000,000,000"),
])
def test_a_bad_budget_is_named_at_its_field_and_nothing_changes(client, bid, planned, budget,
                                                                field, message):
    saved = dict(planned.inputs)
    page = fit_page(client, bid, planned, **budget).get_data(as_text=True)
    assert message in page and f'<a href="#{field}">' in page and f'id="{field}-error"' in page
    assert 'id="fit-preview"' not in page
    db.session.refresh(planned)
    assert planned.inputs == saved


def test_a_plan_already_within_the_budget_needs_no_change(client, bid, planned):
    page = fit_page(client, bid, planned, budget_gbp="1000000").get_data(as_text=True)
    assert "already within the budget: nothing needs to change" in page
    assert 'name="fit_digest"' not in page


def test_the_editor_page_is_whole_without_javascript(client, bid, planned):
    """Every action is a submit button of the one form, so plain posts do everything."""
    page = page_of(client, bid)
    form = form_fields(page, "plan-form")
    assert client.post(f"/bids/{bid.id}/plan/activities", data=form).status_code == 302
    for name in ("duplicate_line", "remove_line", "add_line", "fit", "action"):
        assert f'type="submit" name="{name}"' in page, name


def test_another_teams_writer_cannot_preview_or_fit(client, bid, planned, make_user, auth):
    auth.sign_out()
    outsider = make_user("outsider@example.org", role="writer", team="Beta")
    auth.sign_in(outsider.email)
    assert fit_page(client, bid, planned, budget_percent="5").status_code == 404


def test_what_was_typed_comes_back_escaped_in_its_cell(client, bid, planned):
    typed = '"><script>alert(1)</script>'
    page = client.post(f"/bids/{bid.id}/plan/activities", data=activities_form(
        planned, **{"activities-0-start_time": typed})).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in rows(page)[0]
    assert "Meeting start time must be like 10:30" in rows(page)[0]


def test_while_typing_the_summary_names_each_problem_and_links_its_cell(client, bid, planned):
    """No error summary exists until Save: the live panel says what is wrong and where
    (a value the form cannot read, and one the engine refuses)."""
    for field, typed, message in (
            ("activities-1-people", "lots", "Number of people must be a whole number"),
            ("activities-0-hours_per_session", "99",
             "Hours per session must be a number from 0.25 to 12")):
        form = activities_form(planned, **{field: typed})
        page = client.post(f"/bids/{bid.id}/plan/preview", data=form).get_data(as_text=True)
        assert "Fix the problems in the form to update the estimate:" in page
        line = int(field.split("-")[1]) + 1
        assert f'<a class="govuk-link" href="#{field}">Line {line} (' in page, field
        assert message in page, field
