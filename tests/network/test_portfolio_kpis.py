"""The network KPIs on the portfolio summary and the board PDF, for coordinators only."""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from app.extensions import db
from app.membership.models import Involvement, MeetingAttendance, NetworkMeeting
from app.portfolio.periods import current_financial_year

ROW = "Network members who took part in the organisation&#39;s work"


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
    pdf = client.get(f"/portfolio/summary.pdf?year={start}")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Network members who took part" in " ".join(text.split())


def test_writers_see_no_network_kpis(client, auth, make_user, add_member):
    start = _year_with_network(add_member)
    make_user("writer@example.org")
    auth.sign_in("writer@example.org")
    page = client.get(f"/portfolio/summary?year={start}").get_data(as_text=True)
    assert "Portfolio KPIs" in page and ROW not in page and "portfolio-network" not in page
