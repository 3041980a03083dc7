"""The plan builder through the web: level, activities, estimate, and their rules."""
import re
from datetime import date

from app import costing, formatting
from app.extensions import db
from app.models import AuditEvent
from app.versions import engine, store
from tests.html import form_fields
from tests.plan_forms import JUSTIFICATION, activities_form, versions


def test_level_page_compares_all_four_levels_with_the_recommendation(client, bid):
    page = client.get(f"/bids/{bid.id}/plan/level").get_data(as_text=True)
    comparison = costing.compare_levels(engine.bid_document(bid))
    assert "Recommended: Good" in page
    for row in comparison["levels"]:
        assert row["label"] in page
        assert costing.format_gbp(row["total_gbp"]) in page
        assert costing.format_gbp(row["budget_to_request_gbp"]) in page


def test_choosing_a_level_saves_a_draft_from_its_sized_plan(client, bid, writer):
    response = client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/activities")
    [version] = versions(bid.id)
    assert version.number == 1 and version.status == "draft" and version.level == "good"
    shown = costing.compare_levels(engine.bid_document(bid),
                                   rate_card=engine.default_rate_card().values)["levels"][2]
    assert version.inputs["activities"] == shown["activities"]
    assert version.estimate["total_gbp"] == costing.estimate(version.inputs)["total_gbp"]
    assert version.total_pence == round(version.estimate["total_gbp"] * 100)
    assert version.rate_card_id == "uk-2026-12" and version.created_by_id == writer.id
    assert db.session.scalar(db.select(AuditEvent.action).where(
        AuditEvent.action == "plan.saved")) == "plan.saved"


def test_level_none_needs_a_justification_and_stores_nothing_without_it(client, bid):
    response = client.post(f"/bids/{bid.id}/plan/level", data={"level": "none",
                                                                 "justification": "Too costly"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "at least 40 characters" in page and 'href="#justification"' in page
    # Named as a noun, never as its question label followed by the engine's words.
    assert ">Justification must be at least 40 characters for level none" in page
    assert "proportionate for this bid? level none" not in page
    assert versions(bid.id) == []
    response = client.post(f"/bids/{bid.id}/plan/level", data={"level": "none",
                                                                 "justification": JUSTIFICATION})
    [version] = versions(bid.id)
    assert version.level == "none" and version.inputs["justification"] == JUSTIFICATION
    assert version.estimate["total_gbp"] == 0
    assert response.headers["Location"].endswith(f"/plan/versions/{version.number}")
    estimate_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Why there is no co-production" in estimate_page


def test_changing_a_line_updates_the_draft_and_its_total(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    [version] = versions(bid.id)
    before = version.estimate["total_gbp"]
    people = version.inputs["activities"][1]["people"]
    response = client.post(f"/bids/{bid.id}/plan/activities",
                           data=activities_form(version, **{"activities-1-people": str(people + 2)}))
    assert response.status_code == 302
    db.session.refresh(version)
    assert len(versions(bid.id)) == 1
    assert version.inputs["activities"][1]["people"] == people + 2
    assert version.estimate["total_gbp"] > before
    assert version.estimate == costing.estimate(version.inputs)


def test_bad_line_input_names_the_field_and_stores_nothing(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    [version] = versions(bid.id)
    saved = dict(version.inputs)
    for field, value, message in [
        ("activities-0-people", "0", "Number of people must be a whole number from 1 to 500"),
        ("activities-0-people", "lots", "Number of people must be a whole number"),
        ("activities-0-hours_per_session", "13", "Hours per session must be a number from 0.25 to 12"),
        ("activities-0-start_week", "500", "Start week must be a number from 0 to"),
        ("activities-0-start_time", "25:00", "Meeting start time must be a 24-hour time"),
        ("activities-0-hours_per_session", "NaN", "Hours per session must be"),
        ("activities-0-hours_per_session", "Infinity", "Hours per session must be a number"),
        # parses instantly, but would take minutes to turn into an integer
        ("activities-0-prep_hours_per_session", "1e9999999",
         "Preparation hours per session must be a number"),
        ("accessible_formats-easy_read_pages", "1001", "Easy read pages must be"),
    ]:
        response = client.post(f"/bids/{bid.id}/plan/activities",
                               data=activities_form(version, **{field: value}))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, field
        assert message in page, (field, value)
        assert f'href="#{field}"' in page
        assert "<title>Error: " in page
        db.session.refresh(version)
        assert version.inputs == saved


def test_add_and_remove_lines(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    [version] = versions(bid.id)
    count = len(version.inputs["activities"])
    response = client.post(f"/bids/{bid.id}/plan/activities",
                           data=activities_form(version, add_line="1", new_role="blogger"))
    assert response.headers["Location"].endswith(f"#line-{count}")
    db.session.refresh(version)
    assert [a["role"] for a in version.inputs["activities"]][-1] == "blogger"
    assert version.inputs["activities"][-1]["stage"] == "dissemination"
    response = client.post(f"/bids/{bid.id}/plan/activities",
                           data=activities_form(version, remove_line="0"))
    db.session.refresh(version)
    assert len(version.inputs["activities"]) == count


def test_removing_every_line_is_refused_with_a_message(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "limited"})
    [version] = versions(bid.id)
    data = {key: value for key, value in activities_form(version).items()
            if not key.startswith("activities-")}
    page = client.post(f"/bids/{bid.id}/plan/activities", data=data).get_data(as_text=True)
    assert "Add at least one activity line" in page
    db.session.refresh(version)
    assert version.inputs["activities"]


def test_preview_recalculates_without_saving(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    [version] = versions(bid.id)
    changed = activities_form(version, **{"activities-0-sessions": "9"})
    fragment = client.post(f"/bids/{bid.id}/plan/preview", data=changed).get_data(as_text=True)
    inputs = dict(version.inputs)
    inputs["activities"] = [dict(a) for a in inputs["activities"]]
    inputs["activities"][0]["sessions"] = 9
    expected = costing.format_gbp(costing.estimate(inputs)["total_gbp"])
    assert re.search(r'data-testid="summary-total">\s*' + re.escape(expected), fragment)
    db.session.refresh(version)
    assert version.inputs["activities"][0]["sessions"] != 9


def test_concurrent_saves_do_not_overwrite(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    [version] = versions(bid.id)
    stale = activities_form(version, **{"activities-0-people": "3"})
    first = activities_form(version, **{"activities-0-people": "2"})
    assert client.post(f"/bids/{bid.id}/plan/activities", data=first).status_code == 302
    response = client.post(f"/bids/{bid.id}/plan/activities", data=stale)
    page = response.get_data(as_text=True)
    assert "saved by someone else" in page
    assert re.search(r'id="activities-0-people"[^>]*value="3"', page), "the user's input is kept"
    db.session.refresh(version)
    assert version.inputs["activities"][0]["people"] == 2


def test_estimate_page_shows_the_engines_numbers(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "full"})
    [version] = versions(bid.id)
    page = client.get(f"/bids/{bid.id}/plan/versions/1").get_data(as_text=True)
    estimate = costing.estimate(version.inputs)
    assert costing.format_gbp(estimate["total_gbp"]) in page
    assert f'{estimate["percent_of_bid"]:.2f}%' in page
    for key in ("p10", "p50", "p80", "p90", "recommended_contingency_gbp"):
        assert costing.format_gbp(estimate["uncertainty"][key]) in page
    for line in estimate["lines"]:
        assert costing.format_gbp(line["amount_gbp"]) in page
    for warning in estimate["warnings"]:
        assert warning["code"] and warning["message"].split("'")[0][:30] in page.replace("&#39;", "'")
    assert page.count("<svg") == 4 and page.count('role="img"') >= 4
    card_day = formatting.long_date(date.fromisoformat(estimate["rate_card"]["effective_from"]))
    assert f"(effective from {card_day})" in page  # written out, as every date on the page


def test_viewers_read_plans_but_cannot_change_them(client, auth, make_user, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    auth.sign_out()
    viewer = make_user("viewer@example.org", role="viewer", team="Alpha")
    auth.sign_in(viewer.email)
    assert client.get(f"/bids/{bid.id}/plan/versions/1").status_code == 200
    assert client.post(f"/bids/{bid.id}/plan/level", data={"level": "full"}).status_code == 403
    assert client.post(f"/bids/{bid.id}/plan/preview", data={}).status_code == 403
    assert versions(bid.id)[0].level == "good"


def test_other_teams_plans_are_not_found(client, auth, make_user, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    auth.sign_out()
    outsider = make_user("outsider@example.org", role="writer", team="Beta")
    auth.sign_in(outsider.email)
    for method, url in [("GET", "/plan/level"), ("GET", "/plan/activities"),
                        ("GET", "/plan/versions/1"), ("POST", "/plan/level"),
                        ("POST", "/plan/preview"), ("GET", "/plan/")]:
        assert client.open(f"/bids/{bid.id}{url}", method=method).status_code == 404, url


def test_lines_stored_without_optional_fields_show_the_engines_defaults(client, bid, writer):
    """A plan saved through the API or an import may omit what the engine defaults."""
    sparse = {"level": "limited", "existing_network": False, "contributors": None,
              "accessible_formats": {"easy_read_pages": 0},
              "activities": [{"role": "writer", "people": 2, "sessions": 3}]}
    version = store.save_plan(bid, sparse, writer, None)
    page = client.get(f"/bids/{bid.id}/plan/activities").get_data(as_text=True)
    role = costing.ROLES["writer"]
    start_week = next(row["start_week"] for row in version.estimate["timeline"]
                      if row["kind"] == "activity")
    assert re.search(r'id="activities-0-hours_per_session"[^>]*value="'
                     + f'{role.hours_per_session:.2f}"', page)
    assert re.search(r'id="activities-0-start_week"[^>]*value="' + f'{int(start_week)}"', page)
    assert re.search(f'<option value="{role.stage}" selected>', page)
    assert re.search(r'<option value="local" selected>Local', page)
    form = form_fields(page, "plan-form")
    assert client.post(f"/bids/{bid.id}/plan/activities", data=form).status_code == 302
    db.session.refresh(version)
    assert version.estimate["total_gbp"] == costing.estimate(
        dict(sparse, bid=engine.bid_document(bid)))["total_gbp"]


def test_downloads_have_the_right_types_names_and_numbers(client, bid):
    import csv
    import io
    from decimal import Decimal

    import docx
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    version = versions(bid.id)[0]
    base = f"/bids/{bid.id}/plan/versions/1"
    pdf = client.get(f"{base}/pdf")
    assert pdf.mimetype == "application/pdf"
    assert 'filename=REF-1-v1-coproduction-plan.pdf' in pdf.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Care Act training" in text and "DRAFT" in text
    assert costing.format_gbp(version.estimate["total_gbp"]) in text

    budget = client.get(f"{base}/csv")
    assert budget.mimetype == "text/csv"
    assert "filename=REF-1-v1-budget.csv" in budget.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(budget.data.decode("utf-8-sig"))))
    assert sum(Decimal(row["amount_gbp"]) for row in rows if row["line"]) == \
        Decimal(str(version.estimate["total_gbp"])).quantize(Decimal("0.01"))

    workbook = client.get(f"{base}/xlsx")
    assert workbook.mimetype.endswith("spreadsheetml.sheet")
    assert "filename=REF-1-v1-budget.xlsx" in workbook.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(workbook.data)).sheetnames
    word = client.get(f"{base}/docx")
    assert word.mimetype.endswith("wordprocessingml.document")
    assert "filename=REF-1-v1-coproduction-plan.docx" in word.headers["Content-Disposition"]
    assert costing.format_gbp(version.estimate["total_gbp"]) in "\n".join(
        cell.text for table in docx.Document(io.BytesIO(word.data)).tables
        for row in table.rows for cell in row.cells)
    assert client.get(f"{base}/odt").status_code == 404
    assert client.get(f"/bids/{bid.id}/plan/versions/7/pdf").status_code == 404
