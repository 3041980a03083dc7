"""The demo network `make run` shows: the board report's numbers."""
from __future__ import annotations

from datetime import date

from app.demo import seed_demo
from app.extensions import db
from app.membership import services as register
from app.membership.kpis import year_bounds
from app.membership.models import Involvement, Member
from app.models import Bid
from app.versions import store


def test_the_demo_network_matches_the_board_report(app):
    assert seed_demo()
    members = db.session.scalars(db.select(Member)).all()
    assert len(members) == 64 and sum(m.kind == "organisation" for m in members) == 27
    kpis = register.network_kpis(year_bounds(date.today())[0].year)
    assert [m.attended for m in kpis.this_year.meetings] == [32, 45]
    assert kpis.this_year.participation_met and kpis.this_year.meetings_met
    assert round(kpis.last_year.participation_percent) == 40
    on_bid = db.session.scalars(db.select(Involvement).where(
        Involvement.bid_id.is_not(None))).all()
    assert len(on_bid) == 3
    version = store.latest_version(db.session.get(Bid, on_bid[0].bid_id))
    line = version.inputs["activities"][on_bid[0].line_index]
    assert line["needs"]["bsl"] is True  # a deaf member is on the advisory group


def test_no_demo_member_wants_the_same_role_twice(app):
    """The register lists "Roles wanted" once each (never "Advisory group member,
    Advisory group member")."""
    assert seed_demo()
    members = db.session.scalars(db.select(Member)).all()
    assert all(len(set(m.roles)) == len(m.roles) for m in members)
    assert sum("advisory_group_member" in m.roles for m in members) >= 32
