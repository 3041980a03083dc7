"""Portfolio pages: the table, CSV, KPI summary, board PDF and targets, and who sees what."""
from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.models import AuditEvent, Bid, PortfolioTarget, Team
from app.portfolio import routes
from tests.html import text_of
from tests.test_portfolio import YEAR, add_bid, build_portfolio

SECRET = ("Secret Beta bid", "Beta only client", "£500,000.00", "500000.00", "£59,200.00")


@pytest.fixture
def portfolio(app, make_user):
    viewer = make_user("viewer@example.org", role="viewer", team="Alpha")
    admin = make_user("admin@example.org", role="admin", team="Admins")
    return build_portfolio(), viewer, admin


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_pages_need_sign_in(client):
    for url in ("/portfolio/", "/portfolio/summary", "/portfolio/export.csv",
                "/portfolio/summary.pdf", "/portfolio/targets"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_table_shows_each_bid_with_its_counted_version(client, auth, portfolio):
    auth.sign_in("viewer@example.org")
    response = client.get(f"/portfolio/?year={YEAR}&sort=title")
    assert response.status_code == 200
    page = text_of(response)
    assert "7 bids in 2026 to 2027" in page
    assert re.search(r"Bid A .*? Good £100,000\.00 £8,000\.00 8\.00% 1 Apr 2026 Won", page)
    assert re.search(r"Bid D .*? No plan £30,000\.00 – – 1 Dec 2026 Pending", page)
    assert re.search(r"Bid F .*? No level chosen", page)
    assert "Disproportionate" in page and "Below client requirement" in page
    assert "How these figures are counted" in page
    # it sums the plans' totals, not the budgets to request, and says so
    assert "Co-production cost (total before contingency)" in page
    assert "before the recommended contingency" in page
    assert "Some filters were not used" not in page
    assert "sort=team" not in response.get_data(as_text=True)  # one team: no team column


def test_a_viewer_never_sees_another_teams_bids(client, auth, portfolio):
    auth.sign_in("viewer@example.org")
    beta = db.session.scalar(db.select(Team).where(Team.name == "Beta"))
    urls = [f"/portfolio/?year={YEAR}", "/portfolio/?year=", f"/portfolio/?team={beta.id}",
            f"/portfolio/summary?year={YEAR}", f"/portfolio/summary?year={YEAR}&team={beta.id}",
            f"/portfolio/export.csv?year={YEAR}", f"/portfolio/export.csv?team={beta.id}"]
    for url in urls:
        body = client.get(url).get_data(as_text=True)
        assert not any(secret in body for secret in SECRET), url
    summary = text_of(client.get(f"/portfolio/summary?year={YEAR}&team={beta.id}"))
    assert "Choose a team from the list" in summary and "£9,200.00 in 3 won bids" in summary
    for url in (f"/portfolio/summary.pdf?year={YEAR}", f"/portfolio/summary.pdf?team={beta.id}"):
        text = pdf_text(client.get(url).data)
        assert "£9,200.00 in 3 won bids" in text and "£59,200.00" not in text, url


def test_an_admin_sees_every_team_and_can_pick_one(client, auth, portfolio):
    auth.sign_in("admin@example.org")
    page = text_of(client.get(f"/portfolio/summary?year={YEAR}"))
    assert "£59,200.00 in 4 won bids" in page
    beta = db.session.scalar(db.select(Team).where(Team.name == "Beta"))
    page = text_of(client.get(f"/portfolio/summary?year={YEAR}&team={beta.id}"))
    assert "£50,000.00 in 1 won bid " in page and "Beta" in page
    assert "sort=team" in client.get(f"/portfolio/?year={YEAR}").get_data(as_text=True)
    rows = read_csv(client.get(f"/portfolio/export.csv?year={YEAR}&team={beta.id}"))
    assert [row["Title"] for row in rows] == ["Secret Beta bid"]


def test_the_summary_shows_each_kpi_with_its_target(client, auth, portfolio):
    auth.sign_in("viewer@example.org")
    response = client.get(f"/portfolio/summary?year={YEAR}")
    assert response.status_code == 200
    page = text_of(response)
    for expected in (
            "Bids that recorded co-production was considered 5 of 7 (71.4%) 100% Below target",
            "Bids by level None 1; Limited 2; Good 1; Full 1; No level chosen 2",
            "Co-production money budgeted in submitted bids £13,200.00 in 4 submitted bids",
            "Co-production money in won bids £9,200.00 in 3 won bids (9.2% of the target) "
            "£100,000.00 a year Below target",
            "Average co-production share of bid value 7.00% across 5 costed bids",
            "Bids where the client required co-production 3 of 7 (42.9%)",
            "Bids flagged disproportionate or below the client's requirement 3 "
            "(1 disproportionate, 2 below the client's requirement)"):
        assert expected in page
    assert "A bid with no plan counts as not considered" in page
    assert "Some filters were not used" not in page


def test_charts_are_accessible_svg_with_tables_of_the_same_numbers(client, auth, portfolio):
    auth.sign_in("viewer@example.org")
    body = client.get(f"/portfolio/summary?year={YEAR}").get_data(as_text=True)
    svgs = re.findall(r"<svg[^>]*>", body)
    assert len(svgs) == 3
    for chart_id in ("portfolio-levels", "portfolio-income", "portfolio-share"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in body
        assert f'<title id="{chart_id}-title">' in body and f'<desc id="{chart_id}-desc">' in body
    assert all('role="img"' in svg for svg in svgs)
    captions = re.findall(r'<caption class="govuk-table__caption[^"]*">\s*([^<]+?)\s*</caption>',
                          body)
    assert "Bids by level and quarter" in captions
    assert "Co-production money in won bids by month, against the target" in captions
    assert "Co-production cost as a share of bid value, by bid value" in captions
    assert body.count('scope="col"') >= 20 and 'scope="row"' in body
    page = text_of(client.get(f"/portfolio/summary?year={YEAR}"))
    assert "Q1: April to June 2026 0 1 1 0 1 3" in page  # none limited good full unset total
    assert "April 2026 2 £9,200.00 £9,200.00 £8,333.33" in page
    # The KPI averages 5 costed bids (one at level none, £0); the chart draws the 4 that cost
    # something, and says why the two counts differ.
    assert "across 5 costed bids" in page
    assert "Scatter chart of 4 bids whose plan costs something (a plan at level none" in page


def test_filters_are_a_labelled_get_form_and_bad_values_are_named(client, auth, portfolio):
    auth.sign_in("viewer@example.org")
    body = client.get("/portfolio/?year=1999&level=huge&sort=evil").get_data(as_text=True)
    assert '<form method="get"' in body
    for field in ("year", "team", "status", "level", "client", "work_type", "scope", "outcome"):
        assert f'<label class="govuk-label" for="{field}">' in body
    assert "Choose a financial year from the list" in body
    assert "Choose a level of co-production from the list" in body
    assert "in all years" not in text_of(client.get("/portfolio/?year=1999"))
    for url in ("/portfolio/?client=Care%00Act&year=", "/portfolio/export.csv?client=%00"):
        response = client.get(url)  # PostgreSQL cannot compare text holding NUL
        assert response.status_code in (200, 400), url
    assert ("Client or funder contains can only use printable characters"
            in client.get("/portfolio/?client=Care%01Act").get_data(as_text=True))


def test_table_pagination_and_sorting_links(client, auth, make_user):
    make_user("writer@example.org", team="Alpha")
    for number in range(routes.PER_PAGE + 3):
        add_bid(f"Bid {number:02d}", deadline=None, value_gbp=1_000 + number)
    auth.sign_in("writer@example.org")
    first = client.get("/portfolio/?sort=value&order=desc").get_data(as_text=True)
    assert "Bid 27" in first and "Bid 02" not in first
    assert 'aria-sort="descending"' in first and 'rel="next"' in first
    last = client.get("/portfolio/?sort=value&order=desc&page=2").get_data(as_text=True)
    assert "Bid 00" in last and "Bid 27" not in last and "(page 2 of 2)" in last
    past_the_end = client.get("/portfolio/?sort=value&order=desc&page=99")
    assert "Bid 00" in past_the_end.get_data(as_text=True)  # the last page is shown


def test_csv_export_is_plain_utf8_with_guarded_text(client, auth, make_user):
    make_user("writer@example.org", team="Alpha")
    add_bid("=HYPERLINK(\"http://evil\")", deadline=None, value_gbp=120_000,
            client="Café £ Ünïcode", reference="R-1",
            versions=[("submitted", "good", 7_419, ["disproportionate"])])
    auth.sign_in("writer@example.org")
    response = client.get("/portfolio/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert list(rows[0])[:3] == ["Bid ID", "Title", "Client or funder"]
    row = rows[0]
    assert row["Title"] == "'=HYPERLINK(\"http://evil\")"
    assert row["Client or funder"] == "Café £ Ünïcode"
    assert row["Bid value (GBP)"] == "120000.00"
    assert row["Co-production cost (GBP)"] == "7419.00"
    assert row["Co-production share of bid value (%)"] == "6.18"
    assert row["Level"] == "Good" and row["Disproportionate"] == "yes"
    assert row["Version that counts"] == "1" and row["Status of that version"] == "Submitted"


def test_the_board_pdf_is_one_page_with_the_kpis(client, auth, portfolio, monkeypatch):
    papers = []
    real = routes.render_board_pdf
    monkeypatch.setattr(routes, "render_board_pdf",
                        lambda paper: papers.append(paper) or real(paper))
    auth.sign_in("viewer@example.org")
    response = client.get(f"/portfolio/summary.pdf?year={YEAR}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    assert reader.metadata.title.startswith("Co-production portfolio KPIs 2026 to 2027")
    text = pdf_text(response.data)
    assert "5 of 7 (71.4%)" in text and "£13,200.00 in 4 submitted bids" in text
    assert papers[0].scope_label == "All your teams"


def test_the_pdf_prints_team_names_as_typed(client, auth, make_user):
    admin = make_user("admin@example.org", role="admin", team="R&D <north>")
    add_bid("One", "R&D <north>", deadline=None, value_gbp=10_000)
    auth.sign_in(admin.email)
    response = client.get(f"/portfolio/summary.pdf?team={admin.teams[0].id}")
    assert "R&D <north>" in pdf_text(response.data)


def test_only_admins_change_targets(client, auth, portfolio):
    auth.sign_in("viewer@example.org")
    assert client.get("/portfolio/targets").status_code == 403
    response = client.post("/portfolio/targets", data={
        "year": str(YEAR), "considered_percent": "50", "income_gbp": "1"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(PortfolioTarget)) == 0


def test_an_admin_sets_targets_used_by_the_summary(client, auth, portfolio):
    auth.sign_in("admin@example.org")
    form = client.get(f"/portfolio/targets?year={YEAR}").get_data(as_text=True)
    assert 'value="100000.00"' in form and 'value="100"' in form
    response = client.post(f"/portfolio/targets?year={YEAR}", data={
        "year": str(YEAR), "considered_percent": "95", "income_gbp": "9200"})
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "£9,200.00 a year Target met" in page and "95% Below target" in page
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "portfolio.targets"))
    assert event.changes["income_pence"]["after"] == 920_000


@pytest.mark.parametrize("field, value, message", [
    ("considered_percent", "101", "Target share must be a whole number from 0 to 100"),
    ("considered_percent", "ninety", "Target share must be a whole number from 0 to 100"),
    ("income_gbp", "-1", "Income target must be from £0 to £1,000,000,000"),
    ("income_gbp", "NaN", "Income target must be an amount in pounds, like 100000"),
    ("income_gbp", "", "Enter the income target in pounds, like 100000"),
    ("year", "1999", "Choose a financial year from the list"),
])
def test_bad_targets_name_the_field_and_store_nothing(client, auth, portfolio, field, value,
                                                      message):
    auth.sign_in("admin@example.org")
    data = {"year": str(YEAR), "considered_percent": "100", "income_gbp": "100000"}
    data[field] = value
    response = client.post("/portfolio/targets", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(PortfolioTarget)) == 0


def test_the_nav_links_to_the_portfolio(client, auth, portfolio):
    auth.sign_in("viewer@example.org")
    assert 'href="/portfolio/"' in client.get("/bids/").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Bid)) == 12
