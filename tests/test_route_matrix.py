"""Every route × every identity × own team / other team, against tests/route_rules.py.

The routes come from ``app.url_map`` at run time: a route without a rule fails
``test_every_route_has_an_access_rule``, and the matrix requests every method
of every rule with real ids (a bid of team Alpha and one of team Beta, each
with plan version 1, a comment and a notification; the rate card ``uk-2026``;
a user of each team). POSTs send an empty form: the matrix checks the access
decision, not that the action succeeds (see ``ALLOWED`` in route_rules).

Besides the status, it checks that a non-admin of team Alpha never sees team
Beta's bid, comment or notification text in any page, CSV or JSON answer, and
that a refused POST changes nothing in the database.
"""
from __future__ import annotations

import itertools
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import current_app, url_for
from sqlalchemy import select
from werkzeug.routing.converters import AnyConverter

from app import create_app
from app.extensions import db
from app.membership import services as register
from app.membership.models import (
    Consent,
    Involvement,
    MeetingAttendance,
    Member,
    NetworkMeeting,
    NetworkSettings,
)
from app.models import (
    ApiToken,
    AuditEvent,
    Bid,
    Comment,
    Notification,
    PlanVersion,
    PortfolioTarget,
    RateCard,
    Team,
    User,
)
from app.reviews import services as review_services
from app.versions import engine, store
from config import TestingConfig
from tests.factories import make_bid
from tests.route_rules import (
    ALLOWED,
    IDENTITIES,
    IGNORED_ENDPOINTS,
    IGNORED_METHODS,
    ROLES,
    SIGN_IN,
    expected,
    kind_for,
    table_problems,
)
from tests.test_api import token_for

BETA_SECRETS = ("Zanzibar lighthouse tender", "Beta-only Borough Council", "BETA-SECRET-7",
                "Beta reviewers' private remark", "Beta inbox message about the tender")
# A member of the register: only coordinators (admins here) may ever see these.
NETWORK_SECRETS = ("Nadia Networkname", "network-secret-tag")
TEXT_TYPES = ("text/", "application/json")
# Pages that list every bid the user may see: the leak check is only worth something if
# they do show the user's own bid (and, to an admin, the other team's).
LISTS_EVERY_VISIBLE_BID = frozenset({"bids.index", "portfolio.index", "portfolio.export_csv",
                                     "api.list_bids"})
ALPHA_TITLE = "Alpha care training"


@pytest.fixture
def bare_app():
    """An app that never touches a database: enough to read its URL map."""
    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_every_route_has_an_access_rule(bare_app):
    problems = table_problems(bare_app)
    assert not problems, "\n".join(problems)


def test_a_route_without_a_rule_fails_the_table_check(bare_app):
    bare_app.add_url_rule("/brand-new/<int:thing_id>", "brand.new", lambda thing_id: "hi",
                          methods=["GET", "POST"])
    [problem] = table_problems(bare_app)
    assert problem.startswith("brand.new (GET, POST) has no access rule")
    assert "tests/route_rules.py" in problem


def _user(email: str, role: str, team: str) -> User:
    team_row = db.session.scalar(select(Team).where(Team.name == team)) or Team(name=team)
    user = User(email=email, name=email.split("@")[0].capitalize(), role=role,
                teams=[team_row], password_hash="unused")
    db.session.add(user)
    db.session.commit()
    return user


def _bid_in_review(team: str, author: User, comment_body: str, **bid_values) -> SimpleNamespace:
    """A bid whose version 1 (written by `author`, commented on) waits for review, so it
    is on its team's reviewers' lists too."""
    bid = make_bid(team, created_by_id=author.id, deadline=date.today(),
                   **bid_values)
    start = engine.starting_inputs(store.latest_version(bid))
    inputs = engine.with_level(start, bid, "good", None)
    version = store.save_plan(bid, inputs, author, None)
    comment = Comment(version_id=version.id, author_id=author.id, section="plan",
                      body=comment_body)
    db.session.add(comment)
    db.session.commit()
    with current_app.test_request_context():  # the completeness checks build links
        review_services.submit_for_review(bid, version, author, str(version.row_version))
    assert version.status == "in_review"
    return SimpleNamespace(bid=bid, version=version, comment=comment)


def _notification(user: User, bid: Bid, message: str) -> Notification:
    note = Notification(user_id=user.id, bid_id=bid.id, version_number=1, kind="comment",
                        message=message)
    db.session.add(note)
    db.session.commit()
    return note


def _spare_token(user: User) -> ApiToken:
    token, _ = ApiToken.issue(user, name="spare")
    db.session.add(token)
    db.session.commit()
    return token


def _network_records(coordinator: User, bid: Bid) -> dict:
    """A member with consent, a meeting they attended and their involvement in a line."""
    member = register.create_member(
        dict(kind="person", display_name=NETWORK_SECRETS[0], region="london",
             roles=["advisory_group_member"], payment_preference="paid",
             joined_on=date(2025, 4, 1), needs=["bsl"], lived_experience=[NETWORK_SECRETS[1]]),
        coordinator, {"purpose": "bid_work", "given_on": date(2025, 4, 1)})
    meeting = NetworkMeeting(title="Autumn network meeting", held_on=date(2025, 10, 1),
                             format="online", attendances=[MeetingAttendance(member=member)])
    involvement = Involvement(member=member, bid_id=bid.id, line_index=0,
                              role="advisory_group_member", assigned_on=date(2025, 10, 1))
    db.session.add_all([meeting, involvement])
    db.session.commit()
    return {"member_id": member.id, "consent_id": member.consents[0].id,
            "meeting_id": meeting.id, "involvement_id": involvement.id, "line": 0}


@pytest.fixture
def world(app):
    """Team Alpha (every role, plus an author and a user to administer) and team Beta."""
    users = {role: _user(f"{role}@alpha.example.org", role, "Alpha") for role in ROLES}
    alpha_author = _user("author@alpha.example.org", "writer", "Alpha")
    alpha_target = _user("target@alpha.example.org", "viewer", "Alpha")
    beta_author = _user("author@beta.example.org", "writer", "Beta")
    beta_target = _user("target@beta.example.org", "viewer", "Beta")
    alpha = _bid_in_review("Alpha", alpha_author, "Alpha's own remark",
                              title=ALPHA_TITLE, client="Alpha client")
    beta = _bid_in_review("Beta", beta_author, BETA_SECRETS[3], title=BETA_SECRETS[0],
                             client=BETA_SECRETS[1], reference=BETA_SECRETS[2])
    notes = {role: _notification(user, alpha.bid, f"A note for the {role}")
             for role, user in users.items()}
    beta_note = _notification(beta_author, beta.bid, BETA_SECRETS[4])
    # Tokens to revoke, apart from the ones the matrix's API requests use.
    spare_tokens = {role: _spare_token(user) for role, user in users.items()}
    beta_token = _spare_token(beta_author)
    own = {"bid_id": alpha.bid.id, "number": alpha.version.number,
           "comment_id": alpha.comment.id, "user_id": alpha_target.id, "card_id": "uk-2026"}
    other = {"bid_id": beta.bid.id, "number": beta.version.number,
             "comment_id": beta.comment.id, "notification_id": beta_note.id,
             "user_id": beta_target.id, "card_id": "uk-2026"}
    network = _network_records(users["admin"], alpha.bid)
    own, other = own | network, other | network
    return SimpleNamespace(
        users=users, tokens={role: token_for(user) for role, user in users.items()},
        values={(who, True): dict(own, notification_id=notes.get(who, notes["writer"]).id,
                                  token_id=spare_tokens.get(who, spare_tokens["writer"]).id)
                for who in IDENTITIES}
        | {(who, False): dict(other, token_id=beta_token.id) for who in IDENTITIES})


def _signed_in_client(app, user: User | None):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def urls_for(app, rule, values: dict) -> list[str]:
    """The rule's URLs: known ids, and every choice of an any() converter."""
    options = []
    for name in sorted(rule.arguments):
        converter = rule._converters.get(name)
        if isinstance(converter, AnyConverter):
            options.append([(name, item) for item in sorted(converter.items)])
        elif name in values:
            options.append([(name, values[name])])
        else:
            raise LookupError(f"{rule.endpoint} takes <{name}>, which the matrix has no value "
                              "for: add one to the `world` fixture in tests/test_route_matrix.py")
    with app.test_request_context():
        return [url_for(rule.endpoint, **dict(chosen)) for chosen in itertools.product(*options)]


def outcome_problem(outcome, method: str, response) -> str | None:
    """None if the response is the expected outcome, else what it was instead."""
    status = response.status_code
    location = response.headers.get("Location", "")
    to_sign_in = status == 302 and urlsplit(location).path == "/sign-in"
    if outcome == SIGN_IN:
        ok = to_sign_in
    elif outcome == ALLOWED:
        allowed = {200, 302} if method == "GET" else {200, 302, 400, 409}
        ok = status in allowed and not to_sign_in
    else:
        ok = status == outcome
    if ok:
        return None
    return f"got {status}{' to ' + location if location else ''}"


def leaked_secrets(response) -> list[str]:
    if not response.mimetype.startswith(TEXT_TYPES):
        return []  # PDF and XLSX are compressed; their content is tested in reports
    body = response.get_data(as_text=True)
    return [secret for secret in BETA_SECRETS + NETWORK_SECRETS if secret in body]


def database_state() -> dict:
    """What a refused request must leave as it was."""
    columns = {
        Bid: (Bid.id, Bid.row_version, Bid.title, Bid.status, Bid.outcome, Bid.archived_at),
        PlanVersion: (PlanVersion.id, PlanVersion.row_version, PlanVersion.status,
                      PlanVersion.total_pence, PlanVersion.updated_by_id),
        Comment: (Comment.id, Comment.body, Comment.resolved_at),
        Notification: (Notification.id, Notification.read_at),
        User: (User.id, User.role, User.active, User.name),
        RateCard: (RateCard.id, RateCard.is_default),
        PortfolioTarget: (PortfolioTarget.id, PortfolioTarget.considered_percent,
                          PortfolioTarget.income_pence),
        AuditEvent: (AuditEvent.id,),
        ApiToken: (ApiToken.id, ApiToken.revoked_at),
        Member: (Member.id, Member.row_version, Member.status, Member.erased_at),
        Consent: (Consent.id, Consent.withdrawn_on),
        NetworkMeeting: (NetworkMeeting.id, NetworkMeeting.title),
        MeetingAttendance: (MeetingAttendance.id,),
        Involvement: (Involvement.id, Involvement.status),
        NetworkSettings: (NetworkSettings.id, NetworkSettings.retention_months),
    }
    return {model.__name__: db.session.execute(select(*cols).order_by(cols[0])).all()
            for model, cols in columns.items()}


def routes(app):
    """(rule, method) for every routed method: every GET first, so the lists are checked
    for leaks before any POST (say, archiving a bid) hides a bid from them."""
    pairs = [(rule, method) for rule in app.url_map.iter_rules()
             if rule.endpoint not in IGNORED_ENDPOINTS
             for method in rule.methods - IGNORED_METHODS]
    return sorted(pairs, key=lambda pair: (pair[1] != "GET", pair[0].rule, pair[1]))


def test_route_matrix(app, world):
    """Each route and method, as anonymous and each role, on own and other team objects."""
    assert not table_problems(app), "run test_every_route_has_an_access_rule first"
    clients = {who: _signed_in_client(app, world.users.get(who)) for who in IDENTITIES}
    problems, tried = [], set()
    for (rule, method), who in itertools.product(routes(app), IDENTITIES):
        kind = kind_for(rule.endpoint, method)
        sides = {own: (urls_for(app, rule, world.values[who, own]), expected(kind, who, own))
                 for own in (True, False)}
        if sides[True][0] == sides[False][0]:
            if sides[True][1] != sides[False][1]:
                problems.append(f"{rule.endpoint}: kind {kind!r} differs by team for {who} "
                                "but the URL names no team's object")
            del sides[False]
        for own, (urls, outcome) in sides.items():
            headers = world.tokens[who] if rule.rule.startswith("/api/") and who != "anonymous" \
                else {}
            for address in urls:
                refused = method != "GET" and outcome != ALLOWED
                before = database_state() if refused else None
                response = clients[who].open(address, method=method, data={}, headers=headers)
                tried.add((rule.endpoint, method))
                where = f"{method} {address} as {who} ({'own' if own else 'other'} team, " \
                        f"kind {kind})"
                problem = outcome_problem(outcome, method, response)
                if problem:
                    problems.append(f"{where}: expected {outcome}, {problem}")
                if who not in ("anonymous", "admin") and leaked_secrets(response):
                    problems.append(f"{where}: shows team Beta's {leaked_secrets(response)}")
                if rule.endpoint in LISTS_EVERY_VISIBLE_BID and outcome == ALLOWED:
                    body = response.get_data(as_text=True)
                    shown = {ALPHA_TITLE} | ({BETA_SECRETS[0]} if who == "admin" else set())
                    if not all(title in body for title in shown):
                        problems.append(f"{where}: does not list {sorted(shown)}")
                if refused and database_state() != before:
                    problems.append(f"{where}: refused with {response.status_code} but "
                                    "changed the database")
                if headers and kind != "public":  # the session alone never opens the API
                    bare = clients[who].open(address, method=method, data={})
                    if bare.status_code != 401:
                        problems.append(f"{where}: without the token, expected 401, "
                                        f"got {bare.status_code}")
                if rule.endpoint == "auth.sign_out" and who != "anonymous":
                    clients[who] = _signed_in_client(app, world.users[who])
    assert tried == {(rule.endpoint, method) for rule, method in routes(app)}
    assert not problems, f"{len(problems)} access problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("who", ["writer", "admin"])
def test_another_bids_comment_is_not_found_under_a_bid_the_user_may_change(app, world, who):
    """Mixing ids: team Beta's comment addressed through team Alpha's bid and version."""
    client = _signed_in_client(app, world.users[who])
    own, other = world.values[who, True], world.values[who, False]
    base = f"/bids/{own['bid_id']}/review/versions/{own['number']}/comments/{other['comment_id']}"
    before = database_state()
    for action, data in (("replies", {f"reply-{other['comment_id']}-body": "Sneaky reply"}),
                         ("resolve", {"resolved": "1"})):
        assert client.post(f"{base}/{action}", data=data).status_code == 404, action
    assert database_state() == before
    own_comment = base.rsplit("/", 1)[0] + f"/{own['comment_id']}/replies"
    response = client.post(own_comment, data={f"reply-{own['comment_id']}-body": "Fine reply"})
    assert response.status_code == 302  # the same request on its own bid's comment works
