"""Small builders for test data."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import Bid, Team

VALID_BID_FORM = {
    "title": "Care Act training", "client": "A council", "reference": "CC-1",
    "value_gbp": "120000", "start_date": "2027-04-01", "duration_months": "12",
    "scope": "local", "work_type": "training", "client_requires_coproduction": "y",
    "deadline": "2027-01-15",
}


def make_bid(team_name: str = "Alpha", **values) -> Bid:
    team = db.session.scalar(db.select(Team).where(Team.name == team_name)) or Team(name=team_name)
    fields = dict(title="A bid", client="A client", reference="REF-1", value_pence=12_000_000,
                  start_date=date(2027, 4, 1), duration_months=12, scope="local",
                  work_type="training", client_requires_coproduction=False)
    fields.update(values)
    bid = Bid(team=team, **fields)
    db.session.add(bid)
    db.session.commit()
    return bid


def form_for(team_id: int, **changes) -> dict:
    data = dict(VALID_BID_FORM, team_id=str(team_id))
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
