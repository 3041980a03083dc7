"""Bid pages: the role × team permission matrix, the list, and the form's bounds."""
import pytest

from app.extensions import db
from app.models import AuditEvent, Bid
from tests.factories import form_for, make_bid

ROLES = ("viewer", "writer", "reviewer", "admin")


def count_bids() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Bid))


def bid_routes(bid_id: int, team_id: int):
    """(method, url, data, kind) for every bid route; kind is 'read' or 'write'."""
    return [
        ("GET", "/bids/", None, "list"),
        ("GET", "/bids/new", None, "create"),
        ("POST", "/bids/new", form_for(team_id, title="Made in test"), "create"),
        ("GET", f"/bids/{bid_id}", None, "read"),
        ("GET", f"/bids/{bid_id}/edit", None, "write"),
        ("POST", f"/bids/{bid_id}/edit", form_for(team_id, title="Edited in test",
                                                  row_version="1"), "write"),
        ("POST", f"/bids/{bid_id}/archive", {"archived": "1"}, "write"),
    ]


def expected_status(role: str, own_team: bool, kind: str, method: str) -> int:
    ok = 302 if method == "POST" else 200
    if kind == "list":
        return 200
    if kind == "create":
        return 403 if role == "viewer" else ok
    visible = own_team or role == "admin"
    if not visible:
        return 404
    if kind == "write" and role == "viewer":
        return 403
    return ok


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("own_team", [True, False], ids=["own-team", "other-team"])
def test_permission_matrix(client, auth, make_user, role, own_team):
    user = make_user(f"{role}@example.org", role=role, team="Alpha")
    bid = make_bid("Alpha" if own_team else "Beta")
    auth.sign_in(user.email)
    for method, url, data, kind in bid_routes(bid.id, user.teams[0].id):
        response = client.open(url, method=method, data=data)
        assert response.status_code == expected_status(role, own_team, kind, method), \
            (method, url, role, own_team)


def test_anonymous_users_are_sent_to_sign_in(client):
    bid = make_bid()
    for method, url, data, _ in bid_routes(bid.id, bid.team_id):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert count_bids() == 1


def test_list_shows_only_own_team_bids_with_search_and_filter(client, auth, make_user):
    user = make_user("writer@example.org", team="Alpha")
    make_bid("Alpha", title="Dementia guidance", client="Borough A")
    make_bid("Alpha", title="Carers film", client="Trust B", status="submitted")
    make_bid("Beta", title="Secret other team bid")
    auth.sign_in(user.email)
    page = client.get("/bids/").get_data(as_text=True)
    assert "Dementia guidance" in page and "Carers film" in page
    assert "Secret other team bid" not in page
    searched = client.get("/bids/?q=trust").get_data(as_text=True)
    assert "Carers film" in searched and "Dementia guidance" not in searched
    filtered = client.get("/bids/?status=submitted").get_data(as_text=True)
    assert "Carers film" in filtered and "Dementia guidance" not in filtered


def test_list_paginates(app, client, auth, make_user):
    user = make_user("writer@example.org")
    per_page = app.config["BIDS_PER_PAGE"]
    for number in range(per_page + 3):
        make_bid(title=f"Bid number {number:03d}")
    auth.sign_in(user.email)
    first = client.get("/bids/").get_data(as_text=True)
    second = client.get("/bids/?page=2").get_data(as_text=True)
    assert first.count("Bid number") == per_page
    assert second.count("Bid number") == 3


def test_writer_creates_views_edits_and_archives_a_bid(client, auth, make_user):
    user = make_user("writer@example.org")
    auth.sign_in(user.email)
    response = client.post("/bids/new", data=form_for(user.teams[0].id))
    bid = db.session.scalar(db.select(Bid))
    assert response.headers["Location"].endswith(f"/bids/{bid.id}")
    assert bid.value_pence == 12_000_000 and bid.client_requires_coproduction
    assert "Care Act training" in client.get(f"/bids/{bid.id}").get_data(as_text=True)
    client.post(f"/bids/{bid.id}/edit", data=form_for(user.teams[0].id, value_gbp="99999.99",
                                                      row_version=str(bid.row_version)))
    db.session.refresh(bid)
    assert bid.value_pence == 9_999_999
    client.post(f"/bids/{bid.id}/archive", data={"archived": "1"})
    db.session.refresh(bid)
    assert bid.archived
    assert "Care Act training" not in client.get("/bids/").get_data(as_text=True)
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["bid.created", "bid.updated", "bid.archived"]
    edit = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "bid.updated"))
    assert edit.changes == {"value_pence": {"before": 12_000_000, "after": 9_999_999}}
    assert edit.user_id == user.id


@pytest.mark.parametrize("field, value, message", [
    ("value_gbp", "-5", "Bid value must be more than £0"),
    ("value_gbp", "0", "Bid value must be more than £0"),
    ("value_gbp", "lots", "Bid value must be a number, like 120000"),
    ("value_gbp", "NaN", "Bid value must be a number"),
    ("value_gbp", "Infinity", "Bid value must be a number"),
    ("value_gbp", "1000000000.01", "at most £1,000,000,000"),
    # Too large to be a bid, but a number: the range is named, not "must be a number".
    ("value_gbp", "99999999999999999999", "at most £1,000,000,000"),
    ("value_gbp", "1e4000", "at most £1,000,000,000"),
    # Commas group thousands in threes, or they are not an amount anyone means.
    ("value_gbp", "85,00", "Bid value must be a number"),
    ("value_gbp", "8,5000", "Bid value must be a number"),
    ("value_gbp", "£1,000e3", "Bid value must be a number"),
    ("value_gbp", "££85", "Bid value must be a number"),
    ("duration_months", "0", "Duration must be between 1 and 120 months"),
    ("duration_months", "121", "Duration must be between 1 and 120 months"),
    ("duration_months", "twelve", "Duration must be a whole number of months"),
    ("title", "x" * 10_000, "Bid title must be 200 characters or fewer"),
    ("title", "", "Enter the bid title"),
    ("client", "", "Enter the client or funder"),
    ("start_date", "2027-02-30", "Start date must be a real date"),
    ("start_date", "1890-01-01", "Start date must be between 2000 and 2100"),
    ("scope", "galactic", "Not a valid choice"),
    ("reference", "<script>", "Bid reference can only use"),
])
def test_bad_input_shows_a_field_message_and_stores_nothing(client, auth, make_user,
                                                           field, value, message):
    user = make_user("writer@example.org")
    auth.sign_in(user.email)
    response = client.post("/bids/new", data=form_for(user.teams[0].id, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert f'href="#{field}"' in page
    assert count_bids() == 0


def test_team_must_be_one_of_the_users_teams(client, auth, make_user):
    user = make_user("writer@example.org", team="Alpha")
    other = make_bid("Beta")
    auth.sign_in(user.email)
    response = client.post("/bids/new", data=form_for(other.team_id))
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert count_bids() == 1


def test_stale_edit_keeps_input_and_does_not_overwrite(client, auth, make_user):
    user = make_user("writer@example.org")
    bid = make_bid(title="Original")
    stale_version = str(bid.row_version)
    bid.title = "Changed by a colleague"
    db.session.commit()
    auth.sign_in(user.email)
    response = client.post(f"/bids/{bid.id}/edit", data=form_for(
        user.teams[0].id, title="My edit", row_version=stale_version))
    page = response.get_data(as_text=True)
    assert "Someone else saved this bid" in page and 'value="My edit"' in page
    db.session.refresh(bid)
    assert bid.title == "Changed by a colleague"


def test_typed_text_is_escaped_in_pages(client, auth, make_user):
    user = make_user("writer@example.org")
    title = "<script>alert('x')</script> & “quotes” 😀 שלום"
    bid = make_bid(title=title)
    auth.sign_in(user.email)
    page = client.get(f"/bids/{bid.id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; “quotes” 😀 שלום" in page


@pytest.mark.parametrize("typed, pence", [
    ("£85,000", 8_500_000), ("85,000", 8_500_000), ("£ 1,234,567.89", 123_456_789),
    ("£120000", 12_000_000), (" 99,999.5 ", 9_999_950),
])
def test_a_bid_value_written_as_people_write_money_is_read_as_meant(client, auth, make_user,
                                                                      typed, pence):
    user = make_user("writer@example.org")
    auth.sign_in(user.email)
    response = client.post("/bids/new", data=form_for(user.teams[0].id, value_gbp=typed))
    assert response.status_code == 302
    assert db.session.scalar(db.select(Bid)).value_pence == pence
