"""The network KPIs on the portfolio summary and the board PDF, for coordinators only."""
from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.formatting import percent
from app.membership.models import Involvement, MeetingAttendance, NetworkMeeting
from app.membership.services import network_kpis
from app.portfolio.periods import FinancialYear, current_financial_year

ROW = "Network members who took part in the organisation&#39;s work"
CHART_TITLE = "The co-production network,"


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def _figure_alts(data: bytes) -> list[str]:
    """The alternative text of each Figure in the PDF's structure tree."""
    alts = []

    def walk(element):
        element = element.get_object()
        if not hasattr(element, "get") or "/S" not in element:
            return
        if element["/S"] == "/Figure":
            alts.append(str(element.get("/Alt", "")))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)
    walk(PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"]["/K"])
    return alts


def _year_with_network(add_member):
    start = current_financial_year()
    members = [add_member(f"Member {n}", joined_on=date(start - 1, 4, 1),
                          lived_experience=["carer"] if n < 2 else []) for n in range(4)]
    db.session.add_all([
        NetworkMeeting(title="Summer", held_on=date(start, 7, 1), format="online",
                       attendances=[MeetingAttendance(member_id=m.id) for m in members[:2]]),
        Involvement(member_id=members[0].id, line_index=0, role="blogger",
                    assigned_on=date(start, 5, 1), status="took_part",
                    took_part_on=date(start, 5, 2))])
    db.session.commit()
    return start


def test_coordinators_see_the_network_kpis_with_chart_and_table(client, auth, coordinator,
                                                                 add_member):
    start = _year_with_network(add_member)
    auth.sign_in(coordinator.email)
    page = client.get(f"/portfolio/summary?year={start}").get_data(as_text=True)
    assert ROW in page and "1 of 4 (25.0%)" in page
    assert "1 held, 1 attended by a third or more" in page
    assert "Membership mix: carers" in page and "2 of 4 (50.0%)" in page
    assert 'id="portfolio-network"' in page
    assert "The network&#39;s KPIs as shares of its members" in page


def test_a_coordinators_board_pdf_has_the_network_chart_beside_its_table(
        client, auth, coordinator, add_member):
    start = _year_with_network(add_member)
    auth.sign_in(coordinator.email)
    data = client.get(f"/portfolio/summary.pdf?year={start}").data
    text = _pdf_text(data)
    assert "Network members who took part" in text
    year = FinancialYear(start)
    assert f"{CHART_TITLE} {year.label} and the year before" in text
    kpis = network_kpis(start)
    now, last = kpis.this_year, kpis.last_year
    took_part = (f"Took part {percent(now.participation_percent)} ({now.took_part} of "
                 f"{now.members}) {percent(last.participation_percent)} ({last.took_part} of "
                 f"{last.members}) 50.0%")
    carers = (f"Carers {percent(now.mix['carers'] * 100 / now.members)} "
              f"({now.mix['carers']} of {now.members})")
    assert took_part in text and carers in text
    # the hand count: 1 of 4 took part, 2 of 4 are carers, the meeting had 2 of 4
    assert "Took part 25.0% (1 of 4) 0.0% (0 of 4) 50.0%" in text
    assert "Carers 50.0% (2 of 4) 50.0% (2 of 4)" in text
    assert "Meeting attendance 50.0% (1 meeting) – (0 meetings)" in text
    assert "75%" in text and "25%" in text  # the chart's own axis and bar labels
    alts = _figure_alts(data)
    assert len(alts) == 2 and alts[0].startswith("Line chart of co-production money")
    assert alts[1].startswith("Paired columns, last year then this year, of the share of "
                              "network members") and "This year 1 of 4 members took part" in alts[1]
    import page  # page-validation: a PDF/UA-1 (Matterhorn) validator
    report = page.validate_pdf_bytes(data, profile=page.ValidationProfile.PDF_UA_1)
    assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures]


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_others_see_no_network_kpis(client, auth, make_user, add_member, role):
    start = _year_with_network(add_member)
    make_user("other@example.org", role=role)
    auth.sign_in("other@example.org")
    page = client.get(f"/portfolio/summary?year={start}").get_data(as_text=True)
    assert "Portfolio KPIs" in page and ROW not in page and "portfolio-network" not in page
    data = client.get(f"/portfolio/summary.pdf?year={start}").data
    text = _pdf_text(data)
    assert "Co-production money in won bids" in text
    assert "Network members" not in text and CHART_TITLE not in text
    assert "Took part" not in text and "Carers" not in text
    alts = _figure_alts(data)
    assert len(alts) == 1 and not any("network" in alt for alt in alts)
