"""Demo data for `make run`: a team, four users (one a network coordinator), two bids and a
network. Never used in production."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Bid, Team, User

DEMO_PASSWORD = "coproduce-demo"
DEMO_USERS = (
    ("lead@example.org", "Lee Lead", "writer"),
    ("reviewer@example.org", "Rae Reviewer", "reviewer"),
    ("admin@example.org", "Ada Admin", "admin"),
    ("network@example.org", "Nia Network", "reviewer"),  # the network coordinator
)
DEMO_BIDS = (
    dict(title="Care Act training for frontline staff", client="A county council",
         reference="CC-2027-014", value_pence=12_000_000, start_date=date(2027, 4, 1),
         duration_months=12, scope="local", region="yorkshire", work_type="training",
         client_requires_coproduction=True, deadline=date(2027, 1, 29)),
    dict(title="Evidence review: transitions to adult services", client="A national research funder",
         reference="NRF-2027-003", value_pence=65_000_000, start_date=date(2027, 6, 1),
         duration_months=24, scope="national", work_type="research",
         client_requires_coproduction=False, deadline=date(2027, 2, 26)),
)


def seed_demo() -> bool:
    """Add the demo team, users and bids unless already there. Returns True if added."""
    if db.session.scalar(select(Team).where(Team.name == "Demo")) is not None:
        return False
    team = Team(name="Demo")
    users = []
    for email, name, role in DEMO_USERS:
        user = User(email=email, name=name, role=role, teams=[team])
        user.set_password(DEMO_PASSWORD)
        users.append(user)
    db.session.add_all([team, *users])
    bids = [Bid(team=team, created_by=users[0], **values) for values in DEMO_BIDS]
    db.session.add_all(bids)
    db.session.commit()
    _plan_first_bid(bids[0], users[0])
    users[3].network_coordinator = True
    _network(users[3], bids[0])
    return True


def _network(coordinator: User, bid: Bid) -> None:
    """The demo network, and three of its members on the first plan's advisory group."""
    from app.membership import lines
    from app.membership import services as register
    from app.membership.demo import seed_network
    from app.versions import store

    seed_network(coordinator)
    index = next(i for i, line in enumerate(store.latest_version(bid).inputs["activities"])
                 if line["role"] == "advisory_group_member")
    suggested = [member.id for member, _ in lines.matches(bid, index, True).suggested]
    needs = register.needs_of(suggested)
    deaf = [member_id for member_id in suggested if "bsl" in needs[member_id]][:1]
    chosen = suggested[:2] + (deaf if deaf and deaf[0] not in suggested[:2] else suggested[2:3])
    lines.assign(bid, index, chosen, coordinator, None)


def _plan_first_bid(bid: Bid, writer: User) -> None:
    """A draft plan at the recommended level, so the demo opens on a real estimate."""
    from app.versions import engine, store

    inputs = engine.with_level(engine.starting_inputs(None), bid, "good", None)
    store.save_plan(bid, inputs, writer, None)
