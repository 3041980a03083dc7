import logging

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.conftest import PASSWORD


def test_root_sends_anonymous_users_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")
    page = client.get("/sign-in")
    assert page.status_code == 200 and b"Sign in" in page.data


def test_sign_in_and_out(client, auth, make_user):
    make_user("writer@example.org")
    response = auth.sign_in("writer@example.org")
    assert response.status_code == 302 and response.headers["Location"].endswith("/bids/")
    assert client.get("/bids/").status_code == 200
    assert auth.sign_out().status_code == 302
    assert client.get("/bids/").status_code == 302


def test_email_is_matched_case_insensitively(auth, make_user):
    make_user("writer@example.org")
    assert auth.sign_in("Writer@Example.org").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, auth, make_user):
    make_user("writer@example.org")
    response = auth.sign_in("writer@example.org", "wrong password")
    assert response.status_code == 200
    assert b"The email address or password is not right" in response.data
    assert client.get("/bids/").status_code == 302


def test_inactive_user_cannot_sign_in(auth, make_user):
    user = make_user("gone@example.org")
    user.active = False
    db.session.commit()
    assert auth.sign_in("gone@example.org").status_code == 200


def test_repeated_failures_are_rate_limited(app, auth, make_user):
    make_user("writer@example.org")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = [auth.sign_in("writer@example.org", "nope").status_code for _ in range(limit)]
    assert statuses == [200] * limit
    blocked = auth.sign_in("writer@example.org", "nope")
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data


def test_successful_sign_ins_do_not_use_up_the_limit(app, auth, make_user):
    make_user("writer@example.org")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(limit + 2):
        assert auth.sign_in("writer@example.org").status_code == 302
        auth.sign_out()


def test_next_only_follows_local_paths(client, make_user):
    make_user("writer@example.org")
    response = client.post("/sign-in?next=https://evil.example/", data={
        "email": "writer@example.org", "password": PASSWORD})
    assert response.headers["Location"].endswith("/bids/")
    client.post("/sign-out")
    response = client.post("/sign-in?next=/bids/new", data={
        "email": "writer@example.org", "password": PASSWORD})
    assert response.headers["Location"].endswith("/bids/new")


def test_forms_without_csrf_token_are_rejected(app, make_user):
    csrf_app = create_app(TestingConfig, WTF_CSRF_ENABLED=True,
                          SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                          SQLALCHEMY_ENGINE_OPTIONS=app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    make_user("writer@example.org")
    with csrf_app.test_client() as client:
        response = client.post("/sign-in", data={"email": "writer@example.org",
                                                 "password": PASSWORD})
        assert response.status_code == 400
        assert b"form had expired" in response.data


def test_passwords_are_hashed_and_never_logged(client, auth, make_user, caplog):
    user = make_user("writer@example.org")
    assert PASSWORD not in user.password_hash
    caplog.set_level(logging.DEBUG)
    auth.sign_in("writer@example.org", "a-wrong-secret")
    auth.sign_in("writer@example.org")
    assert "a-wrong-secret" not in caplog.text and PASSWORD not in caplog.text


def test_session_cookie_is_httponly_and_lax(client, auth, make_user):
    make_user("writer@example.org")
    response = auth.sign_in("writer@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
