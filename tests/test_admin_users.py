"""Admin user pages: who may use them, the list, adding a user, changing role and teams,
deactivating and reactivating (never yourself), and the audit trail."""
import pytest
from flask import g

from app.extensions import db
from app.models import AuditEvent, Team, User
from tests.conftest import PASSWORD

ROLES = ("viewer", "writer", "reviewer", "admin")
NEW_PASSWORD = "a long enough secret"


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def user_by_email(email: str) -> User | None:
    db.session.rollback()  # read what was committed, not what a request left in the session
    return db.session.scalar(db.select(User).where(User.email == email))


def team_id(name: str) -> int:
    return db.session.scalar(db.select(Team.id).where(Team.name == name))


def new_user_form(**changes) -> dict:
    data = {"email": "new.person@example.org", "name": "New Person", "password": NEW_PASSWORD,
            "role": "writer", "team_ids": [str(team_id("Alpha"))], "new_team": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def sign_in_admin(auth, make_user) -> User:
    admin = make_user("admin@example.org", role="admin")
    auth.sign_in(admin.email)
    return admin


def user_routes(target: User):
    alpha = str(target.teams[0].id)
    return [
        ("GET", "/admin/users", None),
        ("GET", "/admin/users/new", None),
        ("POST", "/admin/users/new", {"email": "made@example.org", "password": NEW_PASSWORD,
                                      "role": "admin", "team_ids": [alpha]}),
        ("GET", f"/admin/users/{target.id}/edit", None),
        ("POST", f"/admin/users/{target.id}/edit", {"role": "admin", "team_ids": [alpha]}),
        ("POST", f"/admin/users/{target.id}/active", {"active": "0"}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_may_use_user_pages(client, auth, make_user, role):
    target = make_user("target@example.org", role="viewer")
    user = make_user(f"{role}@example.org", role=role)
    auth.sign_in(user.email)
    for method, url, data in user_routes(target):
        response = client.open(url, method=method, data=data)
        if role == "admin":
            assert response.status_code == (302 if method == "POST" else 200), (method, url)
        else:
            assert response.status_code == 403, (method, url, role)
    if role != "admin":
        target = user_by_email("target@example.org")
        assert count(User) == 2 and target.role == "viewer" and target.active
        assert count(AuditEvent) == 0


def test_anonymous_users_are_sent_to_sign_in(client, make_user):
    target = make_user("target@example.org", role="viewer")
    for method, url, data in user_routes(target):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    target = user_by_email("target@example.org")
    assert count(User) == 1 and target.role == "viewer" and target.active


def test_list_shows_email_name_role_teams_and_status(client, auth, make_user):
    sign_in_admin(auth, make_user)
    make_user("writer@example.org", team="Beta")
    retired = make_user("retired@example.org", role="viewer")
    retired.active = False
    db.session.commit()
    page = client.get("/admin/users").get_data(as_text=True)
    assert "3 users" in page and 'scope="col"' in page
    row = page[page.index("writer@example.org"):]
    row = row[:row.index("</tr>")]
    assert ">writer</td>" in row and ">Writer</td>" in row and ">Beta</td>" in row
    assert "Active" in row and "Deactivate" in row
    row = page[page.index("retired@example.org"):]
    assert "Deactivated" in row[:row.index("</tr>")] and "Reactivate" in row[:row.index("</tr>")]
    own = page[page.index(">admin@example.org<"):]
    assert "Deactivate" not in own[:own.index("</tr>")]  # no button to deactivate yourself


def test_admin_creates_a_user_who_can_sign_in(client, auth, make_user):
    admin = sign_in_admin(auth, make_user)
    response = client.post("/admin/users/new", data=new_user_form(
        email="  New.Person@Example.org ", new_team="Gamma"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    user = user_by_email("new.person@example.org")
    assert user.name == "New Person" and user.role == "writer" and user.active
    assert sorted(team.name for team in user.teams) == ["Alpha", "Gamma"]
    assert NEW_PASSWORD not in user.password_hash and user.check_password(NEW_PASSWORD)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.user_id == admin.id and event.bid_id is None
    assert event.changes["after"]["teams"] == ["Alpha", "Gamma"]
    assert NEW_PASSWORD not in str(event.changes) and "password" not in str(event.changes)
    auth.sign_out()
    assert auth.sign_in("new.person@example.org", NEW_PASSWORD).status_code == 302


def test_a_new_team_name_that_exists_reuses_the_team(client, auth, make_user):
    sign_in_admin(auth, make_user)
    client.post("/admin/users/new", data=new_user_form(team_ids=[], new_team="alpha"))
    user = user_by_email("new.person@example.org")
    assert [team.name for team in user.teams] == ["Alpha"] and count(Team) == 1


@pytest.mark.parametrize("field, changes, message", [
    ("email", {"email": "ADMIN@example.org"}, "A user with this email address already exists"),
    ("email", {"email": "not-an-email"}, "Enter an email address in the correct format"),
    ("email", {"email": ""}, "Enter the email address"),
    ("password", {"password": "short"}, "Initial password must be 10 to 256 characters"),
    ("password", {"password": ""}, "Enter an initial password"),
    ("role", {"role": "overlord"}, "Not a valid choice"),
    ("team_ids", {"team_ids": []}, "Choose at least one team, or enter a new team name"),
    ("team_ids", {"team_ids": ["99999"]}, "is not a valid choice"),
    ("new_team", {"new_team": "x" * 121}, "New team must be 120 characters or fewer"),
    ("name", {"name": "x" * 121}, "Full name must be 120 characters or fewer"),
])
def test_bad_user_input_shows_a_field_message_and_stores_nothing(client, auth, make_user,
                                                                field, changes, message):
    sign_in_admin(auth, make_user)
    response = client.post("/admin/users/new", data=new_user_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert f'<a href="#{field}">' in page and f'id="{field}-error"' in page
    assert NEW_PASSWORD not in page and 'value="short"' not in page  # never sent back
    assert count(User) == 1 and count(Team) == 1 and count(AuditEvent) == 0


def test_admin_changes_role_and_teams(client, auth, make_user):
    admin = sign_in_admin(auth, make_user)
    target = make_user("writer@example.org", role="writer")
    form = client.get(f"/admin/users/{target.id}/edit").get_data(as_text=True)
    assert 'value="writer" selected' in form and f'type="checkbox" value="{team_id("Alpha")}" checked' in form
    response = client.post(f"/admin/users/{target.id}/edit", data={
        "name": "Wendy", "role": "reviewer", "team_ids": [], "new_team": "Beta"})
    assert response.status_code == 302
    target = user_by_email("writer@example.org")
    assert target.role == "reviewer" and target.name == "Wendy"
    assert [team.name for team in target.teams] == ["Beta"]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.updated"))
    assert event.user_id == admin.id
    assert event.changes == {"name": {"before": "writer", "after": "Wendy"},
                             "role": {"before": "writer", "after": "reviewer"},
                             "teams": {"before": ["Alpha"], "after": ["Beta"]}}
    client.post(f"/admin/users/{target.id}/edit", data={
        "name": "Wendy", "role": "reviewer", "team_ids": [str(team_id("Beta"))]})
    assert count(AuditEvent) == 1  # nothing changed, nothing recorded


def test_admin_cannot_remove_their_own_admin_role(client, auth, make_user):
    admin = sign_in_admin(auth, make_user)
    response = client.post(f"/admin/users/{admin.id}/edit", data={
        "role": "writer", "team_ids": [str(team_id("Alpha"))]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "You cannot remove your own admin role" in page
    assert user_by_email("admin@example.org").role == "admin" and count(AuditEvent) == 0


def switch_browser() -> None:
    """Forget the user Flask-Login cached in g before another test client's request.

    The app fixture keeps one app context open for the whole test, so g (and the
    signed-in user Flask-Login caches there) would otherwise leak from one browser's
    request into the next browser's request.
    """
    g.pop("_login_user", None)


def test_deactivate_signs_the_user_out_and_reactivate_lets_them_back(app, client, auth,
                                                                     make_user):
    admin = sign_in_admin(auth, make_user)
    target = make_user("writer@example.org")
    writer_browser = app.test_client()
    sign_in = {"email": "writer@example.org", "password": PASSWORD}
    switch_browser()
    assert writer_browser.post("/sign-in", data=sign_in).status_code == 302
    switch_browser()
    assert writer_browser.get("/bids/").status_code == 200
    switch_browser()
    response = client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert not user_by_email("writer@example.org").active
    switch_browser()
    assert "/sign-in" in writer_browser.get("/bids/").headers["Location"]
    switch_browser()
    assert writer_browser.post("/sign-in", data=sign_in).status_code == 200  # refused
    switch_browser()
    client.post(f"/admin/users/{target.id}/active", data={"active": "1"})
    assert user_by_email("writer@example.org").active
    switch_browser()
    assert writer_browser.post("/sign-in", data=sign_in).status_code == 302
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["user.deactivated", "user.reactivated"]
    assert all(event.user_id == admin.id and "writer@example.org" in event.summary
               for event in events)


def test_admin_cannot_deactivate_themselves(client, auth, make_user):
    admin = sign_in_admin(auth, make_user)
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"},
                           follow_redirects=True)
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    assert user_by_email("admin@example.org").active and count(AuditEvent) == 0
    assert client.get("/admin/users").status_code == 200
    assert client.post("/admin/users/99999/active", data={"active": "0"}).status_code == 404


def test_typed_text_is_escaped(client, auth, make_user):
    sign_in_admin(auth, make_user)
    client.post("/admin/users/new", data=new_user_form(
        name="<script>alert('x')</script>", new_team="<b>Team</b>"))
    page = client.get("/admin/users").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>Team" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page and "&lt;b&gt;Team" in page
