"""Sessions and API tokens that end (issue 16, finding 4) and the secret key (finding 6).

A session cookie copied before sign-out, a password change or a deactivation stops
working; so do the API tokens for the last two; reactivation revives neither.
Tokens are listed, revoked and expire, from the CLI and on a page for the user and
for admins. The check is in the database, so it holds across workers and machines.
"""
from __future__ import annotations

import os
import stat
from datetime import timedelta

import pytest

from app import create_app
from app.extensions import db
from app.models import ApiToken, User, utcnow
from app.secret_key import instance_secret_key
from config import DevelopmentConfig, ProductionConfig
from tests.conftest import PASSWORD

NEW_PASSWORD = "another long secret"


def bearer(clear: str) -> dict:
    return {"Authorization": f"Bearer {clear}"}


def issue(user: User, **options) -> str:
    row, clear = ApiToken.issue(user, **options)
    db.session.add(row)
    db.session.commit()
    return clear


def copied_session(app, client):
    """A second browser holding a copy of this client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/bids/").status_code == 200


@pytest.fixture
def writer(make_user):
    return make_user("writer@example.org", role="writer")


def test_a_session_copied_before_sign_out_stops_working(app, client, auth, writer):
    auth.sign_in(writer.email)
    thief = copied_session(app, client)
    assert signed_in(thief)
    auth.sign_out()
    assert not signed_in(thief)
    assert thief.get("/bids/").headers["Location"].startswith("/sign-in")


def test_sign_out_keeps_api_tokens(client, auth, writer):
    clear = issue(writer)
    auth.sign_in(writer.email)
    auth.sign_out()
    assert client.get("/api/v1/bids", headers=bearer(clear)).status_code == 200


def test_a_password_reset_ends_sessions_and_tokens(app, client, auth, runner, writer):
    clear = issue(writer)
    auth.sign_in(writer.email)
    result = runner.invoke(args=["create-user", writer.email, "--role", "writer", "--team",
                                 "Alpha", "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert not signed_in(client)
    assert client.get("/api/v1/bids", headers=bearer(clear)).status_code == 401
    assert auth.sign_in(writer.email, NEW_PASSWORD).status_code == 302
    assert signed_in(client)


def test_deactivation_ends_sessions_and_tokens_and_reactivation_revives_neither(
        app, client, auth, make_user, writer):
    clear = issue(writer)
    auth.sign_in(writer.email)
    victim_browser = copied_session(app, client)
    auth.sign_out()  # the copy is already dead; sign in again for a live session
    auth.sign_in(writer.email)
    live_browser = copied_session(app, client)
    admin = make_user("admin@example.org", role="admin")
    admin_client = app.test_client()
    admin_client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    for active in ("0", "1"):
        response = admin_client.post(f"/admin/users/{writer.id}/active", data={"active": active})
        assert response.status_code == 302
        assert not signed_in(live_browser) and not signed_in(victim_browser)
        assert live_browser.get("/api/v1/bids", headers=bearer(clear)).status_code == 401
    assert auth.sign_in(writer.email).status_code == 302  # reactivated: a new sign-in works


def test_expired_and_revoked_tokens_are_refused(client, writer):
    expired = issue(writer, days=1)
    row = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(expired)))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/bids", headers=bearer(expired)).status_code == 401
    assert ApiToken.issue(writer)[0].expires_at is not None  # every new token expires


def test_cli_lists_and_revokes_tokens(client, runner, writer):
    result = runner.invoke(args=["create-token", writer.email, "--name", "Reporting script",
                                 "--days", "7"])
    assert result.exit_code == 0, result.output
    clear = result.output.strip()
    assert client.get("/api/v1/bids", headers=bearer(clear)).status_code == 200
    listing = runner.invoke(args=["list-tokens", writer.email]).output
    assert "Reporting script" in listing and "active" in listing and clear not in listing
    token_id = listing.split("\t")[0]
    result = runner.invoke(args=["revoke-token", token_id])
    assert result.exit_code == 0 and "Revoked" in result.output
    assert client.get("/api/v1/bids", headers=bearer(clear)).status_code == 401
    assert "revoked" in runner.invoke(args=["list-tokens"]).output
    assert runner.invoke(args=["revoke-token", "999999"]).exit_code != 0


def test_users_make_see_and_revoke_their_own_tokens_on_a_page(app, client, auth, make_user,
                                                              writer):
    auth.sign_in(writer.email)
    page = client.post("/account/tokens", data={"name": "Spreadsheet sync"})
    assert page.status_code == 200
    row = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == writer.id))
    text = page.get_data(as_text=True)
    assert "Spreadsheet sync" in text and "Copy it now" in text
    assert client.post("/account/tokens", data={"name": ""}).status_code == 200  # message
    other = make_user("other@example.org", role="writer")
    other_token = issue(other)
    other_row = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == other.id))
    assert client.post(f"/account/tokens/{other_row.id}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    db.session.expire_all()
    assert row.state == "revoked" and other_row.state == "active"
    assert client.get("/api/v1/bids", headers=bearer(other_token)).status_code == 200


def test_admins_see_and_revoke_everyones_tokens(app, client, auth, make_user, writer):
    clear = issue(writer, name="Nightly export")
    row = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == writer.id))
    auth.sign_in(make_user("admin@example.org", role="admin").email)
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert "Nightly export" in page and writer.email in page
    assert client.post(f"/admin/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/v1/bids", headers=bearer(clear)).status_code == 401


# --- Finding 6: the secret key. ---

def test_development_generates_a_private_key_once_and_reuses_it(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    made = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    key = made.config["SECRET_KEY"]
    assert len(key) >= 32 and key != "dev-only-not-secret"
    path = os.path.join(made.instance_path, "secret_key")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert again.config["SECRET_KEY"] == key


def test_each_instance_folder_gets_its_own_random_key(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert instance_secret_key(str(first)) == instance_secret_key(str(first))
    assert instance_secret_key(str(first)) != instance_secret_key(str(second))
    assert [path.name for path in first.iterdir()] == ["secret_key"]  # nothing left aside


@pytest.mark.parametrize("key", ["dev-only-not-secret", "testing-only", "short-key"])
def test_a_known_or_short_key_is_refused_outside_tests(key):
    for config in (DevelopmentConfig, ProductionConfig):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(config, SECRET_KEY=key, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_changing_your_password_ends_your_other_sessions_and_tokens(app, client, auth, writer):
    clear = issue(writer)
    auth.sign_in(writer.email)
    other_browser = copied_session(app, client)
    wrong = client.post("/account/password", data={"current": "not it", "new": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert wrong.status_code == 200 and "The current password is not right" in \
        wrong.get_data(as_text=True)
    assert signed_in(other_browser)
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)  # this browser carries on
    assert not signed_in(other_browser)
    assert client.get("/api/v1/bids", headers=bearer(clear)).status_code == 401
    assert app.test_client().post("/sign-in", data={
        "email": writer.email, "password": NEW_PASSWORD}).status_code == 302
